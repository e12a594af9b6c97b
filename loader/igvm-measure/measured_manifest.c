/*
 * Find the measured boot manifest in an IGVM file (measured_manifest.h):
 * the PAGE_DATA page that starts with the bundle magic, the pages after it
 * with the same compatibility mask up to the bundle's total_size, then the
 * bundle's "manifest" entry. Everything checked: the file is outside input.
 */
#include <stdlib.h>
#include <string.h>

#include "measured_manifest.h"
#include "task/bundle.h"
#include "task/manifest.h"

#define BUNDLE_LIMIT (512u << 20) /* larger than any image igvm-build makes */
#define PAGE 4096u

/* The first page holding the bundle header: its gpa, mask and total_size. */
static int bundle_start(const struct igvm_file *f, uint64_t *gpa, uint32_t *mask, uint64_t *size)
{
	struct igvm_iter it;
	struct igvm_directive d;
	igvm_iter_init(&it, f);
	while (igvm_iter_next(&it, &d) == 1) {
		struct keel_bundle_header h;
		if (d.type != IGVM_VHT_PAGE_DATA || !d.data || d.data_size < sizeof(h))
			continue;
		memcpy(&h, d.data, sizeof(h));
		if (memcmp(h.magic, KEEL_BUNDLE_MAGIC, sizeof(h.magic)))
			continue;
		*gpa = d.gpa;
		*mask = d.compatibility_mask;
		*size = h.total_size;
		return 0;
	}
	return -1;
}

/* Copies the PAGE_DATA of [gpa, gpa + size) for `mask` into buf (zero pages stay zero). */
static void bundle_gather(const struct igvm_file *f, uint64_t gpa, uint32_t mask, uint8_t *buf,
                          uint64_t size)
{
	struct igvm_iter it;
	struct igvm_directive d;
	igvm_iter_init(&it, f);
	while (igvm_iter_next(&it, &d) == 1) {
		if (d.type != IGVM_VHT_PAGE_DATA || d.compatibility_mask != mask || !d.data ||
		    d.gpa < gpa || d.gpa - gpa >= size)
			continue;
		uint64_t off = d.gpa - gpa, n = d.data_size;
		if (n > size - off)
			n = size - off;
		memcpy(buf + off, d.data, (size_t)n);
	}
}

int measured_manifest(const struct igvm_file *f, char **text, size_t *len, const char **why)
{
	uint64_t gpa, size;
	uint32_t mask;
	struct keel_bundle b;
	const void *m;
	size_t mlen;
	char err[160];
	if (bundle_start(f, &gpa, &mask, &size)) {
		*why = "no Keel boot bundle in the measured pages";
		return -1;
	}
	if (size < sizeof(struct keel_bundle_header) || size > BUNDLE_LIMIT) {
		*why = "the boot bundle's size is implausible";
		return -1;
	}
	uint8_t *buf = calloc(1, (size_t)size);
	if (!buf) {
		*why = "out of memory";
		return -1;
	}
	bundle_gather(f, gpa, mask, buf, size);
	if (bundle_parse(&b, buf, (size_t)size, err, sizeof(err)) < 0 ||
	    bundle_find(&b, KEEL_BUNDLE_MANIFEST, &m, &mlen)) {
		free(buf);
		*why = "the boot bundle is malformed or has no manifest";
		return -1;
	}
	*text = malloc(mlen + 1);
	if (!*text) {
		free(buf);
		*why = "out of memory";
		return -1;
	}
	memcpy(*text, m, mlen);
	(*text)[mlen] = '\0';
	*len = mlen;
	free(buf);
	return 0;
}

/* 1 if `arg` holds the word "dev-key" (words separated by blanks, as storaged reads them). */
static int has_dev_key(const char *arg)
{
	for (const char *p = arg; (p = strstr(p, "dev-key")) != NULL; p += 7) {
		int start = p == arg || p[-1] == ' ' || p[-1] == '\t';
		int end = p[7] == '\0' || p[7] == ' ' || p[7] == '\t';
		if (start && end)
			return 1;
	}
	return 0;
}

int measured_dev_key_tasks(const char *text, size_t len, void (*fn)(const char *task),
                           const char **why)
{
	static struct manifest man; /* large */
	char err[200];
	int n = 0;
	if (manifest_parse(&man, text, len, err, sizeof(err)) < 0) {
		*why = "the measured manifest does not parse";
		return -1;
	}
	for (uint32_t i = 0; i < man.ntasks; i++) {
		if (has_dev_key(man.tasks[i].arg)) {
			fn(man.tasks[i].name);
			n++;
		}
	}
	return n;
}
