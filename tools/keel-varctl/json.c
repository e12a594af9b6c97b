/*
 * The JSON varstore, version 2, as QEMU's uefi-vars (hw/uefi/
 * var-service-json.c, qapi/uefi.json) and virt-firmware write it:
 *
 *   {"version": 2, "variables": [{"guid": "8be4df61-...", "name": "Boot0000",
 *     "attr": 7, "data": "<hex>", "time": "<hex of EFI_TIME>", "digest": "<hex>"}]}
 *
 * time only for TIME_BASED_AUTHENTICATED_WRITE_ACCESS variables, digest
 * only for private authenticated ones (a SHA-256). Read strictly: unknown
 * or duplicate keys, wrong types, bad hex, a name that is not a variable
 * name are errors naming the variable.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "varctl.h"

int rec_add(struct recbuf *rb, const efi_guid *g, const uint16_t *name, size_t name_size,
            uint32_t attrs, const uint8_t *data, size_t size, const struct efi_time *t,
            const uint8_t *digest)
{
	struct varadmin_record r;
	size_t len = sizeof(r) + name_size + size, padded = (len + 7) & ~(size_t)7;
	if (padded > MM_BUFFER_MAX || rb->len + padded > MM_BUFFER_MAX) {
		fprintf(stderr,
		        "keel-varctl: the variables need more than %u bytes: too large for one "
		        "import\n",
		        MM_BUFFER_MAX);
		return -1;
	}
	if (rb->len + padded > rb->cap) {
		uint8_t *p = realloc(rb->p, MM_BUFFER_MAX);
		if (!p)
			return fprintf(stderr, "keel-varctl: out of memory\n"), -1;
		rb->p = p;
		rb->cap = MM_BUFFER_MAX;
	}
	memset(&r, 0, sizeof(r));
	r.guid = *g;
	r.attributes = attrs;
	r.name_size = (uint32_t)name_size;
	r.data_size = (uint32_t)size;
	if (t)
		r.time = *t;
	if (digest) {
		r.has_digest = 1;
		memcpy(r.digest, digest, 32);
	}
	memset(rb->p + rb->len, 0, padded);
	memcpy(rb->p + rb->len, &r, sizeof(r));
	memcpy(rb->p + rb->len + sizeof(r), name, name_size);
	if (size)
		memcpy(rb->p + rb->len + sizeof(r) + name_size, data, size);
	rb->len += padded;
	rb->count++;
	return 0;
}

/* "FILE: variables[I] (NAME): what" */
static int bad(const char *file, size_t i, const char *name, const char *what)
{
	if (name)
		fprintf(stderr, "keel-varctl: %s: variables[%zu] (\"%s\"): %s\n", file, i, name,
		        what);
	else
		fprintf(stderr, "keel-varctl: %s: variables[%zu]: %s\n", file, i, what);
	return -1;
}

/* The optional "time" and "digest" of a TIME_BASED_AUTHENTICATED_WRITE_ACCESS variable. */
static int auth_fields(const char *file, size_t i, const char *name, json_t *v, json_int_t attr,
                       struct efi_time *t, uint8_t digest[32], bool *has_digest)
{
	json_t *jt = json_object_get(v, "time"), *jd = json_object_get(v, "digest");
	bool timed = attr & EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS;
	memset(t, 0, sizeof(*t));
	*has_digest = jd != NULL;
	if ((jt || jd) && !timed)
		return bad(file, i, name,
		           "\"time\" or \"digest\" on a variable without "
		           "TIME_BASED_AUTHENTICATED_WRITE_ACCESS");
	if (jt &&
	    (!json_is_string(jt) || hex_decode(json_string_value(jt), sizeof(*t), (uint8_t *)t)))
		return bad(file, i, name, "\"time\": not 32 hex digits (an EFI_TIME)");
	if (jd && (!json_is_string(jd) || hex_decode(json_string_value(jd), 32, digest)))
		return bad(file, i, name, "\"digest\": not 64 hex digits (a SHA-256)");
	return 0;
}

/* Only the keys of the format, each at most once (duplicates: JSON_REJECT_DUPLICATES). */
static int known_keys(const char *file, size_t i, const char *name, json_t *v)
{
	static const char *const keys[] = {"guid", "name", "attr", "data", "time", "digest"};
	const char *key;
	json_t *val;
	json_object_foreach(v, key, val)
	{
		size_t x;
		for (x = 0; x < 6 && strcmp(key, keys[x]); x++)
			;
		if (x == 6) {
			char msg[200];
			snprintf(msg, sizeof(msg), "unknown key \"%.100s\"", key);
			return bad(file, i, name, msg);
		}
	}
	return 0;
}

