/* keel-state: an image file as a store_dev, and the key options. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <keel/hex.h>

#include "keel_state.h"

static int file_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
	size_t len = (size_t)count * STORE_BLOCK;
	ssize_t n = pread(*(int *)ctx, buf, len, (off_t)(block * STORE_BLOCK));

	return n == (ssize_t)len ? 0 : STORAGED_EIO;
}

static int file_write(void *ctx, uint64_t block, uint32_t count, const void *buf)
{
	size_t len = (size_t)count * STORE_BLOCK;
	ssize_t n = pwrite(*(int *)ctx, buf, len, (off_t)(block * STORE_BLOCK));

	return n == (ssize_t)len ? 0 : STORAGED_EIO;
}

static int file_flush(void *ctx)
{
	return fsync(*(int *)ctx) == 0 ? 0 : STORAGED_EIO;
}

int ks_file_dev(struct ks_image *img, const char *path, int writable)
{
	struct stat st;

	img->path = path;
	img->store = NULL;
	img->fd = open(path, writable ? O_RDWR : O_RDONLY);
	if (img->fd < 0 || fstat(img->fd, &st) != 0) {
		fprintf(stderr, "keel-state: %s: %s\n", path, strerror(errno));
		return 1;
	}
	img->dev.ctx = &img->fd;
	img->dev.blocks = (uint64_t)st.st_size / STORE_BLOCK;
	img->dev.read = file_read;
	img->dev.write = file_write;
	img->dev.flush = file_flush;
	return 0;
}

/* 32 raw bytes, or 64 hex digits and an optional newline. */
static int parse_key(const uint8_t *buf, size_t n, uint8_t key[STORE_KEY_LEN])
{
	if (n == STORE_KEY_LEN) {
		memcpy(key, buf, STORE_KEY_LEN);
		return 0;
	}
	if (n == 2 * STORE_KEY_LEN + 1 && buf[n - 1] == '\n')
		n--;
	if (n != 2 * STORE_KEY_LEN)
		return -1;
	for (size_t i = 0; i < STORE_KEY_LEN; i++) {
		int hi = keel_hexval((char)buf[2 * i]), lo = keel_hexval((char)buf[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		key[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int ks_load_key(const struct ks_opts *o, uint8_t key[STORE_KEY_LEN])
{
	uint8_t buf[2 * STORE_KEY_LEN + 2];
	ssize_t n;
	int fd, rc;

	if (o->dev_key && o->key_file) {
		fprintf(stderr, "keel-state: give --key-file or --dev-key, not both\n");
		return 1;
	}
	if (o->dev_key) {
		fprintf(stderr, "keel-state: using the INSECURE development key\n");
		store_dev_key(key);
		return 0;
	}
	if (!o->key_file) {
		fprintf(stderr, "keel-state: a key is needed: --key-file FILE or --dev-key\n");
		return 1;
	}
	fd = open(o->key_file, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "keel-state: key file %s: %s\n", o->key_file, strerror(errno));
		return 1;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	rc = n < 0 ? -1 : parse_key(buf, (size_t)n, key);
	explicit_bzero(buf, sizeof(buf));
	if (rc != 0) {
		fprintf(stderr,
		        "keel-state: key file %s: expected exactly 32 raw bytes or 64 hex digits "
		        "(and a newline)\n",
		        o->key_file);
		explicit_bzero(key, STORE_KEY_LEN);
		return 1;
	}
	return 0;
}

int ks_open(const struct ks_opts *o, struct ks_image *img, int writable)
{
	uint8_t key[STORE_KEY_LEN];
	char why[256];
	int rc;

	if (o->argc < 1) {
		fprintf(stderr, "keel-state: no IMAGE given\n");
		return 1;
	}
	if (ks_load_key(o, key) != 0)
		return 1;
	if (ks_file_dev(img, o->argv[0], writable) != 0) {
		explicit_bzero(key, sizeof(key));
		return 1;
	}
	rc = store_open(&img->dev, key, o->min_generation, &img->store, why, sizeof(why));
	explicit_bzero(key, sizeof(key));
	if (rc != STORAGED_OK) {
		fprintf(stderr, "keel-state: %s: %s\n", img->path, why);
		close(img->fd);
		return 1;
	}
	return 0;
}

void ks_close(struct ks_image *img)
{
	store_close(img->store);
	img->store = NULL;
	if (img->fd >= 0)
		close(img->fd);
	img->fd = -1;
}
