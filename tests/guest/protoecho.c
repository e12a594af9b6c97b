/*
 * Mode "proto-echo" (tests/system/proto-echo-booted.sh): calls protocol
 * 0x4B45454C, served by tests/tasks/proto-echo with the manifest rule
 * buffer=1:rcx+rdx:32, with good and bad buffers, and prints a transcript
 * of two lines per call, what it sent and what it got back:
 *
 *   [guest] svsm-call proto=P call=N rcx=X rdx=Y r8=Z in=HEX
 *   [guest] svsm-ret rax=A rcx=B rdx=C r8=D buf=HEX
 *
 * `in` is the buffer before the call and `buf` the same bytes after it
 * (both `-` when [RCX, RCX+RDX) is not inside guest memory; empty for a
 * call that takes no buffer). Two lines, not one: the guest console cuts
 * lines at 159 characters (GUEST_LINE_MAX, docs/guest.md). Buffers live
 * at fixed GPAs so the transcript is the same on every build and can be
 * replayed hosted (tests/system/proto-echo.expected). Call 4 takes large
 * buffers (rule buffer=4:rcx+rdx:262144, moved in parts above one message):
 * its lines carry `fnv64:` and the FNV-1a 64 of the bytes instead of
 * them (keel-svsm-call --digest prints the same). Then QUERY_PROTOCOL
 * checks. The numbers are repeated from the service on purpose.
 */
#include "guest.h"

#define PE_PROTOCOL 0x4B45454Cull
#define PE_BUF 0x200000ull /* inside the 2M of guest memory, above the image */
#define PE_OUTSIDE 0x40000000ull

static unsigned calls, failed;

static void hex_bytes(uint64_t gpa, uint64_t len)
{
	static const char digits[] = "0123456789abcdef";
	char pair[3] = {0, 0, 0};
	if (len == 0 || gpa < GUEST_MEM_BASE || gpa + len > guest_mem_top || gpa + len < gpa) {
		con_puts(len ? "-" : "");
		return;
	}
	for (uint64_t i = 0; i < len; i++) {
		uint8_t b = ((const volatile uint8_t *)gpa)[i];
		pair[0] = digits[b >> 4];
		pair[1] = digits[b & 15];
		con_puts(pair);
	}
}

/* A large buffer's bytes as `fnv64:` and 16 hex digits (FNV-1a 64). */
static void digest_bytes(uint64_t gpa, uint64_t len)
{
	static const char digits[] = "0123456789abcdef";
	char out[17];
	uint64_t h = 0xcbf29ce484222325ull;
	if (len == 0 || gpa < GUEST_MEM_BASE || gpa + len > guest_mem_top || gpa + len < gpa) {
		con_puts(len ? "-" : "");
		return;
	}
	for (uint64_t i = 0; i < len; i++)
		h = (h ^ ((const volatile uint8_t *)gpa)[i]) * 0x100000001b3ull;
	for (int i = 0; i < 16; i++)
		out[i] = digits[(h >> (60 - 4 * i)) & 15];
	out[16] = 0;
	con_puts("fnv64:");
	con_puts(out);
}

static void show_buf(uint32_t call, uint64_t gpa, uint64_t len)
{
	if (call == 4)
		digest_bytes(gpa, len);
	else
		hex_bytes(gpa, len);
}

static void reg(const char *name, uint64_t v)
{
	con_puts(name);
	con_hex(v);
}

/* One call and its transcript line; `want` is the RAX the test expects. */
static void pe_call(uint32_t call, uint64_t rcx, uint64_t rdx, uint64_t r8, uint64_t want)
{
	struct svsm_call c;
	memset(&c, 0, sizeof(c));
	c.rax = PE_PROTOCOL << 32 | call;
	c.rcx = rcx;
	c.rdx = rdx;
	c.r8 = r8;
	uint64_t blen = call == 1 || call == 4 ? rdx : 0;
	con_puts("[guest] svsm-call");
	reg(" proto=", PE_PROTOCOL);
	con_puts(" call=");
	con_dec(call);
	reg(" rcx=", rcx);
	reg(" rdx=", rdx);
	reg(" r8=", r8);
	con_puts(" in=");
	show_buf(call, rcx, blen);
	con_puts("\n");
	int rc = svsm_call(&c);
	reg("[guest] svsm-ret rax=", c.rax);
	reg(" rcx=", c.rcx);
	reg(" rdx=", c.rdx);
	reg(" r8=", c.r8);
	con_puts(" buf=");
	show_buf(call, rcx, blen);
	con_puts("\n");
	calls++;
	if (rc || c.rax != want) {
		failed++;
		con_puts("[guest] proto-echo: unexpected result for call ");
		con_dec(calls);
		con_puts("\n");
	}
}

static void fill(uint64_t gpa, const char *s, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		((volatile uint8_t *)gpa)[i] = s ? (uint8_t)s[i] : (uint8_t)('a' + i % 26);
}

static void query(uint64_t protocol, uint64_t version, uint64_t want)
{
	struct svsm_call c;
	memset(&c, 0, sizeof(c));
	c.rax = 6; /* core QUERY_PROTOCOL */
	c.rcx = protocol << 32 | version;
	int rc = svsm_call(&c);
	int ok = rc == 0 && c.rax == 0 && c.rcx == want;
	failed += !ok;
	con_puts(ok ? "[guest] ok - " : "[guest] not ok - ");
	con_puts("QUERY_PROTOCOL ");
	con_hex(protocol);
	con_puts(" v");
	con_dec(version);
	reg(": rcx=", c.rcx);
	con_puts("\n");
}

