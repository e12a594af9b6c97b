/*
 * blk-client MODE [BLOCKS]: exercises blkdev (apps/blkdev) over handle 1.
 *   basic [BLOCKS]  INFO (BLOCKS: the size expected, 0 = any), writes and
 *                   reads back patterns (blkc_pattern), FLUSH, then
 *                   malformed requests; the shell checks the image after.
 *   fault           two writes (blocks 0..2 seed 5, 3..7 seed 6) reporting
 *                   each outcome; blkdev's power cut ends one of them.
 *   ioerr           the device fails reads of block 100, writes of block 101
 *                   and flushes (QEMU blkdebug): each must be BLK_EIO.
 *   slow            a device too slow to answer within blkdev's 5 s: the
 *                   write is BLK_EIO (not a hang), and so is everything after.
 *   irq / irq-dev   the interrupt syscalls without / with a device grant;
 *   irq-later       binds once its peer on handle 1 (irq-dev) has ended.
 * Ends "blk-client: N checks, M failed" and exits 0 only if M is 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel/syscall.h>

#include "client.h"

static void check_status(int32_t got, const char *what)
{
	char line[128];
	snprintf(line, sizeof(line), "%s (status %d)", what, got);
	blkc_check(got == BLK_OK, line);
}

static void basic(uint64_t want_blocks)
{
	struct blk_rsp rsp;
	uint64_t last;
	long err;

	check_status(blkc_simple(BLK_OP_INFO, &rsp), "INFO");
	blkc_log("blk-client: device %llu blocks, flags %u", (unsigned long long)rsp.blocks,
	         rsp.flags);
	blkc_check(want_blocks == 0 || rsp.blocks == want_blocks, "INFO: the size expected");
	if (rsp.status != BLK_OK || rsp.blocks < 16)
		return;
	last = rsp.blocks - 1;
	check_status(blkc_write(0, 1, 1, &err), "WRITE block 0");
	check_status(blkc_write(1, BLK_MAX_BLOCKS, 2, &err), "WRITE blocks 1..15 (count 15)");
	check_status(blkc_write(last, 1, 3, &err), "WRITE the last block");
	check_status(blkc_read_check(0, 1, 1), "READ block 0 back");
	check_status(blkc_read_check(1, BLK_MAX_BLOCKS, 2), "READ blocks 1..15 back");
	check_status(blkc_read_check(last, 1, 3), "READ the last block back");
	check_status(blkc_write(3, 2, 4, &err), "WRITE blocks 3..4 again");
	check_status(blkc_read_check(3, 2, 4), "READ blocks 3..4 back");
	check_status(blkc_read_check(5, 1, 2), "READ block 5 (unchanged)");
	check_status(blkc_simple(BLK_OP_FLUSH, &rsp), "FLUSH");
	blkc_bad_requests(rsp.blocks ? rsp.blocks : last + 1);
	check_status(blkc_read_check(last, 1, 3), "READ the last block after the bad requests");
	check_status(blkc_simple(BLK_OP_INFO, &rsp), "INFO after the bad requests");
}

static void fault(void)
{
	long err;
	int32_t s = blkc_write(0, 3, 5, &err);
	blkc_log("blk-client: write 0..2: status %d err %ld", err ? 0 : s, err);
	s = blkc_write(3, 5, 6, &err);
	blkc_log("blk-client: write 3..7: status %d err %ld", err ? 0 : s, err);
}

static void ioerr(void)
{
	struct blk_rsp rsp;
	long err;
	char line[96];
	int32_t s = blkc_read_check(100, 1, 0);
	snprintf(line, sizeof(line), "READ of a failing block -> BLK_EIO (status %d)", s);
	blkc_check(s == BLK_EIO, line);
	s = blkc_write(101, 1, 7, &err);
	snprintf(line, sizeof(line), "WRITE of a failing block -> BLK_EIO (status %d)", s);
	blkc_check(s == BLK_EIO, line);
	s = blkc_simple(BLK_OP_FLUSH, &rsp);
	snprintf(line, sizeof(line), "FLUSH that fails -> BLK_EIO (status %d)", s);
	blkc_check(s == BLK_EIO, line);
	check_status(blkc_write(0, 1, 8, &err), "WRITE of a good block still works");
	check_status(blkc_read_check(0, 1, 8), "READ of a good block still works");
}

/* ms since t0, and the status, into a check line. */
static void timed(int ok, const char *what, int32_t s, int64_t t0)
{
	char line[128];
	long long ms = (long long)((keel_time(KEEL_CLOCK_MONOTONIC) - t0) / 1000000);
	snprintf(line, sizeof(line), "%s (status %d, %lld ms)", what, s, ms);
	blkc_check(ok && ms >= 0, line);
	blkc_log("blk-client: %s took %lld ms", what, ms);
}

static void slow(void)
{
	struct blk_rsp rsp;
	long err;
	int64_t t0 = keel_time(KEEL_CLOCK_MONOTONIC);
	/* the throttle lets the first burst through and then owes a minute */
	int32_t s = blkc_write(0, BLK_MAX_BLOCKS, 9, &err);
	timed(s == BLK_OK, "WRITE 60 KiB (let through, fills the throttle)", s, t0);
	t0 = keel_time(KEEL_CLOCK_MONOTONIC);
	s = blkc_read_check(0, 1, 9);
	timed(s == BLK_EIO, "READ from the stalled device -> BLK_EIO", s, t0);
	s = blkc_simple(BLK_OP_INFO, &rsp);
	blkc_check(s == BLK_OK, "INFO still answers");
	t0 = keel_time(KEEL_CLOCK_MONOTONIC);
	s = blkc_read_check(0, 1, 9);
	timed(s == BLK_EIO, "READ after the device was abandoned -> BLK_EIO", s, t0);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "basic";
	char arg[64];
	uint64_t blocks = 0;
	char *sp;

	snprintf(arg, sizeof(arg), "%s", mode);
	sp = strchr(arg, ' ');
	if (sp) {
		*sp = 0;
		blocks = strtoull(sp + 1, NULL, 10);
	}
	if (!strcmp(arg, "basic"))
		basic(blocks);
	else if (!strcmp(arg, "fault"))
		fault();
	else if (!strcmp(arg, "ioerr"))
		ioerr();
	else if (!strcmp(arg, "slow"))
		slow();
	else if (!strcmp(arg, "irq") || !strcmp(arg, "irq-dev") || !strcmp(arg, "irq-later"))
		blkc_irq(!strcmp(arg, "irq-later") ? 2 : !strcmp(arg, "irq-dev"));
	else
		blkc_check(0, "known mode");
	blkc_log("blk-client: %u checks, %u failed", blkc_checks, blkc_failed);
	return blkc_failed ? 1 : 0;
}
