/*
 * The MM messages keel-varctl sends (apps/uefivars/mm_wire.h): edk2's
 * SMM_VARIABLE_COMMUNICATE_* structures under mm_variable_guid, and Keel's
 * varadmin functions. One buffer, 64 KiB as edk2 sends it, larger (page
 * multiples up to what the transport carries) only when a variable or an
 * import does not fit. MessageLength is what the request needs, as edk2
 * sizes it: the structure, the name and the room for the answer (a first
 * guess, then exactly the size the service asks for with
 * EFI_BUFFER_TOO_SMALL), so the booted serial passthrough carries only
 * those bytes back, not the whole 64 KiB.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "varctl.h"

#define HDR                                                                                        \
	(sizeof(struct mm_header) + sizeof(struct mm_var_header)) /* 40: the function's structure  \
	                                                           */
#define PAGE 4096u

static uint8_t mmbuf[MM_BUFFER_MAX] __attribute__((aligned(4096)));

/* A buffer size that holds `need` bytes: 64 KiB, or more up to the transport's limit (0: none). */
static size_t buf_for(const struct xport *x, size_t need)
{
	size_t sz = MM_BUFFER_EDK2;
	if (need > sz)
		sz = (need + PAGE - 1) / PAGE * PAGE;
	return sz <= xport_max(x) ? sz : 0;
}

/* The first guess at the room for an answer (data or a name), before the service says. */
#define ROOM_GUESS 4096u

/*
 * Frames mmbuf[HDR..msg_end) as `fn` of `guid` in a bufsize-byte buffer and
 * calls; the service's status. msg_end <= bufsize: where the message ends.
 */
static efi_status mm_call(struct xport *x, const efi_guid *guid, uint64_t fn, size_t bufsize,
                          size_t msg_end)
{
	struct mm_header h;
	struct mm_var_header v;
	uint64_t rax;
	h.guid = *guid;
	h.length = msg_end - sizeof(h);
	v.function = fn;
	v.status = EFI_SUCCESS;
	memcpy(mmbuf, &h, sizeof(h));
	memcpy(mmbuf + sizeof(h), &v, sizeof(v));
	if (xport_call(x, mmbuf, bufsize, &rax))
		return MM_XPORT_FAILED;
	if (rax != 0) {
		fprintf(stderr, "keel-varctl: the SVSM call failed: SVSM result 0x%llx\n",
		        (unsigned long long)rax);
		return MM_XPORT_FAILED;
	}
	memcpy(&v, mmbuf + sizeof(h), sizeof(v));
	return v.status;
}

static size_t too_big(const char *what, size_t need)
{
	fprintf(stderr,
	        "keel-varctl: %s needs a %zu-byte MM buffer: more than the transport carries\n",
	        what, need);
	return 0;
}

efi_status mm_get(struct xport *x, const struct varkey *k, uint32_t *attrs, uint8_t **data,
                  size_t *size)
{
	struct mm_var_access a;
	size_t room = ROOM_GUESS, need, bufsize;
	efi_status st = EFI_BUFFER_TOO_SMALL;
	for (int pass = 0; pass < 2; pass++) {
		need = HDR + sizeof(a) + k->name_size + room;
		if (!(bufsize = buf_for(x, need)))
			return too_big("this variable", need), MM_XPORT_FAILED;
		memset(mmbuf, 0, bufsize);
		a.guid = k->guid;
		a.name_size = k->name_size;
		a.data_size = room;
		a.attributes = 0;
		memcpy(mmbuf + HDR, &a, sizeof(a));
		memcpy(mmbuf + HDR + sizeof(a), k->name, k->name_size);
		st = mm_call(x, &mm_variable_guid, MM_VAR_FN_GET_VARIABLE, bufsize, need);
		memcpy(&a, mmbuf + HDR, sizeof(a));
		if (st == EFI_BUFFER_TOO_SMALL && pass == 0 && a.data_size > room &&
		    a.data_size < MM_BUFFER_MAX) {
			room = (size_t)a.data_size; /* exactly what the service asked for */
			continue;
		}
		if (st != EFI_SUCCESS)
			return st;
		if (a.data_size > room) {
			fprintf(stderr,
			        "keel-varctl: the service answered a data size past its buffer\n");
			return MM_XPORT_FAILED;
		}
		*attrs = a.attributes;
		*size = a.data_size;
		*data = malloc(a.data_size ? a.data_size : 1);
		if (!*data)
			return EFI_OUT_OF_RESOURCES;
		memcpy(*data, mmbuf + HDR + sizeof(a) + k->name_size, a.data_size);
		return EFI_SUCCESS;
	}
	return st;
}

