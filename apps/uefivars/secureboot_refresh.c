/*
 * The Secure Boot mode variables (UEFI 2.10 §3.3, §32.3; edk2
 * AuthVariableLib.c AuthVariableLibInitialize and UpdatePlatformMode),
 * recomputed from the stored keys after load and after every change:
 *
 *   SetupMode         1 while there is no PK.
 *   SecureBoot        1 in user mode unless SecureBootEnable says 0
 *                     (absent counts as enabled: edk2 creates it enabled
 *                     at start-up in user mode); frozen after
 *                     ExitBootServices, as edk2 leaves it alone at runtime.
 *   VendorKeys        VendorKeysNv, or 1 (valid) while it does not exist.
 *   SignatureSupport  the signature types edk2 lists.
 *
 * All volatile, BS+RT, read-only to SetVariable (secureboot_read_only).
 */
#include "auth.h"

#define RO_ATTRS (EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)

static bool byte_is(const struct uv_var *v, uint8_t value)
{
	return v != NULL && v->size == 1 && v->data[0] == value;
}

void secureboot_refresh(struct uefivars *uv)
{
	struct uv_var *sbe =
	    SB_FIND(uv, &efi_secure_boot_enable_disable_guid, sb_name_secure_boot_enable);
	struct uv_var *vk = SB_FIND(uv, &efi_vendor_keys_nv_guid, sb_name_vendor_keys_nv);
	uint8_t setup, secure, vendor;
	const efi_guid *g = &efi_global_variable_guid;

	uv->setup_mode = SB_FIND(uv, g, sb_name_pk) == NULL;
	uv->custom_mode = byte_is(SB_FIND(uv, &efi_custom_mode_enable_guid, sb_name_custom_mode),
	                          SB_CUSTOM_MODE_ON);
	if (uv->phase < UV_PHASE_RUNTIME)
		uv->secure_boot = !uv->setup_mode && (sbe == NULL || byte_is(sbe, SB_ENABLE));
	setup = uv->setup_mode ? SB_SETUP_MODE : SB_USER_MODE;
	secure = uv->secure_boot ? 1 : 0;
	vendor = vk != NULL && vk->size == 1 ? vk->data[0] : SB_VENDOR_KEYS_VALID;
	/*
	 * Memory-only writes of a few bytes: they fail only when memory is
	 * gone, and then the previous value stays, which is all we can do here.
	 */
	(void)uv_set_internal(uv, g, "SetupMode", RO_ATTRS, &setup, 1);
	(void)uv_set_internal(uv, g, "SecureBoot", RO_ATTRS, &secure, 1);
	(void)uv_set_internal(uv, g, "VendorKeys", RO_ATTRS, &vendor, 1);
	(void)uv_set_internal(uv, g, "SignatureSupport", RO_ATTRS, siglist_supported,
	                      sizeof(siglist_supported));
}
