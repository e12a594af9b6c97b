/*
 * Mode "demo" (what `make run` shows): the guest uses its vTPM through real
 * SVSM calls and prints what it did, one "[guest] " line per step. Commands
 * are marshalled by hand in the TPM wire format (big-endian). The exit
 * status is 0 only if every SVSM call and TPM command succeeded and PCR 16
 * read back as expected (tests/system/guest-demo.sh). With a persistent vTPM
 * (make run's image) the first run seals a secret into a persistent object
 * (SEAL_HANDLE) and later runs unseal it (tests/system/attest-booted-e2e.sh).
 */
#include "guest.h"

#define TPM_ST_NO_SESSIONS 0x8001u
#define TPM_ST_SESSIONS 0x8002u
#define TPM_RS_PW 0x40000009u
#define TPM_RH_OWNER 0x40000001u
#define TPM_ALG_SHA256 0x000bu
#define DEMO_PCR 16u
#define SEAL_HANDLE 0x81000100u
#define TPM_RC_HANDLE 0x0bu /* format-one error number (TPM_RC_HANDLE = 0x08b) */

/* SHA-256("Keel vTPM demo"), extended into PCR 16. */
static const uint8_t demo_digest[32] = {
    0x37, 0x6d, 0x88, 0x7e, 0xd9, 0xde, 0x1d, 0xa7, 0x70, 0xf9, 0xa0, 0x5b, 0x0a, 0x13, 0x65, 0x2e,
    0x83, 0x99, 0xdc, 0xca, 0xc8, 0x9c, 0xa2, 0x44, 0x31, 0xa5, 0xcb, 0xda, 0xc0, 0x64, 0xb5, 0x15};
/* PCR 16 afterwards: SHA-256(32 zero bytes || demo_digest) (PCR 16 starts zeroed). */
static const uint8_t expected_pcr[32] = {
    0x38, 0x4e, 0x5c, 0x18, 0x64, 0xf8, 0x5e, 0x31, 0xec, 0x89, 0x05, 0x26, 0x26, 0x71, 0xe9, 0x52,
    0xf1, 0xe6, 0x5c, 0x7e, 0x3a, 0xbf, 0xc5, 0xf3, 0x9b, 0xc1, 0xa2, 0x56, 0xee, 0x58, 0x57, 0x10};

static uint8_t page[GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static uint8_t rsp[GUEST_PAGE];
static uint8_t cmd[1024];
static uint8_t nonce[8]; /* from TPM2_GetRandom: makes each sealed secret distinct */
static uint32_t cmd_len, rsp_len;
static unsigned failures;

static void put(unsigned bytes, uint32_t v)
{
	for (unsigned i = 0; i < bytes && cmd_len < sizeof(cmd); i++)
		cmd[cmd_len++] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
}

static void begin(uint16_t tag, uint32_t code)
{
	cmd_len = 0;
	put(2, tag);
	put(4, 0); /* size, set by send() */
	put(4, code);
}

/* The password session with empty auth: TPMS_AUTH_COMMAND in a 9-byte area. */
static void put_pw_session(void)
{
	put(4, 9);
	put(4, TPM_RS_PW);
	put(2, 0); /* nonce */
	put(1, 0); /* attributes */
	put(2, 0); /* hmac (the empty password) */
}

static uint32_t get(uint32_t off, unsigned bytes)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < bytes; i++)
		v = v << 8 | (off + i < rsp_len ? rsp[off + i] : 0);
	return v;
}

static void con_bytes(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		outb(0x3f8, (uint8_t) "0123456789abcdef"[p[i] >> 4]);
		outb(0x3f8, (uint8_t) "0123456789abcdef"[p[i] & 15]);
	}
}

static void fail(const char *what, uint64_t code)
{
	failures++;
	con_puts("[guest] demo: ");
	con_puts(what);
	con_puts(" FAILED: ");
	con_hex(code);
	con_puts("\n");
}

/* Send cmd; 1 with *rc = the response code if the SVSM call worked and the header is sound. */
static int exchange(const char *what, uint32_t *rc)
{
	cmd[2] = (uint8_t)(cmd_len >> 24);
	cmd[3] = (uint8_t)(cmd_len >> 16);
	cmd[4] = (uint8_t)(cmd_len >> 8);
	cmd[5] = (uint8_t)cmd_len;
	uint64_t rax = vtpm_cmd((uint64_t)page, 0, cmd, cmd_len, rsp, sizeof(rsp), &rsp_len);
	if (rax) {
		fail(what, rax);
		return 0;
	}
	if (rsp_len < 10 || get(2, 4) != rsp_len) {
		fail(what, rsp_len < 10 ? ~0ull : get(2, 4));
		return 0;
	}
	*rc = get(6, 4);
	return 1;
}

