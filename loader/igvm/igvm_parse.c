/*
 * IGVM v1 file checks and iteration; see igvm_parse.h. Per-header decoding
 * is in igvm_decode.c; this file holds the checks that need the file as a
 * whole or the headers that came before.
 */
#include "igvm_mem.h"

#include "igvm_crc32.h"
#include "igvm_decode.h"
#include "igvm_parse.h"

enum { SECTION_PLATFORM, SECTION_INIT, SECTION_DIRECTIVE, SECTION_NONE };

struct walk {
	int section;
	uint32_t declared;  /* OR of declared platform masks */
	uint32_t inserted;  /* bit i: areas[i] inserted */
	uint32_t vp0;       /* masks that already have a VP 0 context */
	uint64_t max_end[32]; /* per compatibility bit: highest guest range end so far */
};

static int section_of(uint32_t t)
{
	if (t >= IGVM_VHT_RANGE_PLATFORM_FIRST && t <= IGVM_VHT_RANGE_PLATFORM_LAST)
		return SECTION_PLATFORM;
	if (t >= IGVM_VHT_RANGE_INIT_FIRST && t <= IGVM_VHT_RANGE_INIT_LAST)
		return SECTION_INIT;
	if (t >= IGVM_VHT_RANGE_DIRECTIVE_FIRST && t <= IGVM_VHT_RANGE_DIRECTIVE_LAST)
		return SECTION_DIRECTIVE;
	return SECTION_NONE;
}

static int has_mask(uint32_t t)
{
	switch (t) {
	case IGVM_VHT_GUEST_POLICY:
	case IGVM_VHT_RELOCATABLE_REGION:
	case IGVM_VHT_PAGE_TABLE_RELOCATION_REGION:
	case IGVM_VHT_PAGE_DATA:
	case IGVM_VHT_PARAMETER_INSERT:
	case IGVM_VHT_VP_CONTEXT:
	case IGVM_VHT_REQUIRED_MEMORY:
	case IGVM_VHT_SNP_ID_BLOCK:
	case IGVM_VHT_ERROR_RANGE:
	case IGVM_VHT_VBS_MEASUREMENT:
		return 1;
	}
	return 0;
}

static int area_slot(const struct igvm_file *f, uint32_t index)
{
	for (uint32_t i = 0; i < f->nareas; i++)
		if (f->areas[i].index == index)
			return (int)i;
	return -1;
}

const struct igvm_param_area *igvm_param_area(const struct igvm_file *f, uint32_t index)
{
	int i = area_slot(f, index);
	return i < 0 ? NULL : &f->areas[i];
}

uint32_t igvm_platform_mask(const struct igvm_file *f, uint8_t type)
{
	for (uint32_t i = 0; i < f->nplatforms; i++)
		if (f->platforms[i].type == type)
			return f->platforms[i].mask;
	return 0;
}

static int check_fixed(struct igvm_file *f, const uint8_t *buf, size_t len,
		       struct igvm_error *err)
{
	IGVM_FIXED_HEADER *h = &f->fixed;

	if (len < sizeof(*h))
		return igvm_fail(err, IGVM_ERR_TRUNCATED, "file shorter than the IGVM fixed header", 0);
	memcpy(h, buf, sizeof(*h));
	if (h->magic != IGVM_MAGIC_VALUE)
		return igvm_fail(err, IGVM_ERR_MAGIC, "bad magic (not an IGVM file)", 0);
	if (h->format_version != IGVM_FORMAT_VERSION_1)
		return igvm_fail(err, IGVM_ERR_VERSION, "unsupported IGVM format version (want 1)", 0);
	if (len < h->total_file_size)
		return igvm_fail(err, IGVM_ERR_TRUNCATED, "file shorter than total_file_size", 0);
	if (len > h->total_file_size)
		return igvm_fail(err, IGVM_ERR_SIZE, "file longer than total_file_size", 0);
	if (h->variable_header_offset < sizeof(*h) || (h->variable_header_offset & 7u))
		return igvm_fail(err, IGVM_ERR_SIZE,
				 "variable_header_offset inside the fixed header or not 8-byte aligned",
				 0);
	if (h->variable_header_offset > h->total_file_size ||
	    h->variable_header_size > h->total_file_size - h->variable_header_offset)
		return igvm_fail(err, IGVM_ERR_SIZE, "variable header section past the end of the file",
				 0);
	/* The igvm crate rejects a file whose file data section is empty. */
	if (h->variable_header_offset + h->variable_header_size >= h->total_file_size)
		return igvm_fail(err, IGVM_ERR_SIZE, "no file data after the variable headers", 0);
	f->data = buf;
	f->size = h->total_file_size;
	f->vh_start = h->variable_header_offset;
	f->vh_end = h->variable_header_offset + h->variable_header_size;

