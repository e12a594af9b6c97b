/*
 * The first boot's variables: the manifest's default store (a raw edk2
 * varstore, measured with the boot bundle), imported in one commit.
 */
#include <stdlib.h>
#include <string.h>

#include "fdstore.h"
#include "uv_int.h"

struct collected {
	struct uv_update *ups;
	size_t n, cap;
};

static int collect(void *arg, const struct fd_var *v)
{
	struct collected *c = arg;
	/* A varstore file holds non-volatile variables only; skip anything else. */
	if (!(v->attrs & EFI_VARIABLE_NON_VOLATILE))
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		struct uv_update *u = realloc(c->ups, cap * sizeof(*u));
		if (!u)
			return 1;
		c->ups = u;
		c->cap = cap;
	}
	struct uv_update *u = &c->ups[c->n];
	memset(u, 0, sizeof(*u));
	u->op = UV_WRITE;
	u->guid = v->guid;
	u->name = uv_name_copy(v->name, v->name_size); /* the file's names are unaligned */
	if (!u->name)
		return 1;
	u->name_size = v->name_size;
	u->attrs = v->attrs & EFI_VARIABLE_ATTRIBUTES_MASK;
	u->data = v->data;
	u->size = v->size;
	u->time = v->time;
	u->has_digest = v->has_digest;
	memcpy(u->digest, v->digest, sizeof(u->digest));
	c->n++;
	if (!uv_name_valid(u->name, u->name_size))
		return 2;
	return 0;
}

efi_status uv_import_default(struct uefivars *uv, bool *committed)
{
	struct collected c = {0};
	char err[160] = "";
	efi_status s = EFI_SUCCESS;
	*committed = false;
	int r =
	    fdstore_parse(uv->default_store, uv->default_store_size, collect, &c, err, sizeof(err));
	if (r != 0) {
		uv_log("the default store does not parse (%s): refusing to serve",
		       r == 1   ? "out of memory"
		       : r == 2 ? "a variable name is malformed"
		                : err);
		s = EFI_VOLUME_CORRUPTED;
	} else {
		s = uv_apply(uv, c.ups, c.n);
		/* every collected variable is non-volatile: uv_apply committed them all */
		*committed = s == EFI_SUCCESS && c.n > 0 && uv->store != KEEL_HANDLE_NONE;
		if (s != EFI_SUCCESS)
			uv_log("importing the default store failed: %s", efi_status_name(s));
		else
			uv_log("first boot: %zu variables imported from the default store", c.n);
	}
	for (size_t i = 0; i < c.n; i++)
		free((void *)c.ups[i].name);
	free(c.ups);
	return s;
}
