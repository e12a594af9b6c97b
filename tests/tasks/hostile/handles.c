/*
 * Capability checks: handles this task was never given (other slots,
 * including the slots the victim uses for other hostiles), wrong and
 * stale generations, closed handles, and unknown syscall numbers. Every
 * call must fail with the documented code and leave the task working.
 */
#include <string.h>

#include "hostile.h"

static long call_on(keel_handle_t h)
{
	struct keel_msg req = { KEEL_OP_PING, 0 };
	uint8_t rsp[64];

	return keel_chan_call(h, &req, sizeof(req), rsp, sizeof(rsp));
}

static void check_all_ops(const char *what, keel_handle_t h)
{
	struct tline l;
	uint8_t buf[64];
	char name[96];

	tl_init(&l, what);
	tl_hex(&l, h);
	l.buf[l.len] = 0;
	strcpy(name, l.buf);
	strcat(name, " chan_call");
	tcheck_eq(name, call_on(h), KEEL_EBADHANDLE);
	strcpy(name, l.buf);
	strcat(name, " chan_reply");
	tcheck_eq(name, keel_chan_reply(h, buf, 8), KEEL_EBADHANDLE);
	strcpy(name, l.buf);
	strcat(name, " wait");
	tcheck_eq(name, keel_wait(&h, 1, KEEL_WAIT_POLL), KEEL_EBADHANDLE);
	strcpy(name, l.buf);
	strcat(name, " handle_close");
	tcheck_eq(name, keel_handle_close(h), KEEL_EBADHANDLE);
}

static void unknown_syscalls(void)
{
	static const long nrs[] = {
		KEEL_SYS_COUNT, KEEL_SYS_COUNT + 1, 255, 4096, 0x7fffffffl, -1,
		(1l << 32) | KEEL_SYS_LOG,  /* a kernel truncating RAX to 32 bits would log */
		(1l << 32) | KEEL_SYS_EXIT, /* ... or exit */
		(long)0x8000000000000000ull,
	};
	char msg[] = "must not be logged\n";

	for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		struct tline l;
		tl_init(&l, "unknown syscall");
		tl_hex(&l, (uint64_t)nrs[i]);
		l.buf[l.len] = 0;
		tcheck_eq(l.buf, keel_syscall6(nrs[i], (long)msg, sizeof(msg) - 1, 0, 0, 0, 0),
			  KEEL_ENOSYS);
	}
}

void mode_bad_handles(void)
{
	/* Slots never given to this task (it holds only HOSTILE_VICTIM_SLOT). */
	check_all_ops("slot 0 never given", 0);
	for (keel_handle_t s = 2; s < KEEL_MAX_HANDLES; s += 7)
		check_all_ops("slot never given (another task's number)", s);
	check_all_ops("slot past the table", KEEL_MAX_HANDLES);
	check_all_ops("slot 0xffff", 0xffff);
	check_all_ops("KEEL_HANDLE_INVALID", KEEL_HANDLE_INVALID);
	/* The slot we hold, with generations it never had. */
	check_all_ops("wrong generation 1", KEEL_HANDLE_MAKE(HOSTILE_VICTIM_SLOT, 1));
	check_all_ops("wrong generation 0xffff", KEEL_HANDLE_MAKE(HOSTILE_VICTIM_SLOT, 0xffff));

	tcheck_eq("ping on the handle we were given", call_on(HOSTILE_VICTIM_SLOT),
		  (long)sizeof(struct keel_msg));
	unknown_syscalls();
	tcheck_eq("close the handle we were given", keel_handle_close(HOSTILE_VICTIM_SLOT), 0);
	/* Closing bumped the generation: generation 0 is now stale. */
	check_all_ops("stale (closed) handle", HOSTILE_VICTIM_SLOT);
	check_all_ops("next generation of the closed slot", KEEL_HANDLE_MAKE(HOSTILE_VICTIM_SLOT, 1));
	tcheck_eq("still able to log", keel_log("hostile bad-handles: still alive\n", 34), 34);
}
