/*
 * Attacks that a correct kernel answers by killing the task: reading or
 * writing kernel memory, executing data (NX), writing code (W^X). Each
 * prints what it does first, so the serial log shows where it died. The
 * write-victim mode lives here too: its outcome (own copy or kill)
 * depends on the address-space layout, so its manifest says expect=any
 * and the victim's own check is what counts.
 */
#include <string.h>

#include "hostile.h"

/* A `ret` in .data: if the kernel maps data executable, the call returns. */
static uint8_t data_code[64] __attribute__((aligned(64))) = { 0xc3 };

/* Large enough that a low victim .data address usually falls inside it. */
static uint8_t own_pad[512 * 1024] __attribute__((aligned(4096))) = { 1 };

static void say(const char *what, uint64_t addr)
{
	struct tline l;

	tl_init(&l, tcheck_prefix);
	tl_str(&l, what);
	tl_str(&l, " ");
	tl_hex(&l, addr);
	tl_str(&l, " (expect the kernel to kill this task)");
	tl_emit(&l);
}

static void read_at(uint64_t addr)
{
	say("reading", addr);
	volatile uint64_t v = *(volatile uint64_t *)(uintptr_t)addr;
	(void)v;
}

static void write_at(uint64_t addr, uint8_t value)
{
	say("writing", addr);
	*(volatile uint8_t *)(uintptr_t)addr = value;
}

void mode_read_kernel(void)
{
	read_at(HOSTILE_KERNEL_TEXT);
}

void mode_read_directmap(void)
{
	read_at(HOSTILE_DIRECT_MAP + 0x01000000ull); /* the kernel image, via the direct map */
	read_at(HOSTILE_DIRECT_MAP);
}

void mode_write_kernel(void)
{
	write_at(HOSTILE_KERNEL_TEXT, 0xcc);
	write_at(HOSTILE_DIRECT_MAP + 0x01000000ull, 0xcc);
}

void mode_exec_data(void)
{
	void (*fn)(void) = (void (*)(void))(uintptr_t)data_code;

	say("calling .data at", (uint64_t)(uintptr_t)data_code);
	fn();
}

void mode_exec_mapped(void)
{
	long err;
	uint8_t *p = keel_mem_map(4096, KEEL_PROT_READ | KEEL_PROT_WRITE, &err);
	void (*fn)(void);

	if (!tcheck_true("mem_map RW page to execute from", p != NULL))
		return;
	memset(p, 0xc3, 4096);
	fn = (void (*)(void))(uintptr_t)p;
	say("calling mem_map'd RW page at", (uint64_t)(uintptr_t)p);
	fn();
}

void mode_write_code(void)
{
	write_at((uint64_t)(uintptr_t)&mode_write_code, 0xc3);
}

static int victim_intact(void)
{
	uint8_t rsp[64];
	long r = hostile_victim_call(VICTIM_OP_CHECK, NULL, 0, rsp, sizeof(rsp));

	return r == (long)(sizeof(struct keel_msg) + 4) && rsp[sizeof(struct keel_msg)] == 1;
}

static int in_own_pad(uint64_t a, uint64_t len)
{
	uint64_t base = (uint64_t)(uintptr_t)own_pad;
	return a >= base && a + len <= base + sizeof(own_pad);
}

void mode_write_victim(void)
{
	uint8_t rsp[64];
	struct victim_where w;
	long err, r = hostile_victim_call(VICTIM_OP_WHERE, NULL, 0, rsp, sizeof(rsp));
	uint8_t *mine = keel_mem_map(8192, KEEL_PROT_READ | KEEL_PROT_WRITE, &err);

	if (!tcheck_eq("victim answers WHERE", r, (long)(sizeof(struct keel_msg) + sizeof(w))))
		return;
	memcpy(&w, rsp + sizeof(struct keel_msg), sizeof(w));
	tcheck_true("victim intact before the attack", victim_intact());
	if (in_own_pad(w.data_addr, w.len)) {
		tlog(tcheck_prefix, "victim's .data secret VA lies in my own .data: writing my copy");
		memset((void *)(uintptr_t)w.data_addr, 0x5a, w.len);
		tcheck_true("victim intact after writing its .data VA here", victim_intact());
	}
	if (mine && (uint64_t)(uintptr_t)mine == w.mapped_addr) {
		tlog(tcheck_prefix, "victim's mapped secret VA is my own mapping: writing my copy");
		memset(mine, 0x5a, 8192);
		tcheck_true("victim intact after writing its mapped VA here", victim_intact());
	} else {
		write_at(w.mapped_addr, 0x5a); /* not mapped for us: must kill */
		tcheck_true("victim intact after writing its mapped VA here", victim_intact());
	}
	if (!in_own_pad(w.data_addr, w.len)) {
		write_at(w.data_addr, 0x5a);
		tcheck_true("victim intact after writing its .data VA here", victim_intact());
	}
}
