/* Decoding of single IGVM variable headers; see igvm_decode.h. */
#include "igvm_mem.h"

#include "igvm_decode.h"

int igvm_fail(struct igvm_error *err, int code, const char *msg, uint32_t offset)
{
	if (err) {
		err->code = code;
		err->msg = msg;
		err->offset = offset;
	}
	return code;
}

/* File data [off, off+size) must lie in the file data section: after the
 * variable headers (the igvm crate reads it as file_offset minus the data
 * section start) and inside the file. */
static int data_in_file(const struct igvm_file *f, uint32_t off, uint64_t size)
{
	if (size > f->size || off > f->size - (uint32_t)size)
		return 0;
	return off >= f->vh_end;
}

static int body(const struct igvm_directive *d, void *out, uint32_t min, struct igvm_error *err)
{
	if (d->length != min)
		return igvm_fail(err, IGVM_ERR_FIELD,
				 "header length is not exactly its structure's size", d->offset);
	memcpy(out, d->body, min);
	return IGVM_OK;
}

static const struct igvm_platform *platform_of(const struct igvm_file *f, uint32_t mask)
{
	for (uint32_t i = 0; i < f->nplatforms; i++)
		if (f->platforms[i].mask == mask)
			return &f->platforms[i];
	return NULL;
}

static int decode_page(const struct igvm_file *f, struct igvm_directive *d, struct igvm_error *err)
{
	IGVM_VHS_PAGE_DATA *p = &d->u.page;
	int rc = body(d, p, sizeof(*p), err);
	if (rc)
		return rc;
	uint32_t page = (p->flags & IGVM_PAGE_DATA_FLAG_IS_2MB_PAGE) ? IGVM_PAGE_SIZE_2M
								     : IGVM_PAGE_SIZE_4K;
	if (p->flags & ~IGVM_PAGE_DATA_FLAGS_KNOWN)
		return igvm_fail(err, IGVM_ERR_FIELD, "PAGE_DATA has unknown flag bits", d->offset);
	if (p->reserved != 0)
		return igvm_fail(err, IGVM_ERR_FIELD, "PAGE_DATA reserved field not zero", d->offset);
	if (p->data_type > IGVM_PAGE_DATA_TYPE_CPUID_XF)
		return igvm_fail(err, IGVM_ERR_FIELD, "PAGE_DATA has an unknown data type", d->offset);
	if (p->gpa & (page - 1))
		return igvm_fail(err, IGVM_ERR_ALIGNMENT, "PAGE_DATA gpa not page aligned", d->offset);
	if (p->file_offset != 0 && !data_in_file(f, p->file_offset, page))
		return igvm_fail(err, IGVM_ERR_DATA_BOUNDS,
				 "PAGE_DATA file_offset + page size outside the file data", d->offset);
	d->compatibility_mask = p->compatibility_mask;
	d->data = p->file_offset ? f->data + p->file_offset : NULL;
	d->data_size = p->file_offset ? page : 0;
	d->gpa = p->gpa;
	d->gpa_size = page;
	return IGVM_OK;
}

static int decode_area(const struct igvm_file *f, struct igvm_directive *d, struct igvm_error *err)
{
	IGVM_VHS_PARAMETER_AREA *a = &d->u.area;
	int rc = body(d, a, sizeof(*a), err);
	if (rc)
		return rc;
	if (a->number_of_bytes == 0 || (a->number_of_bytes & (IGVM_PAGE_SIZE_4K - 1)))
		return igvm_fail(err, IGVM_ERR_ALIGNMENT,
				 "PARAMETER_AREA size is zero or not page aligned", d->offset);
	if (a->number_of_bytes > 0x40000000ull)
		return igvm_fail(err, IGVM_ERR_LIMIT, "PARAMETER_AREA larger than 1 GiB", d->offset);
	if (a->file_offset != 0 && !data_in_file(f, a->file_offset, a->number_of_bytes))
		return igvm_fail(err, IGVM_ERR_DATA_BOUNDS,
				 "PARAMETER_AREA initial contents outside the file data", d->offset);
	d->data = a->file_offset ? f->data + a->file_offset : NULL;
	d->data_size = a->file_offset ? (uint32_t)a->number_of_bytes : 0;
	return IGVM_OK;
}

static int decode_insert(const struct igvm_file *f, struct igvm_directive *d,
			 struct igvm_error *err)
{
	IGVM_VHS_PARAMETER_INSERT *in = &d->u.insert;
	int rc = body(d, in, sizeof(*in), err);
	if (rc)
		return rc;
	if (in->gpa & (IGVM_PAGE_SIZE_4K - 1))
		return igvm_fail(err, IGVM_ERR_ALIGNMENT, "PARAMETER_INSERT gpa not page aligned",
				 d->offset);
	const struct igvm_param_area *a = igvm_param_area(f, in->parameter_area_index);
	if (!a)
		return igvm_fail(err, IGVM_ERR_PARAMETER,
				 "PARAMETER_INSERT names an undeclared parameter area", d->offset);
	d->compatibility_mask = in->compatibility_mask;
	d->gpa = in->gpa;
	d->gpa_size = a->size;
	return IGVM_OK;
}

