/*
 * Non-volatile variables in storaged (docs/uefivars.md, "Persistence"):
 * one object per variable (persist_record.c), every change of one
 * uv_apply staged and committed at once before the call returns; loading
 * refuses to serve rather than drop a variable it cannot read.
 */
#include <stdlib.h>
#include <string.h>

#include "../storaged/storaged_client.h"
#include "uv_int.h"

static int stage_put(keel_handle_t h, const struct uv_var *v)
{
	char name[PERSIST_NAME_MAX];
	size_t len;
	if (!persist_object_name(&v->guid, v->name, v->name_size, name))
		return STORAGED_EIO;
	uint8_t *rec = persist_record_encode(v, &len);
	if (!rec)
		return STORAGED_EIO;
	int r = storaged_put(h, name, rec, len);
	explicit_bzero(rec, len);
	free(rec);
	return r;
}

static int stage_delete(keel_handle_t h, const efi_guid *guid, const uint16_t *n, size_t ns)
{
	char name[PERSIST_NAME_MAX];
	if (!persist_object_name(guid, n, ns, name))
		return STORAGED_EIO;
	return storaged_delete(h, name);
}

efi_status persist_changes(struct uefivars *uv, const struct uv_update *ups,
                           struct uv_var *const *fresh, size_t n)
{
	int r = STORAGED_OK;
	size_t staged = 0;
	for (size_t i = 0; i < n && r == STORAGED_OK; i++) {
		const struct uv_var *old = uv_find(uv, &ups[i].guid, ups[i].name, ups[i].name_size);
		bool old_nv = old && (old->attrs & EFI_VARIABLE_NON_VOLATILE);
		if (ups[i].op == UV_WRITE && (fresh[i]->attrs & EFI_VARIABLE_NON_VOLATILE)) {
			r = stage_put(uv->store, fresh[i]);
			staged++;
		} else if (old_nv) {
			r = stage_delete(uv->store, &ups[i].guid, ups[i].name, ups[i].name_size);
			staged++;
		}
	}
	if (r == STORAGED_OK && staged == 0)
		return EFI_SUCCESS; /* volatile variables are never written */
	uint64_t gen = 0;
	if (r == STORAGED_OK)
		r = storaged_commit(uv->store, &gen);
	if (r != STORAGED_OK) {
		storaged_abort(uv->store);
		uv_log("storaged refused a change (%s): the variable is unchanged",
		       storaged_strerror(r));
		return EFI_DEVICE_ERROR;
	}
	return EFI_SUCCESS;
}

struct names {
	char **v;
	size_t n, cap;
};

static int collect(void *arg, const char *name, uint64_t size)
{
	struct names *ns = arg;
	(void)size;
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 64;
		char **v = realloc(ns->v, cap * sizeof(*v));
		if (!v)
			return -1;
		ns->v = v;
		ns->cap = cap;
	}
	ns->v[ns->n] = strdup(name);
	return ns->v[ns->n++] ? 0 : -1;
}

static int by_seq(const void *a, const void *b)
{
	const struct uv_var *x = *(struct uv_var *const *)a, *y = *(struct uv_var *const *)b;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* One object into vars[*nv]; EFI_SUCCESS or a refusal with its log line. */
static efi_status load_one(struct uefivars *uv, const char *name, struct uv_var **vars, size_t *nv)
{
	uint8_t *data;
	size_t len;
	int r = storaged_get(uv->store, name, &data, &len);
	if (r != STORAGED_OK) {
		uv_log("cannot read object %s (%s): refusing to serve", name, storaged_strerror(r));
		return EFI_DEVICE_ERROR;
	}
	if (strcmp(name, PERSIST_META_NAME) == 0) {
		free(data);
		return EFI_SUCCESS;
	}
	const char *why = "not a variable record name";
	struct uv_var *v =
	    strncmp(name, "v-", 2) == 0 ? persist_record_decode(data, len, &why) : NULL;
	if (data)
		explicit_bzero(data, len);
	free(data);
	char expect[PERSIST_NAME_MAX];
	if (v && (!persist_object_name(&v->guid, v->name, v->name_size, expect) ||
	          strcmp(expect, name))) {
		why = "record stored under another variable's name";
		uv_var_free(v);
		v = NULL;
	}
	if (!v) {
		uv_log(
		    "object %s does not parse (%s): refusing to serve rather than lose variables",
		    name, why);
		return EFI_VOLUME_CORRUPTED;
	}
	vars[(*nv)++] = v;
	return EFI_SUCCESS;
}

efi_status persist_load(struct uefivars *uv, bool *empty, size_t *loaded)
{
	struct names ns = {0};
	efi_status s = EFI_SUCCESS;
	int r = storaged_list(uv->store, collect, &ns);
	if (r != STORAGED_OK) {
		uv_log("cannot list the store (%s): refusing to serve", storaged_strerror(r));
		s = EFI_DEVICE_ERROR;
	}
	struct uv_var **vars = calloc(ns.n ? ns.n : 1, sizeof(*vars));
	size_t nv = 0;
	if (!vars)
		s = EFI_OUT_OF_RESOURCES;
	for (size_t i = 0; i < ns.n && s == EFI_SUCCESS; i++)
		s = load_one(uv, ns.v[i], vars, &nv);
	if (s == EFI_SUCCESS) {
		qsort(vars, nv, sizeof(*vars), by_seq);
		for (size_t i = 0; i < nv; i++) {
			if (i && vars[i]->seq == vars[i - 1]->seq) {
				uv_log("two records with sequence %llu: refusing to serve",
				       (unsigned long long)vars[i]->seq);
				s = EFI_VOLUME_CORRUPTED;
				break;
			}
			if (vars[i]->seq >= uv->next_seq)
				uv->next_seq = vars[i]->seq + 1;
		}
	}
	for (size_t i = 0; i < nv; i++) {
		if (s == EFI_SUCCESS)
			uv_var_link(uv, vars[i]);
		else
			uv_var_free(vars[i]);
	}
	for (size_t i = 0; i < ns.n; i++)
		free(ns.v[i]);
	free(ns.v);
	free(vars);
	*empty = ns.n == 0;
	*loaded = s == EFI_SUCCESS ? nv : 0;
	return s;
}
