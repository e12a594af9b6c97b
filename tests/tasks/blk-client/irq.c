/*
 * The interrupt syscalls (docs/abi.md "Interrupts"). irq: this task has no
 * device= grant. irq-dev: it has one (virtio-blk) and nobody drives the
 * device, so its interrupt never fires. Hosted, binding answers ENOTSUP.
 */
#include <stdio.h>

#include <keel/syscall.h>

#include "client.h"

static void expect(const char *what, long got, long want)
{
	char line[160];
	snprintf(line, sizeof(line), "%s -> %ld (want %ld)", what, got, want);
	blkc_check(got == want, line);
}

static void no_device(void)
{
	expect("irq: bind device 0 without a device= grant", keel_irq_bind(0), KEEL_EPERM);
	expect("irq: bind device 2^32-1", keel_irq_bind(0xffffffffu), KEEL_EPERM);
	expect("irq: ack slot 0, never given", keel_irq_ack(0), KEEL_EBADHANDLE);
	expect("irq: ack a channel handle (slot 1, wrong type)", keel_irq_ack(BLKC_HANDLE),
	       KEEL_EBADHANDLE);
	expect("irq: ack handle 2^32 (above 32 bits)",
	       keel_syscall6(KEEL_SYS_IRQ_ACK, 1l << 32, 0, 0, 0, 0, 0), KEEL_EBADHANDLE);
}

static void with_device(void)
{
	long h = keel_irq_bind(0), h2;
	keel_handle_t w[2];
	if (h == KEEL_ENOTSUP) {
		blkc_check(1, "irq-dev: bind -> ENOTSUP: no interrupts on this platform (hosted)");
		expect("irq-dev: bind device 1 (no second grant)", keel_irq_bind(1), KEEL_EPERM);
		return;
	}
	blkc_check(h >= 0, "irq-dev: bind device 0 -> a handle");
	if (h < 0)
		return;
	w[0] = (keel_handle_t)h;
	w[1] = 9; /* never given */
	expect("irq-dev: bind device 0 again", keel_irq_bind(0), KEEL_EBUSY);
	expect("irq-dev: bind device 1 (no second grant)", keel_irq_bind(1), KEEL_EPERM);
	expect("irq-dev: wait, poll: not fired", keel_wait(w, 1, KEEL_WAIT_POLL), KEEL_EAGAIN);
	expect("irq-dev: wait 10 ms: not fired", keel_wait(w, 1, 10000000ull), KEEL_ETIMEDOUT);
	expect("irq-dev: wait with a bad second handle", keel_wait(w, 2, KEEL_WAIT_POLL),
	       KEEL_EBADHANDLE);
	expect("irq-dev: ack", keel_irq_ack(w[0]), 0);
	expect("irq-dev: ack at the next generation (stale)",
	       keel_irq_ack(KEEL_HANDLE_MAKE(KEEL_HANDLE_SLOT(w[0]), KEEL_HANDLE_GEN(w[0]) + 1)),
	       KEEL_EBADHANDLE);
	expect("irq-dev: chan_recv on it (wrong type)", keel_chan_recv(w[0], w, sizeof(w)),
	       KEEL_EBADHANDLE);
	expect("irq-dev: close", keel_handle_close(w[0]), 0);
	expect("irq-dev: ack after close", keel_irq_ack(w[0]), KEEL_EBADHANDLE);
	expect("irq-dev: wait after close", keel_wait(w, 1, KEEL_WAIT_POLL), KEEL_EBADHANDLE);
	h2 = keel_irq_bind(0);
	blkc_check(h2 >= 0 && h2 != h, "irq-dev: bind again after close -> a new handle");
	/* left bound: the task's end releases it */
}

/* irq-later: binds only once irq-dev (the peer on handle 1) has ended with
 * its interrupt still bound: the task's end must have released the line. */
static void after_peer(void)
{
	uint8_t buf[16];
	long r = keel_chan_recv(BLKC_HANDLE, buf, sizeof(buf));
	long h;
	expect("irq-later: the peer that held the interrupt is gone", r, KEEL_EPEERCLOSED);
	h = keel_irq_bind(0);
	blkc_check(
	    h >= 0,
	    "irq-later: bind after the holder's end -> a handle (its end released the line)");
}

int blkc_irq(int mode)
{
	if (mode == 2)
		after_peer();
	else if (mode == 1)
		with_device();
	else
		no_device();
	return 0;
}
