/* IGVM v1 writer; see igvm_write.h. Host only (uses malloc). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igvm_crc32.h"
#include "igvm_write.h"

static int werr(struct igvm_writer *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->err, sizeof(w->err), fmt, ap);
	va_end(ap);
	return -1;
}

static int grow(struct igvm_writer *w, uint8_t **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 4096;
	while (n < need)
		n *= 2;
	uint8_t *p = realloc(*buf, n);
	if (!p)
		return werr(w, "out of memory (%zu bytes)", n);
	memset(p + *cap, 0, n - *cap);
	*buf = p;
	*cap = n;
	return 0;
}

void igvm_writer_init(struct igvm_writer *w)
{
	memset(w, 0, sizeof(*w));
}

void igvm_writer_free(struct igvm_writer *w)
{
	free(w->hdr);
	free(w->data);
	free(w->fixups);
	memset(w, 0, sizeof(*w));
}

int igvm_add_raw(struct igvm_writer *w, uint32_t type, const void *body, uint32_t len)
{
	size_t padded = (sizeof(IGVM_VHS_VARIABLE_HEADER) + len + 7u) & ~(size_t)7u;
	if (grow(w, &w->hdr, &w->hdr_cap, w->hdr_len + padded))
		return -1;
	IGVM_VHS_VARIABLE_HEADER vh = { .typ = type, .length = len };
	memcpy(w->hdr + w->hdr_len, &vh, sizeof(vh));
	if (len)
		memcpy(w->hdr + w->hdr_len + sizeof(vh), body, len);
	w->hdr_len += padded;
	return 0;
}

/* Append file data (4 KiB aligned); returns its relative offset + 1, 0 on error. */
static size_t add_data(struct igvm_writer *w, const void *data, size_t len, size_t size)
{
	size_t at = (w->data_len + 4095u) & ~(size_t)4095u;
	if (grow(w, &w->data, &w->data_cap, at + size))
		return 0;
	memcpy(w->data + at, data, len);
	w->data_len = at + size;
	return at + 1;
}

/* Add a header whose body has a file_offset field at `fo` pointing at data. */
static int add_with_data(struct igvm_writer *w, uint32_t type, void *body, uint32_t len,
			 size_t fo, const void *data, size_t dlen, size_t dsize)
{
	size_t rel = add_data(w, data, dlen, dsize);
	if (!rel)
		return -1;
	uint32_t off = (uint32_t)(rel - 1);
	memcpy((uint8_t *)body + fo, &off, sizeof(off));
	size_t *p = w->fixups;
	if (w->nfixups == w->fixups_cap) {
		size_t n = w->fixups_cap ? 2 * w->fixups_cap : 256;
		p = realloc(w->fixups, n * sizeof(*p));
		if (!p)
			return werr(w, "out of memory");
		w->fixups = p;
		w->fixups_cap = n;
	}
	w->fixups[w->nfixups++] = w->hdr_len + sizeof(IGVM_VHS_VARIABLE_HEADER) + fo;
	return igvm_add_raw(w, type, body, len);
}

int igvm_add_platform(struct igvm_writer *w, uint32_t mask, uint8_t platform_type,
		      uint16_t version)
{
	IGVM_VHS_SUPPORTED_PLATFORM p = {
		.compatibility_mask = mask, .platform_type = platform_type,
		.platform_version = version,
	};
	return igvm_add_raw(w, IGVM_VHT_SUPPORTED_PLATFORM, &p, sizeof(p));
}

int igvm_add_guest_policy(struct igvm_writer *w, uint32_t mask, uint64_t policy)
{
	IGVM_VHS_GUEST_POLICY p = { .policy = policy, .compatibility_mask = mask };
	return igvm_add_raw(w, IGVM_VHT_GUEST_POLICY, &p, sizeof(p));
}

static int all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