/* Send cmd; 1 if the SVSM call worked and the response is TPM_RC_SUCCESS with at least `min` bytes
 * (else the failure, e.g. the TPM_RC in hex, is printed and counted). */
static int send(const char *what, uint32_t min)
{
	uint32_t rc;
	if (!exchange(what, &rc))
		return 0;
	if (rc != 0) {
		fail(what, rc);
		return 0;
	}
	if (rsp_len < min) {
		fail(what, rsp_len);
		return 0;
	}
	return 1;
}

static void say(const char *a, const char *b)
{
	con_puts("[guest] demo: ");
	con_puts(a);
	con_puts(b);
}

static void svsm_queries(void)
{
	struct svsm_call c = {.rax = 6 /* SVSM_CORE_QUERY_PROTOCOL */, .rcx = 2ull << 32 | 1};
	if (svsm_call(&c) || c.rax || c.rcx == 0) {
		fail("SVSM_CORE_QUERY_PROTOCOL(vTPM)", c.rax ? c.rax : c.rcx);
		return;
	}
	say("SVSM_CORE_QUERY_PROTOCOL(vTPM, protocol 2): supported, versions ", "");
	con_dec(c.rcx & 0xffffffffu);
	con_puts("..");
	con_dec(c.rcx >> 32);
	con_puts("\n");
	c = (struct svsm_call){.rax = 2ull << 32 | 0 /* SVSM_VTPM_QUERY */};
	if (svsm_call(&c) || c.rax) {
		fail("SVSM_VTPM_QUERY", c.rax);
		return;
	}
	say("SVSM_VTPM_QUERY: platform commands ", "");
	con_hex(c.rcx);
	con_puts(c.rcx & 0x100 ? " (TPM_SEND_COMMAND)" : "");
	con_puts(", features ");
	con_hex(c.rdx);
	con_puts("\n");
}

static void startup_and_random(void)
{
	begin(TPM_ST_NO_SESSIONS, 0x144); /* TPM2_Startup */
	put(2, 0);                        /* TPM_SU_CLEAR */
	if (send("TPM2_Startup(CLEAR)", 10))
		say("TPM2_Startup(CLEAR): TPM_RC_SUCCESS\n", "");
	begin(TPM_ST_NO_SESSIONS, 0x17b); /* TPM2_GetRandom */
	put(2, 16);
	if (!send("TPM2_GetRandom(16)", 12 + 16))
		return;
	if (get(10, 2) != 16) {
		fail("TPM2_GetRandom(16): size", get(10, 2));
		return;
	}
	for (unsigned i = 0; i < sizeof(nonce); i++)
		nonce[i] = rsp[12 + i];
	say("TPM2_GetRandom(16): ", "");
	con_bytes(rsp + 12, 16);
	con_puts("\n");
}

static void pcr(void)
{
	begin(TPM_ST_SESSIONS, 0x182); /* TPM2_PCR_Extend */
	put(4, DEMO_PCR);
	put_pw_session();
	put(4, 1); /* TPML_DIGEST_VALUES: one digest */
	put(2, TPM_ALG_SHA256);
	for (unsigned i = 0; i < 32; i++)
		put(1, demo_digest[i]);
	if (send("TPM2_PCR_Extend", 10)) {
		say("TPM2_PCR_Extend(PCR 16, sha256, SHA-256(\"Keel vTPM demo\") = ", "");
		con_bytes(demo_digest, 32);
		con_puts("): TPM_RC_SUCCESS\n");
	}
	begin(TPM_ST_NO_SESSIONS, 0x17e); /* TPM2_PCR_Read */
	put(4, 1);                        /* TPML_PCR_SELECTION: one bank */
	put(2, TPM_ALG_SHA256);
	put(1, 3);        /* sizeofSelect */
	put(3, 0x000001); /* PCR 16: byte 2, bit 0 */
	/* header, pcrUpdateCounter, selection out (4 + 2 + 1 + 3), TPML_DIGEST count, TPM2B size,
	 * digest */
	if (!send("TPM2_PCR_Read", 10 + 4 + 10 + 4 + 2 + 32))
		return;
	if (get(14, 4) != 1 || get(18, 2) != TPM_ALG_SHA256 || get(20, 1) != 3 || get(21, 3) != 1 ||
	    get(24, 4) != 1 || get(28, 2) != 32) {
		fail("TPM2_PCR_Read: not one sha256 digest of PCR 16", get(24, 4));
		return;
	}
	int match = 1;
	for (unsigned i = 0; i < 32; i++)
		match &= rsp[30 + i] == expected_pcr[i];
	say("TPM2_PCR_Read(PCR 16, sha256): ", "");
	con_bytes(rsp + 30, 32);
	con_puts(match ? " (as expected)\n" : " (NOT the expected value)\n");
	if (!match) {
		failures++;
		say("expected PCR 16: ", "");
		con_bytes(expected_pcr, 32);
		con_puts("\n");
	}
}

