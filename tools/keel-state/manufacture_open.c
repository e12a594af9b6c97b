/*
 * manufacture_open (manufacture.h): the image as a store_dev over a file
 * (pread/pwrite/fdatasync), the root key, store_open, or store_format
 * when the image is blank, as storaged does inside Keel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "../../apps/storaged/store.h"
#include "manufacture.h"

#define NEW_IMAGE_BYTES (8u << 20)
#define DEV_KEY_LABEL "keel insecure development key v1" /* storaged's dev-key (docs/storaged.md) */

static int fd = -1;

static int dev_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
	(void)ctx;
	size_t n = (size_t)count * STORE_BLOCK;
	return pread(fd, buf, n, (off_t)(block * STORE_BLOCK)) == (ssize_t)n ? 0 : STORAGED_EIO;
}

static int dev_write(void *ctx, uint64_t block, uint32_t count, const void *buf)
{
	(void)ctx;
	size_t n = (size_t)count * STORE_BLOCK;
	return pwrite(fd, buf, n, (off_t)(block * STORE_BLOCK)) == (ssize_t)n ? 0 : STORAGED_EIO;
}

static int dev_flush(void *ctx)
{
	(void)ctx;
	return fdatasync(fd) == 0 ? 0 : STORAGED_EIO;
}

/* The 32-byte root key: the key file's exact contents, or the development key. */
static int get_key(const char *key_file, int dev_key, uint8_t key[STORE_KEY_LEN])
{
	if (dev_key) {
		SHA256((const unsigned char *)DEV_KEY_LABEL, sizeof(DEV_KEY_LABEL) - 1, key);
		fprintf(stderr, "keel-state: INSECURE development key\n");
		return 0;
	}
	uint8_t extra;
	FILE *f = fopen(key_file, "rb");
	int ok = f != NULL && fread(key, 1, STORE_KEY_LEN, f) == STORE_KEY_LEN &&
		 fread(&extra, 1, 1, f) == 0;
	if (f != NULL)
		fclose(f);
	if (!ok)
		fprintf(stderr, "keel-state: %s: not a %u-byte key file\n", key_file, STORE_KEY_LEN);
	return ok ? 0 : -1;
}

int manufacture_open(const char *image, const char *key_file, int dev_key, struct store **out)
{
	static struct store_dev dev = {NULL, 0, dev_read, dev_write, dev_flush};
	uint8_t key[STORE_KEY_LEN];
	char why[256] = "";
	struct stat st;
	fd = open(image, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || fstat(fd, &st) != 0) {
		fprintf(stderr, "keel-state: cannot open %s: %s\n", image, strerror(errno));
		return 1;
	}
	if (st.st_size == 0 && ftruncate(fd, NEW_IMAGE_BYTES) == 0) {
		st.st_size = NEW_IMAGE_BYTES;
		printf("keel-state: created %s (%u MiB, sparse)\n", image, NEW_IMAGE_BYTES >> 20);
	}
	dev.blocks = (uint64_t)st.st_size / STORE_BLOCK;
	if (get_key(key_file, dev_key, key) != 0)
		return 1;
	int r = store_open(&dev, key, 0, out, why, sizeof(why));
	if (r == STORAGED_EBLANK) {
		printf("keel-state: %s is blank: formatting it\n", image);
		r = store_format(&dev, key, 1, out, why, sizeof(why));
	}
	explicit_bzero(key, sizeof(key));
	if (r != STORAGED_OK) {
		fprintf(stderr, "keel-state: %s: %s\n", image, why);
		return 1;
	}
	return 0;
}