static int one_var(const char *file, size_t i, json_t *v, struct recbuf *rb)
{
	const char *name = NULL, *hex;
	json_t *j;
	struct varkey k;
	struct efi_time t;
	uint8_t digest[32], *data;
	bool has_digest;
	json_int_t attr;
	size_t n;
	int rc;
	if (!json_is_object(v))
		return bad(file, i, NULL, "not an object");
	j = json_object_get(v, "name");
	if (j && json_is_string(j))
		name = json_string_value(j);
	if (known_keys(file, i, name, v))
		return -1;
	if (!name)
		return bad(file, i, NULL, "\"name\" missing or not a string");
	if (strlen(name) != json_string_length(j) || name_from_utf8(name, &k))
		return bad(file, i, name,
		           "name is not a variable name (empty, control characters, "
		           "outside UCS-2, or longer than 8191 characters)");
	j = json_object_get(v, "guid");
	if (!json_is_string(j) || guid_parse(json_string_value(j), &k.guid))
		return bad(file, i, name, "\"guid\" missing or not a GUID (8-4-4-4-12 hex digits)");
	j = json_object_get(v, "attr");
	if (!json_is_integer(j) || (attr = json_integer_value(j)) < 0 || attr > 0xffffffffll)
		return bad(file, i, name, "\"attr\" missing or not a 32-bit unsigned integer");
	if (auth_fields(file, i, name, v, attr, &t, digest, &has_digest))
		return -1;
	j = json_object_get(v, "data");
	if (!json_is_string(j))
		return bad(file, i, name, "\"data\" missing or not a string");
	hex = json_string_value(j);
	n = strlen(hex);
	if (n % 2)
		return bad(file, i, name, "\"data\": odd number of hex digits");
	data = malloc(n / 2 + 1);
	if (!data)
		return bad(file, i, name, "out of memory");
	if (hex_decode(hex, n / 2, data))
		rc = bad(file, i, name, "\"data\": not hex");
	else
		rc = rec_add(rb, &k.guid, k.name, k.name_size, (uint32_t)attr, data, n / 2, &t,
		             has_digest ? digest : NULL);
	free(data);
	return rc;
}

int json_to_records(const char *file, const uint8_t *text, size_t len, struct recbuf *rb)
{
	json_error_t e;
	json_t *root = json_loadb((const char *)text, len, JSON_REJECT_DUPLICATES, &e), *vars, *ver;
	const char *key;
	json_t *val;
	size_t i;
	int rc = 0;
	if (!root)
		return fprintf(stderr, "keel-varctl: %s:%d:%d: not valid JSON: %s\n", file, e.line,
		               e.column, e.text),
		       -1;
	if (!json_is_object(root)) {
		fprintf(stderr,
		        "keel-varctl: %s: not a JSON varstore (the top level is not an object)\n",
		        file);
		json_decref(root);
		return -1;
	}
	json_object_foreach(root, key, val)
	{
		if (strcmp(key, "version") && strcmp(key, "variables")) {
			fprintf(stderr, "keel-varctl: %s: unknown top-level key \"%s\"\n", file,
			        key);
			json_decref(root);
			return -1;
		}
	}
	ver = json_object_get(root, "version");
	vars = json_object_get(root, "variables");
	if (!json_is_integer(ver) || json_integer_value(ver) != 2) {
		fprintf(
		    stderr,
		    "keel-varctl: %s: \"version\" is missing or not 2 (only version 2 is read)\n",
		    file);
		rc = -1;
	} else if (!json_is_array(vars)) {
		fprintf(stderr, "keel-varctl: %s: \"variables\" is missing or not an array\n",
		        file);
		rc = -1;
	}
	for (i = 0; !rc && i < json_array_size(vars); i++)
		rc = one_var(file, i, json_array_get(vars, i), rb);
	json_decref(root);
	return rc;
}

void *json_export_begin(void)
{
	json_t *root = json_object(), *vars = json_array();
	if (!root || !vars || json_object_set_new(root, "version", json_integer(2)) ||
	    json_object_set_new(root, "variables", vars)) {
		json_decref(root);
		return NULL;
	}
	return root;
}

static int set_hex(json_t *o, const char *key, const uint8_t *p, size_t n)
{
	char *h = hex_encode(p, n);
	int rc = h ? json_object_set_new(o, key, json_string(h)) : -1;
	free(h);
	return rc;
}

int json_export_add(void *doc, const uint8_t *rec, size_t len)
{
	struct varadmin_record r;
	json_t *v = json_object();
	char g[37], *name;
	int rc;
	memcpy(&r, rec, sizeof(r));
	if (!v || len < sizeof(r) + r.name_size + r.data_size)
		return json_decref(v), -1;
	guid_format(&r.guid, g);
	name = name_to_utf8((const uint16_t *)(const void *)(rec + sizeof(r)), r.name_size);
	rc = !name || json_object_set_new(v, "guid", json_string(g)) ||
	     json_object_set_new(v, "name", json_string(name)) ||
	     json_object_set_new(v, "attr", json_integer(r.attributes)) ||
	     set_hex(v, "data", rec + sizeof(r) + r.name_size, r.data_size);
	if (!rc && (r.attributes & EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS))
		rc = set_hex(v, "time", (const uint8_t *)&r.time, sizeof(r.time));
	if (!rc && (r.attributes & EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS) &&
	    r.has_digest)
		rc = set_hex(v, "digest", r.digest, sizeof(r.digest));
	free(name);
	if (rc)
		return json_decref(v), -1;
	return json_array_append_new(json_object_get(doc, "variables"), v);
}

int json_export_write(void *doc, const char *path)
{
	int rc;
	if (!strcmp(path, "-"))
		rc = json_dumpf(doc, stdout, JSON_INDENT(4) | JSON_PRESERVE_ORDER) ||
		     fputc('\n', stdout) == EOF;
	else
		rc = json_dump_file(doc, path, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
	if (!rc && strcmp(path, "-")) {
		FILE *f = fopen(path, "a");
		rc = !f || fputc('\n', f) == EOF;
		if (f && fclose(f))
			rc = 1;
	}
	json_decref(doc);
	if (rc)
		fprintf(stderr, "keel-varctl: %s: cannot write the JSON\n", path);
	return rc ? -1 : 0;
}
