/*
 * keel-state manufacture-tpm's state backend (apps/vtpm/state_backend.h)
 * and mode hooks: the format library (store.h) on the image directly,
 * with the object names the vtpm task reaches through storaged
 * ("permall" = "vtpm/permall"), so the task finds the TPM it would have
 * made itself. Certificates are published to the --out directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/storaged/store.h"
#include "../../apps/vtpm/ekcert.h"
#include "../../apps/vtpm/publish.h"
#include "../../apps/vtpm/state_backend.h"
#include "manufacture.h"

static struct store *store;
static const char *out_dir = ".";

void manufacture_state_use(struct store *s, const char *dir)
{
	store = s;
	out_dir = dir;
}

/* "vtpm/NAME" into full[STORE_NAME_MAX]; -1 if it does not fit. */
static int full_name(char *full, const char *name)
{
	int n = snprintf(full, STORE_NAME_MAX, "%s/%s", MANUFACTURE_NS, name);
	return n < 0 || n >= STORE_NAME_MAX ? -1 : 0;
}

int vtpm_backend_get(const char *name, uint8_t **data, size_t *len)
{
	char full[STORE_NAME_MAX];
	*data = NULL;
	*len = 0;
	if (store == NULL || full_name(full, name) != 0)
		return VTPM_STATE_IOERR;
	int r = store_get(store, full, data, len);
	if (r == STORAGED_OK && *data == NULL)
		*data = malloc(1);
	if (r == STORAGED_OK && *data != NULL)
		return VTPM_STATE_OK;
	if (r == STORAGED_ABSENT)
		return VTPM_STATE_ABSENT;
	free(*data);
	*data = NULL;
	fprintf(stderr, "keel-state: reading %s: %s\n", full, store_why(store));
	return r == STORAGED_ECORRUPT ? VTPM_STATE_CORRUPT : VTPM_STATE_IOERR;
}

int vtpm_backend_commit(const struct vtpm_staged *changes, size_t n)
{
	struct store_txn *t = NULL;
	char full[STORE_NAME_MAX];
	int r = store == NULL ? STORAGED_EINVAL : store_txn_begin(store, &t);
	for (size_t i = 0; i < n && r == STORAGED_OK; i++) {
		r = full_name(full, changes[i].name) != 0 ? STORAGED_EINVAL
		    : changes[i].data != NULL
		        ? store_txn_put(t, full, changes[i].data, changes[i].len)
		        : store_txn_delete(t, full);
	}
	if (r != STORAGED_OK) {
		if (t != NULL)
			store_txn_abort(t);
		fprintf(stderr, "keel-state: staging the vTPM's state failed (%d): %s\n", r,
		        store_why(store));
		return VTPM_STATE_IOERR;
	}
	if (store_txn_commit(t) != STORAGED_OK) {
		fprintf(stderr, "keel-state: commit failed: %s\n", store_why(store));
		return VTPM_STATE_IOERR;
	}
	return VTPM_STATE_OK;
}

int vtpm_ekca_external(struct vtpm_ca *ca)
{
	(void)ca;
	return 0; /* the CA is made and kept in the image, as the task would */
}

void vtpm_publish_file(const char *base, const uint8_t *der, size_t len)
{
	if (vtpm_publish_write(out_dir, base, der, len) == 0)
		printf("keel-state: exported %s/%s.der %s/%s.pem\n", out_dir, base, out_dir, base);
}