static void ek_cert(uint32_t index, const char *what)
{
	begin(TPM_ST_NO_SESSIONS, 0x169); /* TPM2_NV_ReadPublic */
	put(4, index);
	/* TPM2B_NV_PUBLIC: size, nvIndex, nameAlg, attributes, authPolicy (TPM2B), dataSize */
	if (!send(what, 10 + 2 + 4 + 2 + 4 + 2))
		return;
	uint32_t policy = get(22, 2);
	if (get(12, 4) != index || 24 + policy + 2 > rsp_len) {
		fail(what, get(12, 4));
		return;
	}
	say(what, ": ");
	con_dec(get(24 + policy, 2));
	con_puts(" bytes\n");
}

/* The primary's transient handle, or 0 on failure. */
static uint32_t create_primary(void)
{
	begin(TPM_ST_SESSIONS, 0x131); /* TPM2_CreatePrimary */
	put(4, TPM_RH_OWNER);
	put_pw_session();
	put(2, 4); /* TPM2B_SENSITIVE_CREATE: empty userAuth, empty data */
	put(2, 0);
	put(2, 0);
	put(2, 26);     /* TPM2B_PUBLIC */
	put(2, 0x0023); /* TPM_ALG_ECC */
	put(2, TPM_ALG_SHA256);
	/* fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|noDA|restricted|decrypt */
	put(4, 0x00030472);
	put(2, 0);      /* authPolicy */
	put(2, 0x0006); /* AES */
	put(2, 128);
	put(2, 0x0043); /* CFB */
	put(2, 0x0010); /* scheme: TPM_ALG_NULL */
	put(2, 0x0003); /* TPM_ECC_NIST_P256 */
	put(2, 0x0010); /* kdf: TPM_ALG_NULL */
	put(2, 0);      /* unique.x */
	put(2, 0);      /* unique.y */
	put(2, 0);      /* outsideInfo */
	put(4, 0);      /* creationPCR: none */
	if (!send("TPM2_CreatePrimary(owner, ECC P-256)", 14))
		return 0;
	uint32_t handle = get(10, 4);
	say("TPM2_CreatePrimary(owner, ECC NIST P-256 storage key): handle ", "");
	con_hex(handle);
	con_puts("\n");
	return handle;
}

static void flush(uint32_t handle, const char *what)
{
	begin(TPM_ST_NO_SESSIONS, 0x165); /* TPM2_FlushContext */
	put(4, handle);
	if (send(what, 10))
		say(what, ": TPM_RC_SUCCESS\n");
}

/* Copy the TPM2B at rsp[*off] into cmd (size and bytes); 0 if it overruns the response. */
static int put_tpm2b_from_rsp(uint32_t *off)
{
	uint32_t n = get(*off, 2);
	if (*off + 2 + n > rsp_len || cmd_len + 2 + n > sizeof(cmd))
		return 0;
	for (uint32_t i = 0; i < 2 + n; i++)
		cmd[cmd_len++] = rsp[*off + i];
	*off += 2 + n;
	return 1;
}