	IGVM_FIXED_HEADER zeroed = *h;
	zeroed.checksum = 0;
	uint32_t crc = igvm_crc32_update(0, &zeroed, sizeof(zeroed));
	crc = igvm_crc32_update(crc, buf + f->vh_start, h->variable_header_size);
	if (crc != h->checksum)
		return igvm_fail(err, IGVM_ERR_CHECKSUM, "CRC32 checksum mismatch", 0);
	return IGVM_OK;
}

static int add_platform(struct igvm_file *f, struct walk *w, const struct igvm_directive *d,
			struct igvm_error *err)
{
	const IGVM_VHS_SUPPORTED_PLATFORM *p = &d->u.platform;
	uint32_t m = p->compatibility_mask;

	if (m == 0 || (m & (m - 1)))
		return igvm_fail(err, IGVM_ERR_PLATFORM,
				 "SUPPORTED_PLATFORM mask must have exactly one bit", d->offset);
	if (w->declared & m)
		return igvm_fail(err, IGVM_ERR_PLATFORM, "SUPPORTED_PLATFORM mask declared twice",
				 d->offset);
	if (p->highest_vtl != 0 && p->highest_vtl != 2)
		return igvm_fail(err, IGVM_ERR_PLATFORM, "SUPPORTED_PLATFORM highest_vtl not 0 or 2",
				 d->offset);
	/* v1 files are x86-64: NATIVE, VSM_ISOLATION, SEV_SNP, TDX, each version 1. */
	if (p->platform_type > IGVM_PLATFORM_TYPE_TDX)
		return igvm_fail(err, IGVM_ERR_PLATFORM, "SUPPORTED_PLATFORM unknown platform type",
				 d->offset);
	if (p->platform_version != 1)
		return igvm_fail(err, IGVM_ERR_PLATFORM,
				 "SUPPORTED_PLATFORM version is not its platform's version (1)",
				 d->offset);
	if ((p->platform_type == IGVM_PLATFORM_TYPE_NATIVE ||
	     p->platform_type == IGVM_PLATFORM_TYPE_VSM_ISOLATION) && p->shared_gpa_boundary != 0)
		return igvm_fail(err, IGVM_ERR_PLATFORM,
				 "NATIVE/VSM SUPPORTED_PLATFORM with a shared_gpa_boundary", d->offset);
	for (uint32_t i = 0; i < f->nplatforms; i++)
		if (f->platforms[i].type == p->platform_type)
			return igvm_fail(err, IGVM_ERR_PLATFORM,
					 "SUPPORTED_PLATFORM type declared twice", d->offset);
	if (f->nplatforms == IGVM_MAX_PLATFORMS)
		return igvm_fail(err, IGVM_ERR_LIMIT, "too many SUPPORTED_PLATFORM headers", d->offset);
	struct igvm_platform *pl = &f->platforms[f->nplatforms++];
	pl->mask = m;
	pl->type = p->platform_type;
	pl->highest_vtl = p->highest_vtl;
	pl->version = p->platform_version;
	pl->shared_gpa_boundary = p->shared_gpa_boundary;
	w->declared |= m;
	return IGVM_OK;
}

