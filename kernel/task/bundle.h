/*
 * The boot bundle: the task ELFs and the manifest, packed into one blob that
 * igvm-build places as measured PAGE_DATA (docs/boot.md). Pure logic: built
 * into the kernel, the hosted launcher and the host tools alike.
 *
 * Layout (little-endian):
 *   struct keel_bundle_header
 *   struct keel_bundle_entry[count]
 *   file data, each file starting on a 4 KiB boundary from the bundle start
 */
#ifndef KEEL_BUNDLE_H
#define KEEL_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#define KEEL_BUNDLE_MAGIC "KEELBNDL"
#define KEEL_BUNDLE_VERSION 1u
#define KEEL_BUNDLE_NAME_MAX 48 /* including the NUL */
#define KEEL_BUNDLE_MAX_ENTRIES 64
#define KEEL_BUNDLE_MANIFEST "manifest"

struct keel_bundle_header {
	char magic[8];       /* "KEELBNDL" */
	uint32_t version;    /* KEEL_BUNDLE_VERSION */
	uint32_t count;      /* entries */
	uint64_t total_size; /* bytes, whole bundle */
};
_Static_assert(sizeof(struct keel_bundle_header) == 24, "bundle header");

struct keel_bundle_entry {
	char name[KEEL_BUNDLE_NAME_MAX]; /* NUL-terminated, NUL-padded */
	uint64_t offset;                 /* from bundle start, 4 KiB aligned */
	uint64_t size;                   /* bytes */
};
_Static_assert(sizeof(struct keel_bundle_entry) == 64, "bundle entry");

struct keel_bundle {
	const uint8_t *base;
	size_t size;
	uint32_t count;
	const struct keel_bundle_entry *entries;
};

/*
 * Check every header field, entry bound and name; on error return a
 * negative value and write a message naming the entry and field to `err`.
 */
int bundle_parse(struct keel_bundle *b, const void *data, size_t size, char *err, size_t err_len);

/* Find a file by name; 0 and fills data/size, or -1 if absent. */
int bundle_find(const struct keel_bundle *b, const char *name, const void **data, size_t *size);

/*
 * Writer for host tools: total bytes needed for `n` files of the given
 * sizes, and packing into `out` (which must be that big and zeroed).
 */
size_t bundle_size_for(size_t n, const size_t *sizes);
int bundle_pack(void *out, size_t out_size, size_t n, const char *const *names,
		const void *const *datas, const size_t *sizes, char *err, size_t err_len);

#endif
