/* Boot bundle from a manifest; see bundle_files.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_files.h"
#include "igvm_io.h"
#include "task/bundle.h"
#include "task/manifest.h"

#define FILE_MAX (256u << 20)

struct files {
	size_t n;
	const char *names[KEEL_BUNDLE_MAX_ENTRIES];
	uint8_t *datas[KEEL_BUNDLE_MAX_ENTRIES];
	size_t sizes[KEEL_BUNDLE_MAX_ENTRIES];
};

/* Index of the entry called `name`, or -1. */
static long find(const struct files *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->names[i], name))
			return (long)i;
	return -1;
}

/* DIR/NAME as the next entry, once however many tasks name it; `max` bytes at most. */
static int add_file(struct files *f, const char *dir, const char *name, size_t max, char *err,
		    size_t err_len)
{
	char path[4096];
	if (find(f, name) >= 0)
		return 0; /* two tasks may run one binary or share one data file */
	if (f->n == KEEL_BUNDLE_MAX_ENTRIES) {
		snprintf(err, err_len, "more than %d bundle entries", KEEL_BUNDLE_MAX_ENTRIES);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (igvm_read_file(path, max, &f->datas[f->n], &f->sizes[f->n], err, err_len))
		return -1;
	f->names[f->n++] = name;
	return 0;
}

/* Every binary= and data= the manifest names, from the one --bin-dir. */
static int add_files(struct files *f, const struct manifest *m, const char *dir, char *err,
		     size_t err_len)
{
	for (uint32_t t = 0; t < m->ntasks; t++) {
		const struct manifest_task *mt = &m->tasks[t];
		if (add_file(f, dir, mt->binary, FILE_MAX, err, err_len))
			return -1;
		if (!mt->data[0])
			continue;
		if (add_file(f, dir, mt->data, MANIFEST_DATA_MAX, err, err_len)) {
			size_t n = strlen(err);
			snprintf(err + n, err_len - n, " (task '%s': data=, at most %u bytes)", mt->name,
				 (unsigned)MANIFEST_DATA_MAX);
			return -1;
		}
		/* Checked on the entry, which may be one a binary= already read. */
		size_t size = f->sizes[find(f, mt->data)];
		if (size == 0 || size > MANIFEST_DATA_MAX) {
			snprintf(err, err_len, "task '%s': data: %s/%s has %zu bytes (1..%u)", mt->name,
				 dir, mt->data, size, (unsigned)MANIFEST_DATA_MAX);
			return -1;
		}
	}
	return 0;
}

static void free_files(struct files *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->datas[i]);
}

int bundle_from_manifest(const char *manifest_path, const char *bin_dir, uint8_t **bundle,
			 size_t *len, char *err, size_t err_len)
{
	static struct manifest m; /* large; one per run */
	struct files f = { 0 };
	int rc = -1;

	f.names[0] = KEEL_BUNDLE_MANIFEST;
	if (igvm_read_file(manifest_path, 1u << 20, &f.datas[0], &f.sizes[0], err, err_len))
		return -1;
	f.n = 1;
	if (manifest_parse(&m, (const char *)f.datas[0], f.sizes[0], err, err_len) < 0)
		goto out;
	if (add_files(&f, &m, bin_dir, err, err_len))
		goto out;
	size_t total = bundle_size_for(f.n, f.sizes);
	uint8_t *out = calloc(1, total ? total : 1);
	if (!out) {
		snprintf(err, err_len, "out of memory (%zu bytes)", total);
		goto out;
	}
	if (bundle_pack(out, total, f.n, f.names, (const void *const *)f.datas, f.sizes, err,
			err_len) < 0) {
		free(out);
		goto out;
	}
	*bundle = out;
	*len = total;
	rc = 0;
out:
	free_files(&f);
	return rc;
}
