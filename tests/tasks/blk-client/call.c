/* blk-client's request helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "client.h"

unsigned blkc_checks, blkc_failed;
static uint8_t req_buf[KEEL_MSG_MAX];
static uint8_t rsp_buf[KEEL_MSG_MAX];

void blkc_log(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	keel_log(line, strlen(line));
}

void blkc_check(int cond, const char *what)
{
	blkc_checks++;
	if (!cond)
		blkc_failed++;
	blkc_log("%s: %s", cond ? "ok" : "FAIL", what);
}

uint8_t blkc_pattern(uint64_t b, uint32_t i, uint32_t s)
{
	return (uint8_t)(b * 131u + i * 7u + s * 29u + (i >> 8));
}

long blkc_call(const void *req, size_t len, struct blk_rsp *rsp, uint8_t *data, size_t data_cap)
{
	long n = keel_chan_call(BLKC_HANDLE, req, len, rsp_buf, sizeof(rsp_buf));
	if (n < 0)
		return n;
	memset(rsp, 0, sizeof(*rsp));
	memcpy(rsp, rsp_buf, (size_t)n < sizeof(*rsp) ? (size_t)n : sizeof(*rsp));
	if (data && (size_t)n > sizeof(*rsp))
		memcpy(data, rsp_buf + sizeof(*rsp),
		       (size_t)n - sizeof(*rsp) < data_cap ? (size_t)n - sizeof(*rsp) : data_cap);
	return n;
}

static void fill_req(uint32_t op, uint64_t block, uint32_t count, size_t payload)
{
	struct blk_req r = {{op, (uint32_t)(sizeof(r) - sizeof(r.hdr) + payload)}, block, count, 0};
	memcpy(req_buf, &r, sizeof(r));
}

int32_t blkc_write(uint64_t block, uint32_t count, uint32_t seed, long *err)
{
	struct blk_rsp rsp;
	uint8_t *d = req_buf + sizeof(struct blk_req);
	long n;
	for (uint32_t k = 0; k < count; k++)
		for (uint32_t i = 0; i < BLK_BLOCK; i++)
			d[(size_t)k * BLK_BLOCK + i] = blkc_pattern(block + k, i, seed);
	fill_req(BLK_OP_WRITE, block, count, (size_t)count * BLK_BLOCK);
	n = blkc_call(req_buf, sizeof(struct blk_req) + (size_t)count * BLK_BLOCK, &rsp, NULL, 0);
	*err = n < 0 ? n : 0;
	if (n < 0)
		return INT32_MIN;
	return n == sizeof(rsp) && rsp.hdr.op == BLK_OP_WRITE ? rsp.status : INT32_MIN;
}

int32_t blkc_read_check(uint64_t block, uint32_t count, uint32_t seed)
{
	static uint8_t data[BLK_MAX_BLOCKS * BLK_BLOCK];
	struct blk_rsp rsp;
	struct blk_req r = {{BLK_OP_READ, sizeof(r) - sizeof(r.hdr)}, block, count, 0};
	long n = blkc_call(&r, sizeof(r), &rsp, data, sizeof(data));
	if (n != (long)(sizeof(rsp) + (size_t)count * BLK_BLOCK) || rsp.status != BLK_OK)
		return n < 0 ? INT32_MIN : rsp.status ? rsp.status : INT32_MIN;
	for (uint32_t k = 0; k < count; k++)
		for (uint32_t i = 0; i < BLK_BLOCK; i++)
			if (data[(size_t)k * BLK_BLOCK + i] != blkc_pattern(block + k, i, seed))
				return INT32_MIN + 1; /* data mismatch */
	return BLK_OK;
}

int32_t blkc_simple(uint32_t op, struct blk_rsp *rsp)
{
	struct blk_req r = {{op, sizeof(r) - sizeof(r.hdr)}, 0, 0, 0};
	long n = blkc_call(&r, sizeof(r), rsp, NULL, 0);
	return n == sizeof(*rsp) && rsp->hdr.op == op ? rsp->status : INT32_MIN;
}
