/* keel-state create, list, dump, check, put, rm. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keel_state.h"

int ks_cmd_create(const struct ks_opts *o)
{
	struct ks_image img;
	struct store *s;
	uint8_t key[STORE_KEY_LEN];
	char why[256];
	int fd, rc;

	if (o->argc != 1) {
		fprintf(stderr, "keel-state create: IMAGE expected\n");
		return 2;
	}
	if (o->size % STORE_BLOCK || o->size < 8 * STORE_BLOCK || o->size > (64ull << 30)) {
		fprintf(stderr, "keel-state create: size must be a multiple of 4096, 32K..64G\n");
		return 2;
	}
	if (ks_load_key(o, key) != 0)
		return 1;
	fd = open(o->argv[0], O_RDWR | O_CREAT | (o->force ? O_TRUNC : O_EXCL), 0600);
	if (fd < 0 || ftruncate(fd, (off_t)o->size) != 0) { /* sparse */
		fprintf(stderr, "keel-state: %s: %s%s\n", o->argv[0], strerror(errno),
		        errno == EEXIST ? " (--force overwrites)" : "");
		explicit_bzero(key, sizeof(key));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	close(fd);
	if (ks_file_dev(&img, o->argv[0], 1) != 0) {
		explicit_bzero(key, sizeof(key));
		return 1;
	}
	rc = store_format(&img.dev, key, o->generation, &s, why, sizeof(why));
	explicit_bzero(key, sizeof(key));
	if (rc != STORAGED_OK) {
		fprintf(stderr, "keel-state: %s: %s\n", o->argv[0], why);
		close(img.fd);
		return 1;
	}
	printf("%s: formatted, %llu blocks, generation %llu\n", o->argv[0],
	       (unsigned long long)(o->size / STORE_BLOCK),
	       (unsigned long long)store_generation(s));
	img.store = s;
	ks_close(&img);
	return 0;
}

static int print_entry(void *arg, const char *name, uint64_t size)
{
	(void)arg;
	printf("%-64s %llu\n", name, (unsigned long long)size);
	return 0;
}

int ks_cmd_list(const struct ks_opts *o)
{
	struct ks_image img;

	if (o->argc != 1) {
		fprintf(stderr, "keel-state list: IMAGE expected\n");
		return 2;
	}
	if (ks_open(o, &img, 0) != 0)
		return 1;
	store_list(img.store, "", print_entry, NULL);
	ks_close(&img);
	return 0;
}

static void hexdump(const uint8_t *p, size_t len)
{
	for (size_t off = 0; off < len; off += 16) {
		printf("%08zx ", off);
		for (size_t i = off; i < off + 16; i++)
			i < len ? printf(" %02x", p[i]) : printf("   ");
		printf("  |");
		for (size_t i = off; i < off + 16 && i < len; i++)
			putchar(p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '.');
		printf("|\n");
	}
}

static void summary(const struct ks_image *img)
{
	struct store_info in;

	store_info(img->store, &in);
	printf("image      %s\nuuid       ", img->path);
	for (int i = 0; i < 16; i++)
		printf("%02x", in.uuid[i]);
	printf("\ngeneration %llu (superblock slot %u)\n", (unsigned long long)in.generation,
	       in.slot);
	for (unsigned i = 0; i < 2; i++)
		printf("slot %u     %s, generation %llu\n", i, in.slot_state[i],
		       (unsigned long long)in.slot_generation[i]);
	printf("blocks     %llu used of %llu (4096 bytes each)\nobjects    %llu\n",
	       (unsigned long long)in.blocks_used, (unsigned long long)in.blocks,
	       (unsigned long long)in.objects);
}