/* First run: seal a secret under the primary and make it persistent at SEAL_HANDLE. */
static void seal(uint32_t primary)
{
	static const char prefix[] = "Keel demo secret sealed with nonce ";
	char secret[sizeof(prefix) - 1 + 2 * sizeof(nonce) + 1];
	uint32_t len = 0;
	for (uint32_t i = 0; prefix[i]; i++)
		secret[len++] = prefix[i];
	for (uint32_t i = 0; i < sizeof(nonce); i++) {
		secret[len++] = "0123456789abcdef"[nonce[i] >> 4];
		secret[len++] = "0123456789abcdef"[nonce[i] & 15];
	}
	secret[len] = 0;

	begin(TPM_ST_SESSIONS, 0x153); /* TPM2_Create */
	put(4, primary);
	put_pw_session();
	put(2, 2 + 2 + len); /* TPM2B_SENSITIVE_CREATE: empty userAuth, data = the secret */
	put(2, 0);
	put(2, len);
	for (uint32_t i = 0; i < len; i++)
		put(1, (uint8_t)secret[i]);
	put(2, 14);     /* TPM2B_PUBLIC */
	put(2, 0x0008); /* TPM_ALG_KEYEDHASH */
	put(2, TPM_ALG_SHA256);
	put(4, 0x00000452); /* fixedTPM|fixedParent|userWithAuth|noDA: a sealed data object */
	put(2, 0);          /* authPolicy */
	put(2, 0x0010);     /* scheme: TPM_ALG_NULL */
	put(2, 0);          /* unique */
	put(2, 0);          /* outsideInfo */
	put(4, 0);          /* creationPCR: none */
	if (!send("TPM2_Create(sealed data object)", 14 + 2))
		return;

	/* TPM2_Load of the response's outPrivate and outPublic (after header and parameterSize). */
	begin(TPM_ST_SESSIONS, 0x157);
	put(4, primary);
	put_pw_session();
	uint32_t off = 14;
	if (!put_tpm2b_from_rsp(&off) || !put_tpm2b_from_rsp(&off)) {
		fail("TPM2_Create(sealed data object): malformed response", off);
		return;
	}
	if (!send("TPM2_Load(sealed data object)", 14))
		return;
	uint32_t object = get(10, 4);

	begin(TPM_ST_SESSIONS, 0x120); /* TPM2_EvictControl */
	put(4, TPM_RH_OWNER);
	put(4, object);
	put_pw_session();
	put(4, SEAL_HANDLE);
	int persisted = send("TPM2_EvictControl(owner, 0x81000100)", 10);
	flush(object, "TPM2_FlushContext(sealed data object)");
	if (!persisted)
		return;
	say("the sealed secret: \"", secret);
	con_puts("\"\n");
	say("sealed a secret into the vTPM (handle 0x81000100): ",
	    "it will be unsealed on the next run\n");
}

/* A later run: unseal what an earlier run sealed at SEAL_HANDLE. */
static void unseal(void)
{
	begin(TPM_ST_SESSIONS, 0x15e); /* TPM2_Unseal */
	put(4, SEAL_HANDLE);
	put_pw_session();
	if (!send("TPM2_Unseal(0x81000100)", 14 + 2))
		return;
	uint32_t n = get(14, 2);
	if (16 + n > rsp_len) {
		fail("TPM2_Unseal(0x81000100): size", n);
		return;
	}
	say("unsealed the secret sealed by an earlier run: \"", "");
	for (uint32_t i = 0; i < n; i++) {
		uint8_t c = rsp[16 + i];
		outb(0x3f8, c >= 0x20 && c < 0x7f && c != '"' ? c : '?');
	}
	con_puts("\"\n");
}

/* Unseal the persistent sealed object if an earlier run left one, else seal one under primary. */
static void seal_or_unseal(uint32_t primary)
{
	begin(TPM_ST_NO_SESSIONS, 0x173); /* TPM2_ReadPublic */
	put(4, SEAL_HANDLE);
	uint32_t rc;
	if (!exchange("TPM2_ReadPublic(0x81000100)", &rc))
		return;
	if (rc == 0) {
		unseal();
	} else if ((rc & 0x80u) && (rc & 0x3fu) == TPM_RC_HANDLE) { /* format 1: TPM_RC_HANDLE */
		if (primary)
			seal(primary);
	} else {
		fail("TPM2_ReadPublic(0x81000100)", rc);
	}
}

int demo(void)
{
	svsm_queries();
	startup_and_random();
	pcr();
	ek_cert(0x01c00002, "TPM2_NV_ReadPublic(0x01c00002): RSA EK certificate");
	ek_cert(0x01c0000a, "TPM2_NV_ReadPublic(0x01c0000a): ECC EK certificate");
	uint32_t primary = create_primary();
	seal_or_unseal(primary);
	if (primary)
		flush(primary, "TPM2_FlushContext");
	failures += demo_uefi();
	if (failures) {
		con_puts("[guest] demo: ");
		con_dec(failures);
		con_puts(" step(s) failed\n");
		return 1;
	}
	con_puts("[guest] demo: every response was TPM_RC_SUCCESS and PCR 16 matched; the UEFI variable kept\n");
	return 0;
}