/*
 * Protocol 0x50415254 ("PART"), tests/tasks/svsm-parts-bad: a service that
 * breaks the large-buffer exchange on purpose, chosen by RDX (its header
 * comment). Each broken case must give SVSM_ERR_INVALID_REQUEST with the
 * buffer as it was; the control (70000) every byte + 1. One TAP-ish line
 * each ("[guest] ok - parts-bad ..."), not transcript lines: hosted,
 * tests/hosted/svsm-parts-hostile.sh makes the same calls.
 */
#define PB_PROTOCOL 0x50415254ull

static uint8_t pb_byte(uint64_t i)
{
	return (uint8_t)(i * 7 + 3);
}

/* control: success and every byte + 1 expected; else INVALID_REQUEST, the buffer as it was. */
static void parts_bad(uint32_t rdx, int control, const char *what)
{
	struct svsm_call c;
	volatile uint8_t *b = (volatile uint8_t *)PE_BUF;
	uint64_t i, bad = 0;
	for (i = 0; i < rdx; i++)
		b[i] = pb_byte(i);
	memset(&c, 0, sizeof(c));
	c.rax = PB_PROTOCOL << 32 | 1;
	c.rcx = PE_BUF;
	c.rdx = rdx;
	int rc = svsm_call(&c);
	for (i = 0; i < rdx; i++)
		bad += b[i] != (uint8_t)(pb_byte(i) + (control ? 1 : 0));
	int ok = rc == 0 && c.rax == (control ? 0 : 0x80000006) && !bad;
	failed += !ok;
	con_puts(ok ? "[guest] ok - parts-bad " : "[guest] not ok - parts-bad ");
	con_dec(rdx);
	con_puts(": ");
	con_puts(what);
	reg(" rax=", c.rax);
	con_puts(" wrong bytes ");
	con_dec(bad);
	con_puts("\n");
}

int proto_echo(void)
{
	/* No buffer; a buffer; exactly MAX; unaligned (the rule asks for no alignment). */
	pe_call(0, 0x1122334455667788ull, 0x99, 0x5a, 0);
	fill(PE_BUF, "hello, keel", 11);
	pe_call(1, PE_BUF, 11, 0, 0);
	fill(PE_BUF, 0, 32);
	pe_call(1, PE_BUF, 32, 0, 0);
	fill(PE_BUF + 3, "abcde", 5);
	pe_call(1, PE_BUF + 3, 5, 0, 0);
	/* MAX + 1 and empty: INVALID_PARAMETER, the service never called. */
	fill(PE_BUF, 0, 33);
	pe_call(1, PE_BUF, 33, 0, 0x80000005);
	pe_call(1, PE_BUF, 0, 0, 0x80000005);
	/* Outside guest memory, and running past its end: INVALID_ADDRESS. */
	pe_call(1, PE_OUTSIDE, 8, 0, 0x80000003);
	pe_call(1, GUEST_MEM_BASE + 0x200000 - 4, 8, 0, 0x80000003);
	/* The service's own error, and a call it does not know. */
	pe_call(2, 7, 8, 9, 0x80001002);
	pe_call(3, 0, 0, 0, 0x80000002);
	/*
	 * Large buffers (call 4): around one message (65496 inline, 65497 in
	 * parts), one part (65528) and two, UEFI-MM's 64 KiB, 200000, the
	 * limit, one over it (the router refuses), and replies shorter than
	 * the request, in parts (70000) and inline (100): the rest stays.
	 */
	static const uint32_t big[] = {4096, 65496, 65497, 65528, 65529, 65536, 200000, 262144};
	for (unsigned i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		fill(PE_BUF, 0, big[i]);
		pe_call(4, PE_BUF, big[i], 0, 0);
	}
	fill(PE_BUF, 0, 262145);
	pe_call(4, PE_BUF, 262145, 0, 0x80000005);
	fill(PE_BUF, 0, 200000);
	pe_call(4, PE_BUF, 200000, 70000, 0);
	fill(PE_BUF, 0, 200000);
	pe_call(4, PE_BUF, 200000, 100, 0);
	parts_bad(70000, 1, "control, every byte + 1 back");
	parts_bad(70001, 0, "part acked with the wrong op");
	parts_bad(70002, 0, "part acked at the wrong offset");
	parts_bad(70003, 0, "part acked with data");
	parts_bad(70004, 0, "result buf_len above what was sent");
	parts_bad(70005, 0, "pulled part with the wrong op");
	parts_bad(70006, 0, "pulled part at the wrong offset");
	parts_bad(70007, 0, "pulled part one byte short");
	parts_bad(70008, 0, "pulled part one byte long");
	parts_bad(70009, 0, "pulled part naming the wrong total");
	parts_bad(70000, 1, "control again, after all that");
	parts_bad(70011, 0, "the service dies at the second pull");
	parts_bad(70000, 0, "the service is gone");
	query(PE_PROTOCOL, 1, 1ull << 32 | 1);
	query(PE_PROTOCOL, 2, 0);
	query(PE_PROTOCOL + 1, 1, 0);
	con_puts("[guest] proto-echo: ");
	con_dec(calls);
	con_puts(" calls, ");
	con_dec(failed);
	con_puts(" unexpected\n");
	return failed ? 1 : 0;
}
