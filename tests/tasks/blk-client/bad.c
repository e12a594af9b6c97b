/*
 * Malformed and out-of-range requests: each must get its BLK_E* status in
 * a plain 24-byte reply, and the driver must stay up.
 */
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "client.h"

static uint8_t msg[KEEL_MSG_MAX];

/* Sends msg[0..len) with the header fields given; checks the status. */
static void expect(const char *what, size_t len, uint32_t op, uint32_t hlen, uint64_t block,
                   uint32_t count, uint32_t reserved, int32_t want)
{
	struct blk_req r = {{op, hlen}, block, count, reserved};
	struct blk_rsp rsp;
	char line[160];
	long n;

	memcpy(msg, &r, len < sizeof(r) ? len : sizeof(r));
	n = blkc_call(msg, len, &rsp, NULL, 0);
	snprintf(line, sizeof(line), "%s -> status %d (want %d, reply %ld bytes)", what,
	         n == sizeof(rsp) ? rsp.status : 0, want, n);
	blkc_check(n == sizeof(rsp) && rsp.status == want && rsp.hdr.len == sizeof(rsp) - 8, line);
}

#define HL(payload) ((uint32_t)(sizeof(struct blk_req) - sizeof(struct keel_msg) + (payload)))

int blkc_bad_requests(uint64_t blocks)
{
	const size_t R = sizeof(struct blk_req);
	const uint32_t B = BLK_BLOCK;

	expect("4-byte message", 4, BLK_OP_READ, 0, 0, 1, 0, BLK_EINVAL);
	expect("header only", 8, BLK_OP_READ, 0, 0, 1, 0, BLK_EINVAL);
	expect("keel_msg len off by one", R, BLK_OP_READ, HL(1), 0, 1, 0, BLK_EINVAL);
	expect("unknown op", R, BLK_OP_FLUSH + 1, HL(0), 0, 1, 0, BLK_EINVAL);
	expect("KEEL_OP_PING", R, KEEL_OP_PING, HL(0), 0, 1, 0, BLK_EINVAL);
	expect("reserved not 0", R, BLK_OP_READ, HL(0), 0, 1, 1, BLK_EINVAL);
	expect("INFO reserved not 0", R, BLK_OP_INFO, HL(0), 0, 0, 0x80000000u, BLK_EINVAL);
	expect("READ count 0", R, BLK_OP_READ, HL(0), 0, 0, 0, BLK_ERANGE);
	expect("READ count 16", R, BLK_OP_READ, HL(0), 0, BLK_MAX_BLOCKS + 1, 0, BLK_ERANGE);
	expect("READ count 2^32-1", R, BLK_OP_READ, HL(0), 0, 0xffffffffu, 0, BLK_ERANGE);
	expect("READ at the end", R, BLK_OP_READ, HL(0), blocks, 1, 0, BLK_ERANGE);
	expect("READ across the end", R, BLK_OP_READ, HL(0), blocks - 1, 2, 0, BLK_ERANGE);
	expect("READ block 2^64-1 count 2 (wraps)", R, BLK_OP_READ, HL(0), UINT64_MAX, 2, 0,
	       BLK_ERANGE);
	expect("READ block 2^61 (sector wraps)", R, BLK_OP_READ, HL(0), 1ull << 61, 1, 0,
	       BLK_ERANGE);
	expect("WRITE across the end", R + 2 * B, BLK_OP_WRITE, HL(2 * B), blocks - 1, 2, 0,
	       BLK_ERANGE);
	expect("WRITE block 2^64-1", R + B, BLK_OP_WRITE, HL(B), UINT64_MAX, 1, 0, BLK_ERANGE);
	expect("WRITE count 2, one block of data", R + B, BLK_OP_WRITE, HL(B), 0, 2, 0, BLK_EINVAL);
	expect("WRITE count 1, two blocks of data", R + 2 * B, BLK_OP_WRITE, HL(2 * B), 0, 1, 0,
	       BLK_EINVAL);
	expect("WRITE count 1, no data", R, BLK_OP_WRITE, HL(0), 0, 1, 0, BLK_EINVAL);
	expect("WRITE count 0", R, BLK_OP_WRITE, HL(0), 0, 0, 0, BLK_ERANGE);
	expect("WRITE 15 blocks + 8 bytes (64 KiB + 8 message)", KEEL_MSG_MAX, BLK_OP_WRITE,
	       HL(KEEL_MSG_MAX - R), 0, BLK_MAX_BLOCKS, 0, BLK_EINVAL);
	expect("READ with a payload", R + 16, BLK_OP_READ, HL(16), 0, 1, 0, BLK_EINVAL);
	expect("INFO with a payload", R + 4, BLK_OP_INFO, HL(4), 0, 0, 0, BLK_EINVAL);
	expect("FLUSH with a payload", R + 4, BLK_OP_FLUSH, HL(4), 0, 0, 0, BLK_EINVAL);
	return 0;
}
