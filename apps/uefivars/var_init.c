/* Set-up and tear-down of the variable service's state (uv_init, uv_fini). */
#include <stdlib.h>
#include <string.h>

#include "../storaged/storaged_client.h"
#include "policy.h"
#include "uv_int.h"

/* First boot (storaged namespace empty): a marker object, so an emptied store is not re-seeded. */
static efi_status first_boot(struct uefivars *uv)
{
	static const uint8_t meta[8] = {'K', 'U', 'V', 'M', 1, 0, 0, 0};
	if (uv->store != KEEL_HANDLE_NONE &&
	    storaged_put(uv->store, PERSIST_META_NAME, meta, sizeof(meta)) != STORAGED_OK) {
		uv_log("cannot stage the store marker: refusing to serve");
		return EFI_DEVICE_ERROR;
	}
	bool committed = false;
	efi_status s = uv->default_store ? uv_import_default(uv, &committed) : EFI_SUCCESS;
	if (s != EFI_SUCCESS && uv->store != KEEL_HANDLE_NONE)
		storaged_abort(uv->store); /* the marker goes too: the next start tries again */
	if (s != EFI_SUCCESS || uv->store == KEEL_HANDLE_NONE || committed)
		return s;
	uint64_t gen = 0;
	int r = storaged_commit(uv->store, &gen); /* the marker alone: no default store */
	if (r != STORAGED_OK) {
		storaged_abort(uv->store);
		uv_log("first-boot commit failed (%s): refusing to serve", storaged_strerror(r));
		return EFI_DEVICE_ERROR;
	}
	uv_log("first boot: empty store created (generation %llu)", (unsigned long long)gen);
	return EFI_SUCCESS;
}

efi_status uv_init(struct uefivars *uv, keel_handle_t store, const uint8_t *default_store,
                   size_t default_size)
{
	memset(uv, 0, sizeof(*uv));
	uv->store = store;
	uv->next_seq = 1;
	uv->max_storage = UV_NV_COMMON;
	uv->max_variable_size = UV_MAX_VAR_SIZE;
	uv->default_store = default_store;
	uv->default_store_size = default_store ? default_size : 0;
	uv->policy = policy_new();
	if (!uv->policy) {
		/* Without its policy table the service would run with locks unenforceable: refuse. */
		uv_log("out of memory for the variable policy table: not serving");
		return EFI_OUT_OF_RESOURCES;
	}
	bool empty = true;
	size_t loaded = 0;
	efi_status s = EFI_SUCCESS;
	if (store != KEEL_HANDLE_NONE)
		s = persist_load(uv, &empty, &loaded);
	if (s == EFI_SUCCESS && empty)
		s = first_boot(uv);
	if (s != EFI_SUCCESS)
		return s;
	uv_recount(uv);
	secureboot_load_defaults(uv);
	secureboot_refresh(uv);
	return EFI_SUCCESS;
}

void uv_fini(struct uefivars *uv)
{
	while (uv->vars) {
		struct uv_var *v = uv->vars;
		uv->vars = v->next;
		uv_var_free(v);
	}
	if (uv->policy)
		policy_free(uv->policy);
	uv->policy = NULL;
}