int igvm_add_page(struct igvm_writer *w, uint64_t gpa, uint32_t mask, uint32_t flags,
		  uint16_t data_type, const void *data, size_t len)
{
	IGVM_VHS_PAGE_DATA p = {
		.gpa = gpa, .compatibility_mask = mask, .flags = flags, .data_type = data_type,
	};
	if (len > IGVM_PAGE_SIZE_4K)
		return werr(w, "page data at %#llx longer than a page", (unsigned long long)gpa);
	if (!data || all_zero(data, len))
		return igvm_add_raw(w, IGVM_VHT_PAGE_DATA, &p, sizeof(p));
	return add_with_data(w, IGVM_VHT_PAGE_DATA, &p, sizeof(p),
			     offsetof(IGVM_VHS_PAGE_DATA, file_offset), data, len,
			     IGVM_PAGE_SIZE_4K);
}

int igvm_add_param_area(struct igvm_writer *w, uint32_t index, uint64_t bytes)
{
	IGVM_VHS_PARAMETER_AREA a = { .number_of_bytes = bytes, .parameter_area_index = index };
	return igvm_add_raw(w, IGVM_VHT_PARAMETER_AREA, &a, sizeof(a));
}

int igvm_add_parameter(struct igvm_writer *w, uint32_t type, uint32_t index, uint32_t byte_offset)
{
	IGVM_VHS_PARAMETER p = { .parameter_area_index = index, .byte_offset = byte_offset };
	return igvm_add_raw(w, type, &p, sizeof(p));
}

int igvm_add_param_insert(struct igvm_writer *w, uint64_t gpa, uint32_t mask, uint32_t index)
{
	IGVM_VHS_PARAMETER_INSERT p = {
		.gpa = gpa, .compatibility_mask = mask, .parameter_area_index = index,
	};
	return igvm_add_raw(w, IGVM_VHT_PARAMETER_INSERT, &p, sizeof(p));
}

int igvm_add_vp_context(struct igvm_writer *w, uint64_t gpa, uint32_t mask, uint16_t vp_index,
			const void *ctx, size_t len)
{
	IGVM_VHS_VP_CONTEXT v = { .gpa = gpa, .compatibility_mask = mask, .vp_index = vp_index };
	if (len > IGVM_PAGE_SIZE_4K)
		return werr(w, "VP context longer than a page");
	/* Both NATIVE and SNP contexts are a full page of file data, zero
	 * after the context (the igvm crate reads 4 KiB). */
	return add_with_data(w, IGVM_VHT_VP_CONTEXT, &v, sizeof(v),
			     offsetof(IGVM_VHS_VP_CONTEXT, file_offset), ctx, len,
			     IGVM_PAGE_SIZE_4K);
}

int igvm_writer_finish(struct igvm_writer *w, uint8_t **out, size_t *out_len)
{
	size_t vh_off = sizeof(IGVM_FIXED_HEADER);
	size_t data_start = (vh_off + w->hdr_len + 4095u) & ~(size_t)4095u;
	size_t total = data_start + w->data_len;

	if (total > UINT32_MAX)
		return werr(w, "IGVM file would be %zu bytes, over the 4 GiB format limit", total);
	for (size_t i = 0; i < w->nfixups; i++) {
		uint32_t off;
		memcpy(&off, w->hdr + w->fixups[i], sizeof(off));
		off += (uint32_t)data_start;
		memcpy(w->hdr + w->fixups[i], &off, sizeof(off));
	}
	w->nfixups = 0; /* finish relocates once */
	uint8_t *f = calloc(1, total ? total : 1);
	if (!f)
		return werr(w, "out of memory (%zu bytes)", total);
	IGVM_FIXED_HEADER h = {
		.magic = IGVM_MAGIC_VALUE, .format_version = IGVM_FORMAT_VERSION_1,
		.variable_header_offset = (uint32_t)vh_off,
		.variable_header_size = (uint32_t)w->hdr_len,
		.total_file_size = (uint32_t)total,
	};
	uint32_t crc = igvm_crc32_update(0, &h, sizeof(h));
	h.checksum = igvm_crc32_update(crc, w->hdr, w->hdr_len);
	memcpy(f, &h, sizeof(h));
	if (w->hdr_len)
		memcpy(f + vh_off, w->hdr, w->hdr_len);
	if (w->data_len)
		memcpy(f + data_start, w->data, w->data_len);
	*out = f;
	*out_len = total;
	return 0;
}
