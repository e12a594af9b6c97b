/*
 * `make bench` (tests/bench/run-bench.sh): what one small update costs the
 * store (docs/storage-format.md, "Cost of a small update"). For 8 MiB,
 * 64 MiB and 512 MiB images on an in-memory device holding a few objects,
 * one 4 KiB object is replaced again and again: block writes, bytes written
 * and flushes per update. Then the commit's latency on a real file
 * (pwrite + fdatasync as the device) next to a raw 4 KiB pwrite + fdatasync
 * on the same file system. Usage: store-bench [DIR] (default $TMPDIR or /tmp).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_time.h"
#include "store.h"

#define UPDATES 200
#define LAT_ROUNDS 50

static uint8_t key[STORE_KEY_LEN];

static int put1(struct store *s, const char *name, const void *data, size_t len)
{
	struct store_txn *t;
	int rc = store_txn_begin(s, &t);

	if (rc == STORAGED_OK) {
		rc = store_txn_put(t, name, data, len);
		if (rc != STORAGED_OK) {
			store_txn_abort(t);
			return rc;
		}
		rc = store_txn_commit(t);
	}
	return rc;
}

/* A few objects like the vTPM's and UEFI's. */
static int populate(struct store *s)
{
	static uint8_t blob[1 << 20];
	char name[32];
	int rc;

	memset(blob, 0x3c, sizeof(blob));
	rc = put1(s, "vtpm/permall", blob, 4096);
	rc = rc ? rc : put1(s, "vtpm/volatile", blob, 64 << 10);
	rc = rc ? rc : put1(s, "uefivars/store", blob, sizeof(blob));
	for (int i = 0; rc == STORAGED_OK && i < 8; i++) {
		snprintf(name, sizeof(name), "vtpm/nv-%d", i);
		rc = put1(s, name, blob, 200);
	}
	return rc;
}

static int per_update(uint64_t mib)
{
	struct store_dev dev;
	struct store *s;
	struct store_stats a, b;
	uint8_t page[4096];
	char why[256];
	int rc;

	if (store_ramdev_init(&dev, mib * 256) != STORAGED_OK)
		return 1;
	rc = store_format(&dev, key, 0, &s, why, sizeof(why));
	if (rc != STORAGED_OK || populate(s) != STORAGED_OK) {
		fprintf(stderr, "store-bench: %s\n", rc ? why : store_why(s));
		return 1;
	}
	store_stats(s, &a);
	for (int i = 0; i < UPDATES; i++) {
		memset(page, i, sizeof(page));
		if (put1(s, "vtpm/permall", page, sizeof(page)) != STORAGED_OK) {
			fprintf(stderr, "store-bench: %s\n", store_why(s));
			return 1;
		}
	}
	store_stats(s, &b);
	printf("store-bench image=%lluMiB block_writes_per_update=%.2f bytes_per_update=%.0f "
	       "flushes_per_update=%.2f\n",
	       (unsigned long long)mib, (double)(b.block_writes - a.block_writes) / UPDATES,
	       (double)(b.bytes_written - a.bytes_written) / UPDATES,
	       (double)(b.flushes - a.flushes) / UPDATES);
	store_close(s);
	store_ramdev_free(&dev);
	return 0;
}

static int f_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
	size_t len = (size_t)count * STORE_BLOCK;

	return pread(*(int *)ctx, buf, len, (off_t)(block * STORE_BLOCK)) == (ssize_t)len
	           ? 0
	           : STORAGED_EIO;
}

static int f_write(void *ctx, uint64_t block, uint32_t count, const void *buf)
{
	size_t len = (size_t)count * STORE_BLOCK;

	return pwrite(*(int *)ctx, buf, len, (off_t)(block * STORE_BLOCK)) == (ssize_t)len
	           ? 0
	           : STORAGED_EIO;
}

static int f_flush(void *ctx)
{
	return fdatasync(*(int *)ctx) == 0 ? 0 : STORAGED_EIO;
}

static int latency(const char *dir)
{
	char path[512], why[256];
	uint64_t commit[LAT_ROUNDS], raw[LAT_ROUNDS];
	uint8_t page[4096];
	struct store *s;
	int fd;
	struct store_dev dev = {&fd, 2048, f_read, f_write, f_flush};

	snprintf(path, sizeof(path), "%s/store-bench.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, 8 << 20) != 0) {
		perror("store-bench: image file");
		return 1;
	}
	unlink(path);
	if (store_format(&dev, key, 0, &s, why, sizeof(why)) != STORAGED_OK ||
	    populate(s) != STORAGED_OK) {
		fprintf(stderr, "store-bench: file image failed\n");
		return 1;
	}
	for (int i = 0; i < LAT_ROUNDS; i++) {
		uint64_t t0 = now_ns(), t1, t2;

		memset(page, i, sizeof(page));
		if (put1(s, "vtpm/permall", page, sizeof(page)) != STORAGED_OK)
			return 1;
		t1 = now_ns();
		/* the same size, raw: one 4 KiB write and one flush on the same file */
		if (pwrite(fd, page, sizeof(page), (off_t)((2000 + i % 40) * 4096)) != 4096 ||
		    fdatasync(fd) != 0)
			return 1;
		t2 = now_ns();
		commit[i] = t1 - t0;
		raw[i] = t2 - t1;
	}
	printf("store-bench file=%s commit_4k_median_us=%.1f raw_write_flush_4k_median_us=%.1f\n",
	       dir, median(commit, LAT_ROUNDS) / 1000.0, median(raw, LAT_ROUNDS) / 1000.0);
	store_close(s);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	static const uint64_t sizes[] = {8, 64, 512};
	int rc = 0;

	for (unsigned i = 0; i < STORE_KEY_LEN; i++)
		key[i] = (uint8_t)i;
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		rc |= per_update(sizes[i]);
	rc |= latency(dir);
	return rc;
}
