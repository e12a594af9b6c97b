/*
 * Keel's own MM message (keel_varadmin_guid, mm_wire.h), for keel-varctl:
 * GET_RECORD (a variable with its attributes, timestamp and signer digest,
 * for export) and IMPORT (a whole set of variables in one commit, into an
 * empty store before EndOfDxe).
 */
#include <stdlib.h>
#include <string.h>

#include "uv_int.h"

#define REC_HDR sizeof(struct varadmin_record)

static size_t pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static efi_status get_record(struct uefivars *uv, uint8_t *p, size_t plen, size_t pcap, size_t *out)
{
	struct mm_var_next_name n;
	if (plen < sizeof(n))
		return EFI_ACCESS_DENIED;
	memcpy(&n, p, sizeof(n));
	if (n.name_size > plen - sizeof(n))
		return EFI_ACCESS_DENIED;
	if (n.name_size < 2 || n.name_size % 2)
		return EFI_INVALID_PARAMETER;
	uint16_t *name = uv_name_copy(p + sizeof(n), n.name_size);
	if (!name)
		return EFI_OUT_OF_RESOURCES;
	bool ok = uv_name_valid(name, n.name_size);
	const struct uv_var *v = ok ? uv_find_visible(uv, &n.guid, name, n.name_size) : NULL;
	free(name);
	if (!ok)
		return EFI_INVALID_PARAMETER;
	if (!v)
		return EFI_NOT_FOUND;
	size_t need = pad8(REC_HDR + v->name_size + v->size);
	if (need > pcap)
		return EFI_BUFFER_TOO_SMALL;
	struct varadmin_record r;
	memset(&r, 0, sizeof(r));
	r.guid = v->guid;
	r.attributes = v->attrs;
	r.name_size = (uint32_t)v->name_size;
	r.data_size = (uint32_t)v->size;
	r.has_digest = v->has_digest;
	r.time = v->time;
	memcpy(r.digest, v->digest, sizeof(r.digest));
	memset(p, 0, need);
	memcpy(p, &r, REC_HDR);
	memcpy(p + REC_HDR, v->name, v->name_size);
	if (v->size)
		memcpy(p + REC_HDR + v->name_size, v->data, v->size);
	*out = need;
	return EFI_SUCCESS;
}

/* One record at p (plen bytes left) into u; *used = its padded size. */
static efi_status parse_record(const uint8_t *p, size_t plen, struct uv_update *u, size_t *used)
{
	struct varadmin_record r;
	if (plen < REC_HDR)
		return EFI_INVALID_PARAMETER;
	memcpy(&r, p, REC_HDR);
	if (r.name_size > plen - REC_HDR || r.data_size > plen - REC_HDR - r.name_size)
		return EFI_INVALID_PARAMETER;
	size_t sz = pad8(REC_HDR + (size_t)r.name_size + r.data_size);
	if (sz > plen)
		sz = plen; /* the last record's padding may be cut off */
	uint16_t *name = uv_name_copy(p + REC_HDR, r.name_size);
	if (!name)
		return EFI_OUT_OF_RESOURCES;
	const uint32_t allowed = EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS |
	                         EFI_VARIABLE_RUNTIME_ACCESS | EFI_VARIABLE_HARDWARE_ERROR_RECORD |
	                         EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS;
	if (!uv_name_valid(name, r.name_size) || r.name_size <= 2 || (r.attributes & ~allowed) ||
	    !(r.attributes & EFI_VARIABLE_NON_VOLATILE) ||
	    !(r.attributes & EFI_VARIABLE_BOOTSERVICE_ACCESS) || r.data_size == 0 ||
	    r.has_digest > 1 ||
	    (size_t)r.name_size + r.data_size > UV_MAX_VAR_SIZE - UV_VAR_HEADER) {
		free(name);
		return EFI_INVALID_PARAMETER;
	}
	memset(u, 0, sizeof(*u));
	u->op = UV_WRITE;
	u->guid = r.guid;
	u->name = name;
	u->name_size = r.name_size;
	u->attrs = r.attributes;
	u->data = p + REC_HDR + r.name_size;
	u->size = r.data_size;
	u->time = r.time;
	u->has_digest = r.has_digest;
	memcpy(u->digest, r.digest, sizeof(u->digest));
	*used = sz;
	return EFI_SUCCESS;
}

static efi_status import(struct uefivars *uv, const uint8_t *p, size_t plen)
{
	uint32_t hdr[2];
	if (plen < sizeof(hdr))
		return EFI_INVALID_PARAMETER;
	memcpy(hdr, p, sizeof(hdr));
	if (uv->phase >= UV_PHASE_END_OF_DXE)
		return EFI_ACCESS_DENIED;
	if (uv_has_nv(uv))
		return EFI_WRITE_PROTECTED;
	uint32_t count = hdr[0];
	if (count == 0 || count > (plen - sizeof(hdr)) / REC_HDR)
		return EFI_INVALID_PARAMETER;
	struct uv_update *ups = calloc(count, sizeof(*ups));
	if (!ups)
		return EFI_OUT_OF_RESOURCES;
	efi_status s = EFI_SUCCESS;
	size_t off = sizeof(hdr), n = 0;
	for (; n < count && s == EFI_SUCCESS; n++) {
		size_t used;
		s = parse_record(p + off, plen - off, &ups[n], &used);
		if (s != EFI_SUCCESS)
			break;
		off += used;
		for (size_t j = 0; j < n && s == EFI_SUCCESS; j++)
			if (efi_guid_eq(&ups[j].guid, &ups[n].guid) &&
			    uv_name_eq(ups[j].name, ups[j].name_size, ups[n].name,
			               ups[n].name_size))
				s = EFI_INVALID_PARAMETER; /* the same variable twice */
	}
	if (s == EFI_SUCCESS)
		s = uv_apply(uv, ups, count);
	for (size_t i = 0; i < count; i++)
		free((void *)ups[i].name);
	free(ups);
	return s;
}

void mm_varadmin(struct uefivars *uv, uint8_t *msg, size_t len, size_t cap, size_t *out_len)
{
	struct mm_var_header h;
	*out_len = len;
	if (len < sizeof(h))
		return;
	memcpy(&h, msg, sizeof(h));
	uint8_t *p = msg + sizeof(h);
	size_t plen = len - sizeof(h), out = plen;
	efi_status s;
	if (h.function == KEEL_VARADMIN_GET_RECORD)
		s = get_record(uv, p, plen, cap - sizeof(h), &out);
	else if (h.function == KEEL_VARADMIN_IMPORT)
		s = import(uv, p, plen);
	else
		s = EFI_UNSUPPORTED;
	h.status = s;
	memcpy(msg, &h, sizeof(h));
	*out_len = sizeof(h) + out;
	if (s != EFI_SUCCESS && s != EFI_NOT_FOUND)
		uv_log_refusal(uv, h.function == KEEL_VARADMIN_IMPORT ? "import" : "varadmin",
		               UV_LOG_VARADMIN, s);
}