static int add_area(struct igvm_file *f, const struct igvm_directive *d, struct igvm_error *err)
{
	if (area_slot(f, d->u.area.parameter_area_index) >= 0)
		return igvm_fail(err, IGVM_ERR_PARAMETER, "PARAMETER_AREA index declared twice",
				 d->offset);
	if (f->nareas == IGVM_MAX_PARAM_AREAS)
		return igvm_fail(err, IGVM_ERR_LIMIT, "too many PARAMETER_AREA headers", d->offset);
	struct igvm_param_area *a = &f->areas[f->nareas++];
	a->index = d->u.area.parameter_area_index;
	a->size = d->u.area.number_of_bytes;
	a->file_offset = d->u.area.file_offset;
	return IGVM_OK;
}

/* A parameter (or insert) must name a declared area not yet inserted. */
static int use_area(const struct igvm_file *f, struct walk *w, const struct igvm_directive *d,
		    uint32_t index, struct igvm_error *err)
{
	int slot = area_slot(f, index);
	if (slot < 0)
		return igvm_fail(err, IGVM_ERR_PARAMETER, "parameter names an undeclared area",
				 d->offset);
	if (w->inserted & (1u << slot))
		return igvm_fail(err, IGVM_ERR_PARAMETER, "parameter area used after its insert",
				 d->offset);
	if (d->type == IGVM_VHT_PARAMETER_INSERT) {
		w->inserted |= 1u << slot;
		return IGVM_OK;
	}
	uint32_t need = d->type == IGVM_VHT_VP_COUNT_PARAMETER ? 4u : 1u;
	if (d->u.param.byte_offset > f->areas[slot].size ||
	    f->areas[slot].size - d->u.param.byte_offset < need)
		return igvm_fail(err, IGVM_ERR_PARAMETER, "parameter byte_offset past its area",
				 d->offset);
	return IGVM_OK;
}

/* Slow path: compare with every earlier guest range sharing a platform. */
static int rescan_overlap(const struct igvm_file *f, const struct igvm_directive *d,
			  struct igvm_error *err)
{
	struct igvm_directive prev;
	uint32_t pos = f->vh_start, next;

	while (pos < d->offset) {
		if (igvm_decode_header(f, pos, &prev, &next, NULL) != IGVM_OK)
			return igvm_fail(err, IGVM_ERR_FIELD, "internal: earlier header unreadable",
					 d->offset);
		if (prev.gpa_size && (prev.compatibility_mask & d->compatibility_mask) &&
		    prev.gpa < d->gpa + d->gpa_size && d->gpa < prev.gpa + prev.gpa_size)
			return igvm_fail(err, IGVM_ERR_OVERLAP,
					 "guest range overlaps an earlier one on the same platform",
					 d->offset);
		pos = next;
	}
	return IGVM_OK;
}

static int check_overlap(const struct igvm_file *f, struct walk *w,
			 const struct igvm_directive *d, struct igvm_error *err)
{
	int slow = 0;

	if (d->gpa > UINT64_MAX - d->gpa_size)
		return igvm_fail(err, IGVM_ERR_FIELD, "guest range wraps past the top of memory",
				 d->offset);
	for (int bit = 0; bit < 32; bit++)
		if ((d->compatibility_mask & (1u << bit)) && d->gpa < w->max_end[bit])
			slow = 1;
	if (slow) {
		int rc = rescan_overlap(f, d, err);
		if (rc)
			return rc;
	}
	for (int bit = 0; bit < 32; bit++)
		if ((d->compatibility_mask & (1u << bit)) && d->gpa + d->gpa_size > w->max_end[bit])
			w->max_end[bit] = d->gpa + d->gpa_size;
	return IGVM_OK;
}