efi_status mm_next(struct xport *x, struct varkey *k)
{
	struct mm_var_next_name n;
	size_t bufsize = MM_BUFFER_EDK2, cap = sizeof(k->name), room = 512, need;
	efi_status st = EFI_BUFFER_TOO_SMALL;
	if (room < k->name_size)
		room = k->name_size; /* the current name goes in the same room */
	for (int pass = 0; pass < 2; pass++) {
		need = HDR + sizeof(n) + room;
		memset(mmbuf, 0, bufsize);
		n.guid = k->guid;
		n.name_size = room; /* the room for the next name; the current one is NUL-terminated in it */
		memcpy(mmbuf + HDR, &n, sizeof(n));
		memcpy(mmbuf + HDR + sizeof(n), k->name, k->name_size);
		st = mm_call(x, &mm_variable_guid, MM_VAR_FN_GET_NEXT_VARIABLE_NAME, bufsize, need);
		memcpy(&n, mmbuf + HDR, sizeof(n));
		if (st == EFI_BUFFER_TOO_SMALL && pass == 0 && n.name_size > room && n.name_size <= cap) {
			room = (size_t)n.name_size;
			continue;
		}
		break;
	}
	if (st != EFI_SUCCESS)
		return st;
	if (n.name_size < 2 || n.name_size > room || n.name_size % 2) {
		fprintf(stderr, "keel-varctl: the service answered a bad name size (%llu)\n",
		        (unsigned long long)n.name_size);
		return MM_XPORT_FAILED;
	}
	k->guid = n.guid;
	k->name_size = n.name_size;
	memcpy(k->name, mmbuf + HDR + sizeof(n), n.name_size);
	k->name[n.name_size / 2 - 1] = 0;
	return EFI_SUCCESS;
}

efi_status mm_set(struct xport *x, const struct varkey *k, uint32_t attrs, const uint8_t *data,
                  size_t size)
{
	struct mm_var_access a;
	size_t need = HDR + sizeof(a) + k->name_size + size, bufsize = buf_for(x, need);
	if (!bufsize)
		return too_big("this write", need), MM_XPORT_FAILED;
	memset(mmbuf, 0, bufsize);
	a.guid = k->guid;
	a.name_size = k->name_size;
	a.data_size = size;
	a.attributes = attrs;
	memcpy(mmbuf + HDR, &a, sizeof(a));
	memcpy(mmbuf + HDR + sizeof(a), k->name, k->name_size);
	if (size)
		memcpy(mmbuf + HDR + sizeof(a) + k->name_size, data, size);
	return mm_call(x, &mm_variable_guid, MM_VAR_FN_SET_VARIABLE, bufsize, need);
}

efi_status mm_record(struct xport *x, const struct varkey *k, uint8_t **rec, size_t *len)
{
	struct varadmin_record r;
	uint64_t ns = k->name_size;
	size_t bufsize = MM_BUFFER_EDK2;
	efi_status st;
	for (;;) {
		memset(mmbuf, 0, bufsize);
		memcpy(mmbuf + HDR, &k->guid, 16);
		memcpy(mmbuf + HDR + 16, &ns, 8);
		memcpy(mmbuf + HDR + 24, k->name, k->name_size);
		/* The record's size is not known beforehand: the whole buffer is its room. */
		st = mm_call(x, &keel_varadmin_guid, KEEL_VARADMIN_GET_RECORD, bufsize, bufsize);
		if (st != EFI_BUFFER_TOO_SMALL || bufsize == xport_max(x))
			break;
		bufsize = xport_max(x); /* the record's size is not told: try the largest once */
	}
	if (st != EFI_SUCCESS)
		return st;
	memcpy(&r, mmbuf + HDR, sizeof(r));
	if (r.name_size > bufsize - HDR - sizeof(r) ||
	    r.data_size > bufsize - HDR - sizeof(r) - r.name_size) {
		fprintf(stderr, "keel-varctl: the service answered a record past its buffer\n");
		return MM_XPORT_FAILED;
	}
	*len = sizeof(r) + r.name_size + r.data_size;
	*rec = malloc(*len);
	if (!*rec)
		return EFI_OUT_OF_RESOURCES;
	memcpy(*rec, mmbuf + HDR, *len);
	return EFI_SUCCESS;
}

efi_status mm_import(struct xport *x, uint32_t count, const uint8_t *recs, size_t len)
{
	uint32_t head[2] = {count, 0};
	size_t need = HDR + sizeof(head) + len, bufsize = buf_for(x, need);
	if (!bufsize)
		return too_big("this import", need), MM_XPORT_FAILED;
	memset(mmbuf, 0, bufsize);
	memcpy(mmbuf + HDR, head, sizeof(head));
	memcpy(mmbuf + HDR + sizeof(head), recs, len);
	return mm_call(x, &keel_varadmin_guid, KEEL_VARADMIN_IMPORT, bufsize, need);
}