int ks_cmd_dump(const struct ks_opts *o)
{
	struct ks_image img;
	uint8_t *data;
	size_t len;
	int rc;

	if (o->argc != 1 && o->argc != 2) {
		fprintf(stderr, "keel-state dump: IMAGE [NAME] expected\n");
		return 2;
	}
	if (ks_open(o, &img, 0) != 0)
		return 1;
	if (o->argc == 1) {
		summary(&img);
		ks_close(&img);
		return 0;
	}
	rc = store_get(img.store, o->argv[1], &data, &len);
	if (rc == STORAGED_ABSENT)
		fprintf(stderr, "keel-state: %s: no object %s\n", img.path, o->argv[1]);
	else if (rc != STORAGED_OK)
		fprintf(stderr, "keel-state: %s: %s\n", img.path, store_why(img.store));
	else if (o->raw)
		rc = fwrite(data, 1, len, stdout) == len ? 0 : 1;
	else
		hexdump(data, len);
	free(data);
	ks_close(&img);
	return rc == STORAGED_OK ? 0 : 1;
}

int ks_cmd_check(const struct ks_opts *o)
{
	struct ks_image img;
	struct store_info in;
	int rc;

	if (o->argc != 1) {
		fprintf(stderr, "keel-state check: IMAGE expected\n");
		return 2;
	}
	if (ks_open(o, &img, 0) != 0)
		return 1;
	rc = store_check(img.store);
	store_info(img.store, &in);
	if (rc != STORAGED_OK)
		fprintf(stderr, "keel-state: %s: %s\n", img.path, store_why(img.store));
	else
		printf("%s: ok, generation %llu, %llu objects, %llu of %llu blocks used\n",
		       img.path, (unsigned long long)in.generation, (unsigned long long)in.objects,
		       (unsigned long long)in.blocks_used, (unsigned long long)in.blocks);
	/* The older slot is only a fallback for a torn commit; say when it is not there. */
	if (rc == STORAGED_OK && strcmp(in.slot_state[1 - in.slot], "valid") != 0)
		printf("%s: note: superblock slot %u (block %u) is %s\n", img.path, 1 - in.slot,
		       1 - in.slot, in.slot_state[1 - in.slot]);
	ks_close(&img);
	return rc == STORAGED_OK ? 0 : 1;
}

/* Reads FILE ("-" = stdin), at most the object limit. */
static int slurp(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = STORAGED_OBJECT_MAX + 1, n;
	uint8_t *buf;

	if (!f) {
		fprintf(stderr, "keel-state: %s: %s\n", path, strerror(errno));
		return 1;
	}
	buf = malloc(cap);
	n = buf ? fread(buf, 1, cap, f) : 0;
	if (f != stdin)
		fclose(f);
	if (!buf || n == cap) {
		fprintf(stderr, "keel-state: %s: %s\n", path,
		        buf ? "larger than the 4 MiB object limit" : "out of memory");
		free(buf);
		return 1;
	}
	*out = buf;
	*len = n;
	return 0;
}

static int commit_one(const struct ks_opts *o, const char *name, const uint8_t *data, size_t len,
                      int del)
{
	struct ks_image img;
	struct store_txn *t;
	int rc;

	if (ks_open(o, &img, 1) != 0)
		return 1;
	rc = store_txn_begin(img.store, &t);
	if (rc == STORAGED_OK) {
		rc = del ? store_txn_delete(t, name) : store_txn_put(t, name, data, len);
		if (rc == STORAGED_OK)
			rc = store_txn_commit(t);
		else
			store_txn_abort(t);
	}
	if (rc != STORAGED_OK)
		fprintf(stderr, "keel-state: %s: %s\n", img.path, store_why(img.store));
	else
		printf("%s: generation %llu\n", img.path,
		       (unsigned long long)store_generation(img.store));
	ks_close(&img);
	return rc == STORAGED_OK ? 0 : 1;
}

int ks_cmd_put(const struct ks_opts *o)
{
	uint8_t *data;
	size_t len;
	int rc;

	if (o->argc != 3) {
		fprintf(stderr, "keel-state put: IMAGE NAME FILE expected\n");
		return 2;
	}
	if (slurp(o->argv[2], &data, &len) != 0)
		return 1;
	rc = commit_one(o, o->argv[1], data, len, 0);
	free(data);
	return rc;
}

int ks_cmd_rm(const struct ks_opts *o)
{
	if (o->argc != 2) {
		fprintf(stderr, "keel-state rm: IMAGE NAME expected\n");
		return 2;
	}
	return commit_one(o, o->argv[1], NULL, 0, 1);
}