static int decode_vp(const struct igvm_file *f, struct igvm_directive *d, struct igvm_error *err)
{
	IGVM_VHS_VP_CONTEXT *vp = &d->u.vp;
	int rc = body(d, vp, sizeof(*vp), err);
	if (rc)
		return rc;
	const struct igvm_platform *p = platform_of(f, vp->compatibility_mask);
	if (!p)
		return igvm_fail(err, IGVM_ERR_PLATFORM,
				 "VP_CONTEXT mask is not exactly one declared platform", d->offset);
	d->compatibility_mask = vp->compatibility_mask;
	d->vp_platform = p->type;
	/* NATIVE and SEV-SNP contexts are one full 4 KiB page of file data, as
	 * the igvm crate reads them; a NATIVE page holds the 0xE8-byte context
	 * and zeroes. VSM (a VBS register list) and TDX (architectural reset
	 * state, no context) are not supported. */
	uint32_t used;
	if (p->type == IGVM_PLATFORM_TYPE_NATIVE) {
		if (vp->gpa != 0)
			return igvm_fail(err, IGVM_ERR_FIELD, "NATIVE VP_CONTEXT gpa must be 0",
					 d->offset);
		used = sizeof(IgvmNativeVpContextX64);
	} else if (p->type == IGVM_PLATFORM_TYPE_SEV_SNP) {
		if (vp->gpa & (IGVM_PAGE_SIZE_4K - 1))
			return igvm_fail(err, IGVM_ERR_ALIGNMENT, "SNP VMSA gpa not page aligned",
					 d->offset);
		used = IGVM_SNP_VMSA_FILE_SIZE;
		d->gpa = vp->gpa;
		d->gpa_size = IGVM_PAGE_SIZE_4K;
	} else {
		return igvm_fail(err, IGVM_ERR_PLATFORM,
				 "VP_CONTEXT for a platform without a supported context format",
				 d->offset);
	}
	if (!data_in_file(f, vp->file_offset, IGVM_PAGE_SIZE_4K))
		return igvm_fail(err, IGVM_ERR_DATA_BOUNDS,
				 "VP_CONTEXT data is not a full 4 KiB page of file data", d->offset);
	const uint8_t *data = f->data + vp->file_offset;
	for (uint32_t i = used; i < IGVM_PAGE_SIZE_4K; i++)
		if (data[i] != 0)
			return igvm_fail(err, IGVM_ERR_FIELD,
					 "NATIVE VP_CONTEXT page not zero after the context", d->offset);
	d->data = data;
	d->data_size = used;
	return IGVM_OK;
}

static int is_parameter_type(uint32_t t)
{
	return t == IGVM_VHT_VP_COUNT_PARAMETER || t == IGVM_VHT_SRAT || t == IGVM_VHT_MADT ||
	       t == IGVM_VHT_MMIO_RANGES || t == IGVM_VHT_MEMORY_MAP ||
	       t == IGVM_VHT_COMMAND_LINE || t == IGVM_VHT_SLIT || t == IGVM_VHT_PPTT ||
	       t == IGVM_VHT_DEVICE_TREE || t == IGVM_VHT_ENVIRONMENT_INFO_PARAMETER;
}

/* The other header types the igvm crate knows, each with its exact body
 * size; everything else (including types with the ignorable bit, and the
 * relocation headers, which the crate accepts only with a VBS VP context)
 * makes the file unloadable there, so here too. */
