/*
 * keel-varctl (docs/keel-varctl.md): UEFI variables of a Keel uefivars
 * service, over keel-hosted's guest port or the booted test guest's serial
 * passthrough. Layers, one file each:
 *
 *   xport.c  one MM buffer to the service and back (port or serial)
 *   mm.c     the MM variable functions and Keel's varadmin functions
 *   text.c   GUIDs, attributes, names (UTF-8 <-> UCS-2), hex
 *   json.c   the JSON varstore (version 2, QEMU uefi-vars / virt-fw-vars)
 *   cmds.c   list, get, set, delete, import, export
 */
#ifndef KEEL_VARCTL_H
#define KEEL_VARCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "efi.h"
#include "mm_wire.h"

/* Exit statuses: 0 done, 1 refused or failed, 2 usage. */
#define VARCTL_EXIT_FAIL 1
#define VARCTL_EXIT_USAGE 2

/* ---- xport.c ---- */
struct xport {
	int fd;
	bool serial;
	const char *where; /* for messages */
};
/* DIR/svsm.sock (state) or the serial passthrough socket, connected on the first call. 0 or -1
 * (message printed). */
int xport_open(struct xport *x, const char *state, const char *serial);
void xport_close(struct xport *x);
/* The largest buffer this transport carries. */
size_t xport_max(const struct xport *x);
/*
 * SVSM_UEFI_MM_REQUEST with buf[0..bufsize) as the guest's page-aligned
 * buffer; buf holds the answer afterwards. *rax: the SVSM result. 0, or -1
 * (transport failure, message printed).
 */
int xport_call(struct xport *x, uint8_t *buf, size_t bufsize, uint64_t *rax);

/* ---- mm.c ---- */
/*
 * A variable's key: UCS-2 name (incl. NUL) and GUID. Names up to 8191
 * characters: far past any real one, and still well inside one 64 KiB buffer.
 */
#define VARCTL_NAME_MAX 8191
struct varkey {
	efi_guid guid;
	uint16_t name[VARCTL_NAME_MAX + 1]; /* with the NUL */
	size_t name_size;                   /* bytes incl. the NUL */
};
/* Results: EFI status of the service, or MM_XPORT_FAILED (message printed). */
#define MM_XPORT_FAILED EFI_ERR(0x7fff)
efi_status mm_get(struct xport *x, const struct varkey *k, uint32_t *attrs, uint8_t **data,
                  size_t *size);
/* k in: the previous name (name_size 2, empty: the first); out: the next. */
efi_status mm_next(struct xport *x, struct varkey *k);
efi_status mm_set(struct xport *x, const struct varkey *k, uint32_t attrs, const uint8_t *data,
                  size_t size);
/* GET_RECORD: *rec (malloc'd: record, name, data) for export. */
efi_status mm_record(struct xport *x, const struct varkey *k, uint8_t **rec, size_t *len);
/* IMPORT of `count` records (each padded to 8 bytes) in recs[0..len). */
efi_status mm_import(struct xport *x, uint32_t count, const uint8_t *recs, size_t len);

/* ---- text.c ---- */
void guid_format(const efi_guid *g, char out[37]);
int guid_parse(const char *s, efi_guid *g);
/* "PK" etc.: the standard GUID (image security database for db, dbx, dbt, dbr). */
const efi_guid *guid_default(const char *name);
/* Hex number ("7", "0x27") or names "NV,BS,RT,AT" (',' or '|'). */
int attrs_parse(const char *s, uint32_t *attrs);
void attrs_format(uint32_t attrs, char *out, size_t len);
/* UTF-8 -> UCS-2 name with NUL (BMP only, no NUL inside). 0 or -1. */
int name_from_utf8(const char *s, struct varkey *k);
/* UCS-2 (name_size bytes incl. NUL) -> malloc'd UTF-8. */
char *name_to_utf8(const uint16_t *name, size_t name_size);
char *hex_encode(const uint8_t *p, size_t n);
/* Exactly 2*n hex digits from s into out (n bytes). 0 or -1. */
int hex_decode(const char *s, size_t n, uint8_t *out);
/* Whole file into malloc'd memory (at most max bytes). 0 or -1 (message printed). */
int file_read(const char *path, size_t max, uint8_t **data, size_t *len);

/* ---- json.c: records are varadmin_record + name + data, padded to 8 ---- */
struct recbuf {
	uint8_t *p;
	size_t len, cap;
	uint32_t count;
};
int rec_add(struct recbuf *rb, const efi_guid *g, const uint16_t *name, size_t name_size,
            uint32_t attrs, const uint8_t *data, size_t size, const struct efi_time *t,
            const uint8_t *digest);
/* JSON text -> records. 0, or -1 with a message on stderr naming FILE and the variable. */
int json_to_records(const char *file, const uint8_t *text, size_t len, struct recbuf *rb);
/* Export: begin, add one GET_RECORD reply, write. */
void *json_export_begin(void);
int json_export_add(void *doc, const uint8_t *rec, size_t len);
int json_export_write(void *doc, const char *path);

/* ---- cmds.c ---- */
struct opts {
	const char *guid, *attrs, *data_file, *auth_file;
	bool raw, append;
};
int cmd_list(struct xport *x);
int cmd_get(struct xport *x, const char *name, const struct opts *o);
int cmd_set(struct xport *x, const char *name, const struct opts *o);
int cmd_delete(struct xport *x, const char *name, const struct opts *o);
int cmd_import(struct xport *x, const char *file);
int cmd_export(struct xport *x, const char *file);

#endif
