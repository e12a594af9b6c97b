/*
 * keel_wait's deadline, one rule for the kernel (kernel/syscall/sys_chan.c)
 * and the hosted shim (syscalls/hosted/chan.c). Not part of the task API:
 * it lives here so that both can see it without kernel/ headers.
 */
#ifndef KEEL_DEADLINE_H
#define KEEL_DEADLINE_H

#include <stdint.h>

#include <keel/errors.h>
#include <keel/syscall_numbers.h>

/* No deadline: wait without limit. */
#define KEEL_DEADLINE_NONE UINT64_MAX

/*
 * The absolute CLOCK_MONOTONIC deadline of a keel_wait that starts at
 * `now_ns` with `timeout_ns` (docs/abi.md): 0 for KEEL_WAIT_POLL (look
 * once), KEEL_DEADLINE_NONE for KEEL_WAIT_FOREVER and for a timeout that
 * would run past the end of the clock (centuries away: forever too), else
 * now_ns + timeout_ns. The wait ends with KEEL_ETIMEDOUT once the clock
 * reaches it.
 */
static inline uint64_t keel_wait_deadline(uint64_t now_ns, uint64_t timeout_ns)
{
	if (timeout_ns == KEEL_WAIT_POLL)
		return 0;
	if (timeout_ns == KEEL_WAIT_FOREVER || timeout_ns >= KEEL_DEADLINE_NONE - now_ns)
		return KEEL_DEADLINE_NONE;
	return now_ns + timeout_ns;
}

/*
 * A wait that looked and found nothing ready, at `now_ns`: KEEL_EAGAIN for
 * a poll (deadline 0), KEEL_ETIMEDOUT once the deadline has come, else 0
 * (sleep on, until the deadline at most).
 */
static inline long keel_wait_verdict(uint64_t deadline, uint64_t now_ns)
{
	if (deadline == 0)
		return KEEL_EAGAIN;
	return now_ns >= deadline ? KEEL_ETIMEDOUT : 0;
}

#endif