static int decode_other(struct igvm_directive *d, struct igvm_error *err)
{
	int rc;
	switch (d->type) {
	case IGVM_VHT_SUPPORTED_PLATFORM:
		return body(d, &d->u.platform, sizeof(d->u.platform), err);
	case IGVM_VHT_GUEST_POLICY:
		rc = body(d, &d->u.policy, sizeof(d->u.policy), err);
		if (rc)
			return rc;
		d->compatibility_mask = d->u.policy.compatibility_mask;
		if (d->u.policy.reserved != 0)
			return igvm_fail(err, IGVM_ERR_FIELD, "GUEST_POLICY reserved field not zero",
					 d->offset);
		return IGVM_OK;
	case IGVM_VHT_REQUIRED_MEMORY:
		rc = body(d, &d->u.required, sizeof(d->u.required), err);
		if (rc)
			return rc;
		d->compatibility_mask = d->u.required.compatibility_mask;
		if (d->u.required.reserved != 0)
			return igvm_fail(err, IGVM_ERR_FIELD,
					 "REQUIRED_MEMORY reserved field not zero", d->offset);
		if ((d->u.required.gpa & (IGVM_PAGE_SIZE_4K - 1)) ||
		    (d->u.required.number_of_bytes & (IGVM_PAGE_SIZE_4K - 1)))
			return igvm_fail(err, IGVM_ERR_ALIGNMENT,
					 "REQUIRED_MEMORY gpa or size not page aligned", d->offset);
		return IGVM_OK;
	case IGVM_VHT_ERROR_RANGE:
		rc = body(d, &d->u.error_range, sizeof(d->u.error_range), err);
		if (rc)
			return rc;
		d->compatibility_mask = d->u.error_range.compatibility_mask;
		if (d->u.error_range.gpa & (IGVM_PAGE_SIZE_4K - 1))
			return igvm_fail(err, IGVM_ERR_ALIGNMENT, "ERROR_RANGE gpa not page aligned",
					 d->offset);
		return IGVM_OK;
	case IGVM_VHT_SNP_ID_BLOCK:
	case IGVM_VHT_VBS_MEASUREMENT: {
		/* Both start with a u32 compatibility mask. */
		uint32_t size = d->type == IGVM_VHT_SNP_ID_BLOCK ? IGVM_VHS_SNP_ID_BLOCK_SIZE
								 : IGVM_VHS_VBS_MEASUREMENT_SIZE;
		if (d->length != size)
			return igvm_fail(err, IGVM_ERR_FIELD,
					 "header length is not exactly its structure's size",
					 d->offset);
		memcpy(&d->compatibility_mask, d->body, sizeof(uint32_t));
		return IGVM_OK;
	}
	case IGVM_VHT_RELOCATABLE_REGION:
	case IGVM_VHT_PAGE_TABLE_RELOCATION_REGION:
		return igvm_fail(err, IGVM_ERR_UNKNOWN_REQUIRED,
				 "relocation headers need a VBS VP context (unsupported)", d->offset);
	}
	if (is_parameter_type(d->type))
		return body(d, &d->u.param, sizeof(d->u.param), err);
	d->known = 0;
	return igvm_fail(err, IGVM_ERR_UNKNOWN_REQUIRED, "unknown header type", d->offset);
}

static int check_padding(const struct igvm_file *f, uint32_t from, uint32_t to, uint32_t at,
			 struct igvm_error *err)
{
	for (uint32_t i = from; i < to; i++)
		if (f->data[i] != 0)
			return igvm_fail(err, IGVM_ERR_ALIGNMENT, "non-zero padding after a header",
					 at);
	return IGVM_OK;
}

int igvm_decode_header(const struct igvm_file *f, uint32_t pos, struct igvm_directive *d,
		       uint32_t *next, struct igvm_error *err)
{
	IGVM_VHS_VARIABLE_HEADER vh;

	memset(d, 0, sizeof(*d));
	d->offset = pos;
	if (pos & 7u)
		return igvm_fail(err, IGVM_ERR_ALIGNMENT, "variable header not 8-byte aligned", pos);
	if (f->vh_end - pos < sizeof(vh))
		return igvm_fail(err, IGVM_ERR_HEADER_BOUNDS,
				 "variable header type/length past the header section", pos);
	memcpy(&vh, f->data + pos, sizeof(vh));
	if (vh.length > f->vh_end - pos - sizeof(vh))
		return igvm_fail(err, IGVM_ERR_HEADER_BOUNDS,
				 "variable header length runs past the header section", pos);
	d->type = vh.typ & ~IGVM_VHF_TYPE_IGNORABLE;
	d->ignorable = (vh.typ & IGVM_VHF_TYPE_IGNORABLE) != 0;
	d->known = 1;
	d->length = vh.length;
	d->body = f->data + pos + sizeof(vh);
	uint32_t end = pos + (uint32_t)sizeof(vh) + vh.length;
	uint32_t padded = end + ((8u - (end & 7u)) & 7u);
	if (padded > f->vh_end)
		return igvm_fail(err, IGVM_ERR_HEADER_BOUNDS,
				 "variable header padding runs past the header section", pos);
	int rc = check_padding(f, end, padded, pos, err);
	if (rc)
		return rc;
	*next = padded;
	/* The igvm crate loads only the types it knows, by their exact value:
	 * a type with the ignorable bit is in no section range there. */
	if (d->ignorable) {
		d->known = 0;
		return igvm_fail(err, IGVM_ERR_UNKNOWN_REQUIRED,
				 "ignorable header type (the igvm crate loads none)", pos);
	}

	switch (d->type) {
	case IGVM_VHT_PAGE_DATA:
		return decode_page(f, d, err);
	case IGVM_VHT_PARAMETER_AREA:
		return decode_area(f, d, err);
	case IGVM_VHT_PARAMETER_INSERT:
		return decode_insert(f, d, err);
	case IGVM_VHT_VP_CONTEXT:
		return decode_vp(f, d, err);
	default:
		return decode_other(d, err);
	}
}
