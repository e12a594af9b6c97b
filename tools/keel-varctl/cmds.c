/* keel-varctl's commands (docs/keel-varctl.md). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdstore.h"
#include "varctl.h"

/* A refusal: "keel-varctl: WHAT NAME: EFI_... (why)" on stderr, exit 1. */
static int refused_why(const char *what, const char *name, efi_status st, const char *why)
{
	if (st != MM_XPORT_FAILED)
		fprintf(stderr, "keel-varctl: %s%s%s: %s%s%s%s\n", what, name ? " " : "",
		        name ? name : "", efi_status_name(st), why ? " (" : "", why ? why : "",
		        why ? ")" : "");
	return VARCTL_EXIT_FAIL;
}

static int refused(const char *what, const char *name, efi_status st)
{
	return refused_why(what, name, st, NULL);
}

static int key_of(const char *name, const char *guid, struct varkey *k)
{
	if (name_from_utf8(name, k)) {
		fprintf(stderr, "keel-varctl: '%s' is not a variable name\n", name);
		return -1;
	}
	if (!guid) {
		k->guid = *guid_default(name);
	} else if (guid_parse(guid, &k->guid)) {
		fprintf(stderr, "keel-varctl: '%s' is not a GUID (8-4-4-4-12 hex digits)\n", guid);
		return -1;
	}
	return 0;
}

int cmd_list(struct xport *x)
{
	struct varkey k;
	efi_status st;
	memset(&k, 0, sizeof(k));
	k.name_size = 2;
	while ((st = mm_next(x, &k)) == EFI_SUCCESS) {
		uint32_t attrs;
		uint8_t *data;
		size_t size;
		char g[37], a[80], *name = name_to_utf8(k.name, k.name_size);
		efi_status gs = mm_get(x, &k, &attrs, &data, &size);
		if (gs != EFI_SUCCESS) {
			refused("get", name, gs);
			free(name);
			return VARCTL_EXIT_FAIL;
		}
		guid_format(&k.guid, g);
		attrs_format(attrs, a, sizeof(a));
		printf("%s %s %s %zu\n", g, name ? name : "?", a, size);
		free(data);
		free(name);
	}
	return st == EFI_NOT_FOUND ? 0 : refused("list", NULL, st);
}

int cmd_get(struct xport *x, const char *name, const struct opts *o)
{
	struct varkey k;
	uint32_t attrs;
	uint8_t *data;
	size_t size;
	efi_status st;
	if (key_of(name, o->guid, &k))
		return VARCTL_EXIT_USAGE;
	st = mm_get(x, &k, &attrs, &data, &size);
	if (st != EFI_SUCCESS)
		return refused("get", name, st);
	if (o->raw) {
		if (size && fwrite(data, 1, size, stdout) != size)
			return free(data), VARCTL_EXIT_FAIL;
	} else {
		for (size_t i = 0; i < size; i++)
			printf("%02x", data[i]);
		printf("\n");
	}
	free(data);
	return fflush(stdout) ? VARCTL_EXIT_FAIL : 0;
}

int cmd_set(struct xport *x, const char *name, const struct opts *o)
{
	struct varkey k;
	uint32_t attrs;
	uint8_t *data;
	size_t size;
	efi_status st;
	if (key_of(name, o->guid, &k))
		return VARCTL_EXIT_USAGE;
	if (o->auth_file) {
		if (o->data_file || o->attrs) {
			fprintf(stderr,
			        "keel-varctl: set: --auth excludes --data-file and --attrs\n");
			return VARCTL_EXIT_USAGE;
		}
		/* an efitools .auth file: EFI_VARIABLE_AUTHENTICATION_2, then the payload */
		attrs = EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS |
		        EFI_VARIABLE_RUNTIME_ACCESS |
		        EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS;
	} else if (!o->data_file || !o->attrs) {
		fprintf(stderr, "keel-varctl: set: needs --attrs and --data-file (or --auth)\n");
		return VARCTL_EXIT_USAGE;
	} else if (attrs_parse(o->attrs, &attrs)) {
		fprintf(stderr,
		        "keel-varctl: set: bad --attrs '%s' (a hex number, or names "
		        "NV,BS,RT,HR,AT,AW,AP,EA)\n",
		        o->attrs);
		return VARCTL_EXIT_USAGE;
	}
	if (o->append)
		attrs |= EFI_VARIABLE_APPEND_WRITE;
	if (file_read(o->auth_file ? o->auth_file : o->data_file, MM_BUFFER_MAX, &data, &size))
		return VARCTL_EXIT_FAIL;
	if (!size) {
		fprintf(stderr, "keel-varctl: set: %s is empty (use delete to delete a variable)\n",
		        o->auth_file ? o->auth_file : o->data_file);
		free(data);
		return VARCTL_EXIT_USAGE;
	}
	st = mm_set(x, &k, attrs, data, size);
	free(data);
	return st == EFI_SUCCESS ? 0 : refused("set", name, st);
}