static int check_vp(struct walk *w, const struct igvm_directive *d, struct igvm_error *err)
{
	if (d->u.vp.vp_index != 0)
		return IGVM_OK;
	if (w->vp0 & d->compatibility_mask)
		return igvm_fail(err, IGVM_ERR_FIELD, "second VP_CONTEXT for VP 0 on one platform",
				 d->offset);
	w->vp0 |= d->compatibility_mask;
	return IGVM_OK;
}

static int check_header(struct igvm_file *f, struct walk *w, const struct igvm_directive *d,
			struct igvm_error *err)
{
	int sec = section_of(d->type);
	if (sec != SECTION_NONE) {
		if (sec < w->section)
			return igvm_fail(err, IGVM_ERR_SECTION_ORDER,
					 "header type from an earlier section after a later one",
					 d->offset);
		w->section = sec;
	}
	if (!d->known)
		return IGVM_OK;
	if (has_mask(d->type)) {
		uint32_t m = d->compatibility_mask;
		if (m == 0 || (m & ~w->declared))
			return igvm_fail(err, IGVM_ERR_PLATFORM,
					 "compatibility mask names an undeclared platform", d->offset);
	}
	int rc = IGVM_OK;
	if (d->type == IGVM_VHT_SUPPORTED_PLATFORM)
		rc = add_platform(f, w, d, err);
	else if (d->type == IGVM_VHT_PARAMETER_AREA)
		rc = add_area(f, d, err);
	else if (d->type == IGVM_VHT_PARAMETER_INSERT)
		rc = use_area(f, w, d, d->u.insert.parameter_area_index, err);
	else if (d->type == IGVM_VHT_VP_CONTEXT)
		rc = check_vp(w, d, err);
	else if (d->type >= IGVM_VHT_VP_COUNT_PARAMETER && d->type != IGVM_VHT_SNP_ID_BLOCK &&
		 d->type != IGVM_VHT_ERROR_RANGE && d->type != IGVM_VHT_VBS_MEASUREMENT)
		rc = use_area(f, w, d, d->u.param.parameter_area_index, err);
	if (rc == IGVM_OK && d->gpa_size)
		rc = check_overlap(f, w, d, err);
	return rc;
}

int igvm_parse(struct igvm_file *f, const void *buf, size_t len, struct igvm_error *err)
{
	struct walk w;
	struct igvm_directive d;
	uint32_t next;

	memset(f, 0, sizeof(*f));
	memset(&w, 0, sizeof(w));
	if (err)
		igvm_fail(err, IGVM_OK, "ok", 0);
	int rc = check_fixed(f, buf, len, err);
	if (rc)
		return rc;
	for (uint32_t pos = f->vh_start; pos < f->vh_end; pos = next) {
		rc = igvm_decode_header(f, pos, &d, &next, err);
		if (rc == IGVM_OK)
			rc = check_header(f, &w, &d, err);
		if (rc)
			return rc;
		f->nheaders++;
	}
	if (f->nplatforms == 0)
		return igvm_fail(err, IGVM_ERR_PLATFORM, "no SUPPORTED_PLATFORM header", f->vh_start);
	return IGVM_OK;
}

void igvm_iter_init(struct igvm_iter *it, const struct igvm_file *f)
{
	it->file = f;
	it->pos = f->vh_start;
}

int igvm_iter_next(struct igvm_iter *it, struct igvm_directive *d)
{
	uint32_t next;

	if (it->pos >= it->file->vh_end)
		return 0;
	int rc = igvm_decode_header(it->file, it->pos, d, &next, NULL);
	if (rc)
		return rc;
	it->pos = next;
	return 1;
}

int igvm_for_each(const struct igvm_file *f, igvm_visit_fn fn, void *ctx)
{
	struct igvm_iter it;
	struct igvm_directive d;
	int rc;

	igvm_iter_init(&it, f);
	while ((rc = igvm_iter_next(&it, &d)) == 1) {
		rc = fn(&d, ctx);
		if (rc)
			return rc;
	}
	return rc;
}
