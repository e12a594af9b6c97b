/*
 * The variables Secure Boot knows by name (UEFI 2.10 §3.3 "Globally
 * defined variables", §32.6; edk2 AuthenticatedVariableFormat.h), and
 * which of them SetVariable may not touch.
 */
#include <string.h>

#include "auth.h"

const uint16_t sb_name_pk[3] = u"PK";
const uint16_t sb_name_kek[4] = u"KEK";
const uint16_t sb_name_secure_boot_enable[17] = u"SecureBootEnable";
const uint16_t sb_name_custom_mode[11] = u"CustomMode";
const uint16_t sb_name_vendor_keys_nv[13] = u"VendorKeysNv";

enum sb_var sb_classify(const efi_guid *guid, const uint16_t *name, size_t name_size)
{
	if (efi_guid_eq(guid, &efi_global_variable_guid)) {
		if (uv_name_is(name, name_size, "PK"))
			return SB_PK;
		if (uv_name_is(name, name_size, "KEK"))
			return SB_KEK;
	} else if (efi_guid_eq(guid, &efi_image_security_database_guid)) {
		/* dbr (the OS recovery database, UEFI §32.6.1) is treated as db/dbx/dbt are. */
		if (uv_name_is(name, name_size, "db") || uv_name_is(name, name_size, "dbx") ||
		    uv_name_is(name, name_size, "dbt") || uv_name_is(name, name_size, "dbr"))
			return SB_DB;
	} else if (efi_guid_eq(guid, &efi_secure_boot_enable_disable_guid)) {
		if (uv_name_is(name, name_size, "SecureBootEnable"))
			return SB_SECURE_BOOT_ENABLE;
	} else if (efi_guid_eq(guid, &efi_custom_mode_enable_guid)) {
		if (uv_name_is(name, name_size, "CustomMode"))
			return SB_CUSTOM_MODE;
	}
	return SB_NONE;
}

/* The service's own (secureboot_refresh, secureboot_load_defaults): edk2 marks them read-only. */
static const char *const global_read_only[] = {
    "SetupMode",  "SecureBoot", "SignatureSupport", "VendorKeys", "PKDefault",
    "KEKDefault", "dbDefault",  "dbxDefault",       "dbtDefault", "dbrDefault",
};

bool secureboot_read_only(const efi_guid *guid, const uint16_t *name, size_t name_size)
{
	size_t i;

	if (efi_guid_eq(guid, &efi_global_variable_guid)) {
		for (i = 0; i < sizeof(global_read_only) / sizeof(global_read_only[0]); i++)
			if (uv_name_is(name, name_size, global_read_only[i]))
				return true;
		return false;
	}
	/* Written by auth alone when keys change out of band (custom mode); edk2 creates it at
	 * start-up so nobody else can, Keel creates it on first change, so it is read-only. */
	return efi_guid_eq(guid, &efi_vendor_keys_nv_guid) &&
	       uv_name_is(name, name_size, "VendorKeysNv");
}