int cmd_delete(struct xport *x, const char *name, const struct opts *o)
{
	struct varkey k;
	efi_status st;
	if (key_of(name, o->guid, &k))
		return VARCTL_EXIT_USAGE;
	/* SetVariable with DataSize 0 (UEFI 2.10 §8.2.6); the attributes do not matter then */
	st = mm_set(x, &k, 0, NULL, 0);
	return st == EFI_SUCCESS ? 0 : refused("delete", name, st);
}

static int fd_record(void *arg, const struct fd_var *v)
{
	const struct efi_time *t =
	    (v->attrs & EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS) ? &v->time : NULL;
	return rec_add(arg, &v->guid, v->name, v->name_size, v->attrs, v->data, v->size, t,
	               v->has_digest ? v->digest : NULL)
	           ? 1
	           : 0;
}

/* A raw edk2 varstore has "_FVH" at 40; anything else is read as JSON. */
static bool is_fd(const uint8_t *p, size_t n)
{
	return n >= 44 && !memcmp(p + 40, "_FVH", 4);
}

int cmd_import(struct xport *x, const char *file)
{
	struct recbuf rb = {0};
	uint8_t *text;
	size_t len;
	char err[200];
	efi_status st;
	int rc;
	if (file_read(file, 64u << 20, &text, &len))
		return VARCTL_EXIT_FAIL;
	if (is_fd(text, len)) {
		rc = fdstore_parse(text, len, fd_record, &rb, err, sizeof(err));
		if (rc < 0)
			fprintf(stderr, "keel-varctl: %s: not a usable edk2 varstore: %s\n", file,
			        err);
	} else {
		rc = json_to_records(file, text, len, &rb);
	}
	free(text);
	if (rc) {
		free(rb.p);
		return VARCTL_EXIT_FAIL;
	}
	st = mm_import(x, rb.count, rb.p, rb.len);
	free(rb.p);
	if (st == EFI_SUCCESS)
		return 0;
	return refused_why("import", file, st,
	                   st == EFI_WRITE_PROTECTED ? "the store is not empty"
	                   : st == EFI_ACCESS_DENIED ? "too late in the boot: after EndOfDxe"
	                                             : NULL);
}

int cmd_export(struct xport *x, const char *file)
{
	struct varkey k;
	efi_status st;
	void *doc = json_export_begin();
	if (!doc)
		return fprintf(stderr, "keel-varctl: out of memory\n"), VARCTL_EXIT_FAIL;
	memset(&k, 0, sizeof(k));
	k.name_size = 2;
	while ((st = mm_next(x, &k)) == EFI_SUCCESS) {
		uint8_t *rec;
		size_t len;
		struct varadmin_record r;
		efi_status rs = mm_record(x, &k, &rec, &len);
		if (rs != EFI_SUCCESS) {
			char *name = name_to_utf8(k.name, k.name_size);
			refused("export: get record of", name, rs);
			free(name);
			json_decref(doc);
			return VARCTL_EXIT_FAIL;
		}
		memcpy(&r, rec, sizeof(r));
		/* the JSON varstore holds the non-volatile variables only, as QEMU writes it */
		if ((r.attributes & EFI_VARIABLE_NON_VOLATILE) && json_export_add(doc, rec, len)) {
			free(rec);
			json_decref(doc);
			return fprintf(stderr, "keel-varctl: out of memory\n"), VARCTL_EXIT_FAIL;
		}
		free(rec);
	}
	if (st != EFI_NOT_FOUND) {
		json_decref(doc);
		return refused("export", NULL, st);
	}
	return json_export_write(doc, file) ? VARCTL_EXIT_FAIL : 0;
}
