/*
 * Boot bundle reader and writer (kernel/task/bundle.h, docs/boot.md).
 * Freestanding: no libc, no allocation. The reader runs in the kernel on
 * measured but still untrusted-by-construction bytes and is fuzzed
 * (tests/fuzz/manifest/); the writer is used by igvm-build.
 */
#include "task/bundle.h"
#include "task/errbuf.h"

#define BUNDLE_ALIGN 4096u

/* "bundle: [entry I: ]WHAT[NUM]" and -1. `entry` < 0 leaves out the entry. */
static int fail(char *buf, size_t cap, long entry, const char *what, int with_num, uint64_t num)
{
	struct errbuf e = {buf, cap, 0};
	if (buf && cap)
		buf[0] = '\0';
	errbuf_str(&e, "bundle: ");
	if (entry >= 0) {
		errbuf_str(&e, "entry ");
		errbuf_num(&e, (uint64_t)entry);
		errbuf_str(&e, ": ");
	}
	errbuf_str(&e, what);
	if (with_num)
		errbuf_num(&e, num);
	return -1;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void wr64(uint8_t *p, uint64_t v)
{
	wr32(p, (uint32_t)v);
	wr32(p + 4, (uint32_t)(v >> 32));
}

/* Entry names: 1-47 of [A-Za-z0-9._-], not starting with '.'. */
static int name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

/* Length of a valid NUL-terminated, NUL-padded field name, or -1. */
static long field_name_len(const uint8_t *f)
{
	long n = 0, i;
	while (n < KEEL_BUNDLE_NAME_MAX && f[n])
		n++;
	if (n == 0 || n == KEEL_BUNDLE_NAME_MAX || f[0] == '.')
		return -1;
	for (i = 0; i < n; i++)
		if (!name_char_ok((char)f[i]))
			return -1;
	for (i = n; i < KEEL_BUNDLE_NAME_MAX; i++)
		if (f[i])
			return -1;
	return n;
}

static int names_equal(const uint8_t *a, const uint8_t *b)
{
	size_t i;
	for (i = 0; i < KEEL_BUNDLE_NAME_MAX; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static uint64_t table_end(uint32_t count)
{
	return sizeof(struct keel_bundle_header) + (uint64_t)count * sizeof(struct keel_bundle_entry);
}

/* Checks entry i against the bundle bounds and every earlier entry. */
static int check_entry(const uint8_t *base, uint64_t total, uint32_t count, uint32_t i, char *err,
		       size_t err_len)
{
	const uint8_t *e = base + table_end(i);
	uint64_t off = rd64(e + 48), size = rd64(e + 56);
	uint64_t data_start = (table_end(count) + BUNDLE_ALIGN - 1) & ~(uint64_t)(BUNDLE_ALIGN - 1);
	uint32_t j;
	if (field_name_len(e) < 0)
		return fail(err, err_len, i, "name not a NUL-terminated, NUL-padded [A-Za-z0-9._-] name", 0, 0);
	if (off % BUNDLE_ALIGN)
		return fail(err, err_len, i, "offset not 4 KiB aligned: ", 1, off);
	if (off < data_start)
		return fail(err, err_len, i, "offset inside the header or entry table: ", 1, off);
	if (off > total || size > total - off)
		return fail(err, err_len, i, "file runs past the end of the bundle, size ", 1, size);
	for (j = 0; j < i; j++) {
		const uint8_t *o = base + table_end(j);
		uint64_t ooff = rd64(o + 48), osize = rd64(o + 56);
		if (names_equal(e, o))
			return fail(err, err_len, i, "duplicate name of entry ", 1, j);
		if (size && osize && off < ooff + osize && ooff < off + size)
			return fail(err, err_len, i, "overlaps entry ", 1, j);
	}
	return 0;
}

int bundle_parse(struct keel_bundle *b, const void *data, size_t size, char *err, size_t err_len)
{
	static const char magic[8] = KEEL_BUNDLE_MAGIC;
	const uint8_t *base = (const uint8_t *)data;
	uint32_t version, count, i;
	uint64_t total;
	if (err && err_len)
		err[0] = '\0';
	if (!data || size < sizeof(struct keel_bundle_header))
		return fail(err, err_len, -1, "truncated header: size ", 1, size);
	if ((uintptr_t)data % 8)
		return fail(err, err_len, -1, "not 8-byte aligned in memory", 0, 0);
	for (i = 0; i < 8; i++)
		if (base[i] != (uint8_t)magic[i])
			return fail(err, err_len, -1, "bad magic (want KEELBNDL)", 0, 0);
	version = rd32(base + 8);
	count = rd32(base + 12);
	total = rd64(base + 16);
	if (version != KEEL_BUNDLE_VERSION)
		return fail(err, err_len, -1, "unsupported version ", 1, version);
	if (count > KEEL_BUNDLE_MAX_ENTRIES)
		return fail(err, err_len, -1, "too many entries: ", 1, count);
	if (total > size)
		return fail(err, err_len, -1, "total_size larger than the data: ", 1, total);
	if (table_end(count) > total)
		return fail(err, err_len, -1, "entry table runs past total_size ", 1, total);
	for (i = 0; i < count; i++)
		if (check_entry(base, total, count, i, err, err_len))
			return -1;
	b->base = base;
	b->size = (size_t)total;
	b->count = count;
	b->entries = (const struct keel_bundle_entry *)(const void *)(base + table_end(0));
	return 0;
}

int bundle_find(const struct keel_bundle *b, const char *name, const void **data, size_t *size)
{
	uint32_t i;
	size_t k;
	for (i = 0; i < b->count; i++) {
		const struct keel_bundle_entry *e = &b->entries[i];
		for (k = 0; k < KEEL_BUNDLE_NAME_MAX && e->name[k] == name[k] && name[k]; k++)
			;
		if (k < KEEL_BUNDLE_NAME_MAX && e->name[k] == '\0' && name[k] == '\0') {
			*data = b->base + e->offset;
			*size = (size_t)e->size;
			return 0;
		}
	}
	return -1;
}

/* Rounds up to BUNDLE_ALIGN; 0 on overflow (never a valid answer here). */
static size_t align_up(size_t v)
{
	if (v > (size_t)-1 - (BUNDLE_ALIGN - 1))
		return 0;
	return (v + BUNDLE_ALIGN - 1) & ~(size_t)(BUNDLE_ALIGN - 1);
}

size_t bundle_size_for(size_t n, const size_t *sizes)
{
	size_t total, i;
	if (n > KEEL_BUNDLE_MAX_ENTRIES)
		return 0;
	total = align_up((size_t)table_end((uint32_t)n));
	for (i = 0; i < n; i++) {
		size_t s = align_up(sizes[i]);
		if ((sizes[i] && !s) || total > (size_t)-1 - s)
			return 0;
		total += s;
	}
	return total;
}

/* Validates the caller's file names: well formed and unique. */
static int check_names(size_t n, const char *const *names, char *err, size_t err_len)
{
	size_t i, j, k;
	for (i = 0; i < n; i++) {
		for (k = 0; names[i][k]; k++)
			if (k + 1 >= KEEL_BUNDLE_NAME_MAX || !name_char_ok(names[i][k]))
				return fail(err, err_len, (long)i, "bad name (1-47 of [A-Za-z0-9._-])", 0, 0);
		if (k == 0 || names[i][0] == '.')
			return fail(err, err_len, (long)i, "bad name (empty or starts with '.')", 0, 0);
		for (j = 0; j < i; j++) {
			for (k = 0; names[i][k] && names[i][k] == names[j][k]; k++)
				;
			if (names[i][k] == names[j][k])
				return fail(err, err_len, (long)i, "duplicate name of entry ", 1, j);
		}
	}
	return 0;
}

int bundle_pack(void *out, size_t out_size, size_t n, const char *const *names,
		const void *const *datas, const size_t *sizes, char *err, size_t err_len)
{
	static const char magic[8] = KEEL_BUNDLE_MAGIC;
	uint8_t *o = (uint8_t *)out;
	size_t total = bundle_size_for(n, sizes), i, k, off;
	if (err && err_len)
		err[0] = '\0';
	if (n > KEEL_BUNDLE_MAX_ENTRIES)
		return fail(err, err_len, -1, "too many files: ", 1, n);
	if (total == 0)
		return fail(err, err_len, -1, "files too large", 0, 0);
	if (out_size < total)
		return fail(err, err_len, -1, "output buffer too small, need ", 1, total);
	if (check_names(n, names, err, err_len))
		return -1;
	for (i = 0; i < 8; i++)
		o[i] = (uint8_t)magic[i];
	wr32(o + 8, KEEL_BUNDLE_VERSION);
	wr32(o + 12, (uint32_t)n);
	wr64(o + 16, total);
	off = align_up((size_t)table_end((uint32_t)n));
	for (i = 0; i < n; i++) {
		uint8_t *e = o + table_end((uint32_t)i);
		const uint8_t *src = (const uint8_t *)datas[i];
		for (k = 0; names[i][k]; k++)
			e[k] = (uint8_t)names[i][k];
		for (; k < KEEL_BUNDLE_NAME_MAX; k++)
			e[k] = 0;
		wr64(e + 48, off);
		wr64(e + 56, sizes[i]);
		for (k = 0; k < sizes[i]; k++)
			o[off + k] = src[k];
		off += align_up(sizes[i]);
	}
	return 0;
}
