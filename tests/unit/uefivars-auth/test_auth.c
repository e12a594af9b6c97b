/*
 * apps/uefivars auth_*.c / secureboot*.c: authenticated variables and
 * Secure Boot, against a store in memory (fake_store.c), with vectors the
 * real tools make at test time (mkvectors.sh: openssl, efitools,
 * sbsigntool).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth_fixture.h"

static void enrol_pk_kek_db_turns_secure_boot_on(void **state)
{
	struct uefivars *uv = fresh(UV_PHASE_DXE);
	struct uv_var *db;
	(void)state;

	assert_true(uv->setup_mode);
	assert_int_equal(byte_var(uv, G, "SetupMode"), 1);
	assert_int_equal(byte_var(uv, G, "SecureBoot"), 0);
	assert_int_equal(set_file(uv, G, "PK", AT_RT, "PK.auth"), EFI_SUCCESS);
	assert_false(uv->setup_mode);
	assert_true(uv->secure_boot);
	assert_int_equal(byte_var(uv, G, "SetupMode"), 0);
	assert_int_equal(byte_var(uv, G, "SecureBoot"), 1);
	assert_int_equal(byte_var(uv, &efi_secure_boot_enable_disable_guid, "SecureBootEnable"), 1);
	assert_int_equal(byte_var(uv, G, "VendorKeys"), 1);
	assert_var_is_file(uv, G, "PK", "PK.esl");
	assert_int_equal(set_file(uv, G, "KEK", AT_RT, "KEK.auth"), EFI_SUCCESS);
	assert_int_equal(set_file(uv, DB, "db", AT_RT, "db.auth"), EFI_SUCCESS);
	assert_var_is_file(uv, DB, "db", "DB.esl");
	db = get(uv, DB, "db");
	assert_int_equal(db->attrs, AT_RT);
	assert_int_equal(db->time.year, 2020);
	assert_int_equal(db->time.day, 3);
	assert_int_equal(set_file(uv, DB, "dbx", AT_RT, "dbx.auth"), EFI_SUCCESS);
	assert_true(get(uv, G, "SignatureSupport") != NULL);
	done(uv);
}

static void pk_must_be_self_signed_by_its_own_key(void **state)
{
	struct uefivars *uv = fresh(UV_PHASE_DXE);
	(void)state;

	assert_int_equal(set_file(uv, G, "PK", AT_RT, "PK-evil.auth"), EFI_SECURITY_VIOLATION);
	assert_null(get(uv, G, "PK"));
	assert_true(uv->setup_mode);
	done(uv);
}

static void kek_must_be_signed_by_pk(void **state)
{
	struct uefivars *uv = fresh(UV_PHASE_END_OF_DXE);
	(void)state;

	assert_int_equal(set_file(uv, G, "PK", AT_RT, "PK.auth"), EFI_SUCCESS);
	assert_int_equal(set_file(uv, G, "KEK", AT_RT, "KEK-by-kek.auth"), EFI_SECURITY_VIOLATION);
	assert_null(get(uv, G, "KEK"));
	done(uv);
}

static void delete_pk_returns_to_setup_mode(void **state)
{
	struct uefivars *uv = enrolled();
	size_t len;
	(void)state;

	assert_int_equal(set_file(uv, G, "PK", AT_RT, "PK-delete.auth"), EFI_SUCCESS);
	assert_null(get(uv, G, "PK"));
	assert_true(uv->setup_mode);
	assert_false(uv->secure_boot);
	assert_int_equal(byte_var(uv, G, "SetupMode"), 1);
	assert_int_equal(byte_var(uv, G, "SecureBoot"), 0);
	assert_null(get(uv, &efi_secure_boot_enable_disable_guid, "SecureBootEnable"));
	/* Setup mode: db takes any descriptor, only the list format is checked. */
	uint8_t *esl = load("DB2.esl", &len), *w;
	size_t wl;
	w = unsigned_write(esl, len, &wl);
	assert_int_equal(set(uv, DB, "db", AT_RT, w, wl), EFI_SUCCESS);
	assert_var_is_file(uv, DB, "db", "DB2.esl");
	/* Deleting a PK that is not there. */
	assert_int_equal(set_file(uv, G, "PK", AT_RT, "PK-delete.auth"), EFI_SECURITY_VIOLATION);
	free(esl);
	free(w);
	done(uv);
}

static void secure_boot_is_frozen_at_runtime(void **state)
{
	struct uefivars *uv = enrolled();
	(void)state;

	uv->phase = UV_PHASE_RUNTIME;
	assert_int_equal(set_file(uv, G, "PK", AT_RT, "PK-delete.auth"), EFI_SUCCESS);
	assert_int_equal(byte_var(uv, G, "SetupMode"), 1);
	assert_int_equal(byte_var(uv, G, "SecureBoot"), 1); /* edk2 leaves it alone at runtime */
	done(uv);
}

/* ---- refused updates ---- */

static void wrongly_signed_replayed_or_equal_db_updates_are_refused(void **state)
{
	struct uefivars *uv = enrolled();
	(void)state;

	assert_int_equal(set_file(uv, DB, "db", AT_RT, "db-evil.auth"), EFI_SECURITY_VIOLATION);
	assert_int_equal(set_file(uv, DB, "db", AT_RT, "db-older.auth"), EFI_SECURITY_VIOLATION);
	assert_int_equal(set_file(uv, DB, "db", AT_RT, "db-equal.auth"), EFI_SECURITY_VIOLATION);
	/* A signed write replayed: its time is no longer later than the stored one. */
	assert_int_equal(set_file(uv, DB, "db", AT_RT, "db.auth"), EFI_SECURITY_VIOLATION);
	/* KEK signed by KEK in user mode. */
	assert_int_equal(set_file(uv, G, "KEK", AT_RT, "KEK-by-kek.auth"), EFI_SECURITY_VIOLATION);
	assert_var_is_file(uv, DB, "db", "DB.esl");
	done(uv);
}

static void unsigned_db_updates_are_refused(void **state)
{
	struct uefivars *uv = enrolled();
	size_t len, wl;
	uint8_t *esl = load("DB2.esl", &len), *w = unsigned_write(esl, len, &wl);
	(void)state;

	/* No descriptor at all (not time-based): PK, KEK and db must be. */
	assert_int_equal(set(uv, DB, "db",
	                     EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS |
	                         EFI_VARIABLE_RUNTIME_ACCESS,
	                     esl, len),
	                 EFI_INVALID_PARAMETER);
	/* A descriptor whose PKCS#7 is junk. */
	assert_int_equal(set(uv, DB, "db", AT_RT, w, wl), EFI_SECURITY_VIOLATION);
	assert_int_equal(set(uv, G, "PK", AT_RT, w, wl), EFI_SECURITY_VIOLATION);
	assert_int_equal(set(uv, G, "KEK", AT_RT, w, wl), EFI_SECURITY_VIOLATION);
	/* PK without NV. */
	assert_int_equal(set(uv, G, "PK", AT_RT & ~EFI_VARIABLE_NON_VOLATILE, w, wl),
	                 EFI_INVALID_PARAMETER);
	/* Counter-based authentication is not supported. */
	assert_int_equal(set(uv, DB, "db", EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS | 7, w, wl),
	                 EFI_UNSUPPORTED);
	assert_var_is_file(uv, DB, "db", "DB.esl");
	free(esl);
	free(w);
	done(uv);
}

static void db_signed_by_pk_sbvarsign_and_content_info_accepted(void **state)
{
	struct uefivars *uv = enrolled();
	(void)state;

	assert_int_equal(set_file(uv, DB, "db", AT_RT, "db-by-pk.auth"), EFI_SUCCESS);
	assert_var_is_file(uv, DB, "db", "DB.esl");
	/* openssl cms: the PKCS#7 is a ContentInfo (the others are bare SignedData). */
	assert_int_equal(set_file(uv, DB, "db", AT_RT, "db-ci.auth"), EFI_SUCCESS);
	assert_var_is_file(uv, DB, "db", "DB3.esl");
	/* sbvarsign stamps the current time: later than every -t above. */
	assert_int_equal(set_file(uv, DB, "db", AT_RT, "db-sbvarsign.auth"), EFI_SUCCESS);
	assert_var_is_file(uv, DB, "db", "DB2.esl");
	done(uv);
}

/* ---- append ---- */

static void append_adds_only_new_entries(void **state)
{
	struct uefivars *uv = enrolled();
	size_t l1, l2, l3;
	uint8_t *e1 = load("DB.esl", &l1), *e2 = load("DB2.esl", &l2), *e3 = load("DB3.esl", &l3);
	struct uv_var *db;
	(void)state;

	assert_int_equal(set_file(uv, DB, "db", AT_APPEND, "db-append.auth"), EFI_SUCCESS);
	db = get(uv, DB, "db");
	assert_int_equal(db->size, l1 + l2);
	assert_memory_equal(db->data, e1, l1);
	assert_memory_equal(db->data + l1, e2, l2);
	assert_int_equal(db->attrs, AT_RT);
	assert_int_equal(db->time.day, 5);
	/* DB ‖ DB3 with an older time: appends are not replay-checked, DB is dropped. */
	assert_int_equal(set_file(uv, DB, "db", AT_APPEND, "db-append2.auth"), EFI_SUCCESS);
	db = get(uv, DB, "db");
	assert_int_equal(db->size, l1 + l2 + l3);
	assert_memory_equal(db->data + l1 + l2, e3, l3);
	assert_int_equal(db->time.day, 5); /* the later of the two stays */
	/* An append past the per-variable limit: refused, db unchanged. */
	uv->max_variable_size = UV_VAR_HEADER + 6 + l1 + l2 + l3 + 10;
	assert_int_equal(set_file(uv, DB, "db", AT_APPEND, "db-append.auth"),
	                 EFI_SUCCESS); /* adds 0 */
	uv->max_variable_size = UV_VAR_HEADER + 6 + l1 + l2;
	assert_int_equal(set_file(uv, DB, "db", AT_APPEND, "db-append.auth"),
	                 EFI_INVALID_PARAMETER);
	assert_int_equal(get(uv, DB, "db")->size, l1 + l2 + l3);
	uv->max_variable_size = UV_MAX_VAR_SIZE;
	/* Everything already there: nothing changes. */
	assert_int_equal(set_file(uv, DB, "db", AT_APPEND, "db-append.auth"), EFI_SUCCESS);
	assert_int_equal(get(uv, DB, "db")->size, l1 + l2 + l3);
	free(e1);
	free(e2);
	free(e3);
	done(uv);
}

/* ---- malformed descriptors ---- */

static void bad_descriptor_fields_are_security_violations(void **state)
{
	struct uefivars *uv = enrolled();
	size_t len;
	uint8_t *orig = load("db-append.auth", &len), *d = malloc(len);
	uint32_t dw;
	static const struct {
		size_t off;
		uint8_t val;
	} pokes[] = {
	    {7, 1},     /* pad1 */
	    {8, 1},     /* nanosecond */
	    {12, 1},    /* timezone */
	    {14, 1},    /* daylight */
	    {15, 1},    /* pad2 */
	    {20, 0x01}, /* wRevision 0x0201 */
	    {22, 0xf0}, /* wCertificateType 0x0ef0 */
	    {24, 0x00}, /* CertType not PKCS#7 */
	    {52,
	     0x0b}, /* the digest OID's length: no longer SHA-256 (fuzz-found OpenSSL leak path) */
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(pokes) / sizeof(pokes[0]); i++) {
		memcpy(d, orig, len);
		d[pokes[i].off] = pokes[i].val;
		assert_int_equal(set(uv, DB, "db", AT_APPEND, d, len), EFI_SECURITY_VIOLATION);
	}
	/* dwLength past the data, and shorter than the WIN_CERTIFICATE_UEFI_GUID header. */
	memcpy(d, orig, len);
	dw = (uint32_t)len;
	memcpy(d + 16, &dw, 4);
	assert_int_equal(set(uv, DB, "db", AT_APPEND, d, len), EFI_SECURITY_VIOLATION);
	dw = 23;
	memcpy(d + 16, &dw, 4);
	assert_int_equal(set(uv, DB, "db", AT_APPEND, d, len), EFI_SECURITY_VIOLATION);
	dw = 0xffffffffu;
	memcpy(d + 16, &dw, 4);
	assert_int_equal(set(uv, DB, "db", AT_APPEND, d, len), EFI_SECURITY_VIOLATION);
	/* The unmodified write still goes through: the refusals changed nothing. */
	assert_int_equal(set(uv, DB, "db", AT_APPEND, orig, len), EFI_SUCCESS);
	free(orig);
	free(d);
	done(uv);
}

static void truncated_or_flipped_writes_never_succeed_wrongly(void **state)
{
	struct uefivars *uv = enrolled();
	size_t len, i, payload_len, accepted = 0;
	uint8_t *orig = load("db-append.auth", &len), *d = malloc(len);
	efi_status st;
	(void)state;

	/* Every prefix: refused (short descriptor, cut PKCS#7, or cut payload fails the signature).
	 */
	for (i = 0; i < len; i++) {
		memcpy(d, orig, i);
		assert_int_not_equal(set(uv, DB, "db", AT_APPEND, d, i), EFI_SUCCESS);
	}
	/* Flipped bytes: the descriptor (signed time, checked header) and the signed payload
	 * must fail; inside the PKCS#7 never a crash. Some PKCS#7 fields are not covered by
	 * the signature and OpenSSL (like edk2) ignores them (SignedData version, the
	 * detached content's type, ...): such a write is the genuine one and may append. */
	free(load("DB2.esl", &payload_len));
	for (i = 0; i < len; i += 3) {
		memcpy(d, orig, len);
		d[i] ^= 0x5a;
		st = set(uv, DB, "db", AT_APPEND, d, len);
		if (i < 40 || i >= len - payload_len)
			assert_int_not_equal(st, EFI_SUCCESS);
		else if (st == EFI_SUCCESS)
			accepted++;
	}
	if (accepted == 0) {
		assert_var_is_file(uv, DB, "db", "DB.esl");
	} else {
		size_t l1;
		uint8_t *e1 = load("DB.esl", &l1);

		assert_int_equal(get(uv, DB, "db")->size, l1 + payload_len);
		assert_memory_equal(get(uv, DB, "db")->data, e1, l1);
		free(e1);
	}
	free(orig);
	free(d);
	done(uv);
}

/* ---- signature list format (setup mode: no signature in the way) ---- */

static efi_status set_list(struct uefivars *uv, const char *name, const uint8_t *list, size_t len)
{
	size_t wl;
	uint8_t *w = unsigned_write(list, len, &wl);
	efi_status st = set(uv, DB, name, AT_RT, w, wl);

	free(w);
	return st;
}

static size_t make_list(uint8_t *b, const efi_guid *type, uint32_t sig_size, size_t count,
                        uint32_t hdr)
{
	uint32_t list_size = 28 + hdr + sig_size * (uint32_t)count;

	memset(b, 0xab, list_size);
	memcpy(b, type, 16);
	memcpy(b + 16, &list_size, 4);
	memcpy(b + 20, &hdr, 4);
	memcpy(b + 24, &sig_size, 4);
	return list_size;
}

static void signature_list_format_is_checked(void **state)
{
	struct uefivars *uv = fresh(UV_PHASE_END_OF_DXE);
	static const efi_guid unknown = EFI_GUID_INIT(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
	uint8_t b[1024];
	size_t n;
	uint32_t bad;
	(void)state;

	n = make_list(b, &efi_cert_sha256_guid, 16 + 32, 3, 0);
	assert_int_equal(set_list(uv, "dbx", b, n), EFI_SUCCESS);
	n = make_list(b, &efi_cert_sha256_guid, 16 + 31, 1, 0);
	assert_int_equal(set_list(uv, "dbx", b, n), EFI_INVALID_PARAMETER);
	n = make_list(b, &efi_cert_sha256_guid, 16 + 32, 1, 4); /* SignatureHeaderSize must be 0 */
	assert_int_equal(set_list(uv, "dbx", b, n), EFI_INVALID_PARAMETER);
	n = make_list(b, &efi_cert_x509_guid, 16 + 100, 1, 0); /* not a certificate */
	assert_int_equal(set_list(uv, "db", b, n), EFI_INVALID_PARAMETER);
	n = make_list(b, &unknown, 16 + 32, 1, 0);
	assert_int_equal(set_list(uv, "db", b, n), EFI_INVALID_PARAMETER);
	n = make_list(b, &efi_cert_sha256_guid, 16 + 32, 1, 0);
	bad = (uint32_t)n + 1; /* SignatureListSize past the data */
	memcpy(b + 16, &bad, 4);
	assert_int_equal(set_list(uv, "db", b, n), EFI_INVALID_PARAMETER);
	bad = 27;
	memcpy(b + 16, &bad, 4);
	assert_int_equal(set_list(uv, "db", b, n), EFI_INVALID_PARAMETER);
	n = make_list(b, &efi_cert_sha256_guid, 16 + 32, 1, 0);
	assert_int_equal(set_list(uv, "db", b, n - 1),
	                 EFI_INVALID_PARAMETER); /* not whole entries */
	bad = 0;                                 /* SignatureSize 0: no division by it */
	memcpy(b + 24, &bad, 4);
	assert_int_equal(set_list(uv, "db", b, n), EFI_INVALID_PARAMETER);
	assert_null(get(uv, DB, "db"));
	done(uv);
}

/* ---- private authenticated variables ---- */

static void private_variables_are_pinned_to_their_signer(void **state)
{
	struct uefivars *uv = fresh(UV_PHASE_END_OF_DXE);
	struct uv_var *v;
	size_t len, wl;
	uint8_t *w;
	(void)state;

	assert_int_equal(set_file(uv, &priv_guid, "PrivVar", AT_PRIV, "priv-first"), EFI_SUCCESS);
	v = get(uv, &priv_guid, "PrivVar");
	assert_true(v->has_digest);
	assert_int_equal(v->size, strlen("first value"));
	assert_int_equal(set_file(uv, &priv_guid, "PrivVar", AT_PRIV, "priv-other"),
	                 EFI_SECURITY_VIOLATION);
	assert_int_equal(set_file(uv, &priv_guid, "PrivVar", AT_PRIV, "priv-othercert"),
	                 EFI_SECURITY_VIOLATION);
	assert_int_equal(set_file(uv, &priv_guid, "PrivVar", AT_PRIV, "priv-twin"),
	                 EFI_SECURITY_VIOLATION);
	assert_int_equal(set_file(uv, &priv_guid, "PrivVar", AT_PRIV, "priv-second"), EFI_SUCCESS);
	v = get(uv, &priv_guid, "PrivVar");
	assert_int_equal(v->size, strlen("second value"));
	assert_memory_equal(v->data, "second value", v->size);
	assert_true(v->has_digest);
	/* Replayed first write: older. */
	assert_int_equal(set_file(uv, &priv_guid, "PrivVar", AT_PRIV, "priv-first"),
	                 EFI_SECURITY_VIOLATION);
	/* Other attributes: refused by SetVariable's rule; no attributes (delete): protected. */
	assert_int_equal(set(uv, &priv_guid, "PrivVar",
	                     EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS,
	                     (const uint8_t *)"x", 1),
	                 EFI_INVALID_PARAMETER);
	assert_int_equal(set(uv, &priv_guid, "PrivVar", 0, NULL, 0), EFI_WRITE_PROTECTED);
	/* An unsigned delete: refused at runtime, allowed before (physical presence). */
	w = unsigned_write(NULL, 0, &wl);
	uv->phase = UV_PHASE_RUNTIME;
	assert_int_equal(set(uv, &priv_guid, "PrivVar", AT_PRIV, w, wl), EFI_SECURITY_VIOLATION);
	uv->phase = UV_PHASE_READY_TO_BOOT;
	assert_int_equal(set(uv, &priv_guid, "PrivVar", AT_PRIV, w, wl), EFI_SUCCESS);
	assert_null(get(uv, &priv_guid, "PrivVar"));
	(void)len;
	free(w);
	done(uv);
}

/* ---- custom mode, read-only variables, defaults ---- */

static void custom_mode_takes_keys_unsigned_during_boot_services(void **state)
{
	struct uefivars *uv = fresh(UV_PHASE_END_OF_DXE); /* after EndOfDxe: EnrollDefaultKeys */
	const uint8_t on = 1, two = 2;
	const uint32_t nvbs = EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS;
	size_t len, wl;
	uint8_t *esl = load("KEK.esl", &len), *w = unsigned_write(esl, len, &wl);
	(void)state;

	assert_int_equal(set_file(uv, G, "PK", AT_RT, "PK.auth"), EFI_SUCCESS);
	assert_int_equal(set(uv, &efi_custom_mode_enable_guid, "CustomMode", nvbs, &two, 1),
	                 EFI_INVALID_PARAMETER);
	assert_int_equal(set(uv, &efi_custom_mode_enable_guid, "CustomMode", nvbs | 4, &on, 1),
	                 EFI_INVALID_PARAMETER);
	assert_int_equal(set(uv, &efi_custom_mode_enable_guid, "CustomMode", nvbs, &on, 1),
	                 EFI_SUCCESS);
	assert_true(uv->custom_mode);
	assert_int_equal(set(uv, G, "KEK", AT_RT, w, wl), EFI_SUCCESS);
	assert_var_is_file(uv, G, "KEK", "KEK.esl");
	assert_int_equal(byte_var(uv, G, "VendorKeys"), 0);
	assert_int_equal(byte_var(uv, &efi_vendor_keys_nv_guid, "VendorKeysNv"), 0);
	/* After ExitBootServices: no physical presence, custom mode gives nothing, CustomMode
	 * is locked (the core refuses the BS-only variable at runtime before this too). */
	uv->phase = UV_PHASE_RUNTIME;
	assert_int_equal(set(uv, G, "KEK", AT_RT, w, wl), EFI_SECURITY_VIOLATION);
	assert_int_equal(set(uv, &efi_custom_mode_enable_guid, "CustomMode", nvbs, &on, 1),
	                 EFI_SECURITY_VIOLATION);
	free(esl);
	free(w);
	done(uv);
}

static void mode_variables_are_read_only(void **state)
{
	static const char *const ro[] = {"SetupMode",  "SecureBoot", "PKDefault",
	                                 "dbxDefault", "VendorKeys", "SignatureSupport"};
	uint16_t n[64];
	size_t i, ns;
	(void)state;

	for (i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
		ns = ucs2(ro[i], n);
		assert_true(secureboot_read_only(G, n, ns));
		assert_false(secureboot_read_only(&priv_guid, n, ns));
	}
	ns = ucs2("VendorKeysNv", n);
	assert_true(secureboot_read_only(&efi_vendor_keys_nv_guid, n, ns));
	ns = ucs2("PK", n);
	assert_false(secureboot_read_only(G, n, ns));
	ns = ucs2("Boot0000", n);
	assert_false(secureboot_read_only(G, n, ns));
}

static void defaults_come_from_the_default_store(void **state)
{
	struct uefivars *uv = fresh(UV_PHASE_DXE);
	static const uint8_t pk_val[] = {1, 2, 3}, db_val[] = {4, 5}, boot[] = {9};
	static const uint16_t pk_name[] = u"PK", db_name[] = u"db", boot_name[] = u"Boot0000";
	struct fd_var vars[3];
	static const uint8_t store[1] = {0};
	struct uv_var *v;
	(void)state;

	memset(vars, 0, sizeof(vars));
	vars[0] = (struct fd_var){.guid = *G,
	                          .name = pk_name,
	                          .name_size = sizeof(pk_name),
	                          .data = pk_val,
	                          .size = sizeof(pk_val)};
	vars[1] = (struct fd_var){.guid = *DB,
	                          .name = db_name,
	                          .name_size = sizeof(db_name),
	                          .data = db_val,
	                          .size = sizeof(db_val)};
	vars[2] = (struct fd_var){.guid = *G,
	                          .name = boot_name,
	                          .name_size = sizeof(boot_name),
	                          .data = boot,
	                          .size = sizeof(boot)};
	fake_fd_vars = vars;
	fake_fd_count = 3;
	secureboot_load_defaults(uv); /* no default store: nothing */
	assert_null(get(uv, G, "PKDefault"));
	uv->default_store = store;
	uv->default_store_size = sizeof(store);
	secureboot_load_defaults(uv);
	v = get(uv, G, "PKDefault");
	assert_non_null(v);
	assert_int_equal(v->size, 3);
	assert_int_equal(v->attrs, EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS);
	assert_int_equal(get(uv, G, "dbDefault")->size, 2);
	assert_null(get(uv, G, "KEKDefault"));
	assert_null(get(uv, G, "Boot0000Default"));
	fake_fd_vars = NULL;
	fake_fd_count = 0;
	done(uv);
}

/* Random multi-byte damage to real vectors, in user and setup mode, for PK, KEK, db and a
 * private variable: statuses only, never a crash (run under ASan in docs/secure-boot.md). */
static void random_damage_never_crashes(void **state)
{
	static const struct {
		const efi_guid *g;
		const char *name, *file;
		uint32_t attrs;
	} cases[] = {
	    {&efi_global_variable_guid, "PK", "PK.auth", AT_RT},
	    {&efi_global_variable_guid, "KEK", "KEK.auth", AT_RT},
	    {&efi_image_security_database_guid, "db", "db-append.auth", AT_APPEND},
	    {&efi_image_security_database_guid, "db", "db-ci.auth", AT_RT},
	    {&priv_guid, "PrivVar", "priv-second", AT_PRIV},
	};
	struct uefivars *modes[2] = {enrolled(), fresh(UV_PHASE_END_OF_DXE)};
	unsigned seed = 16;
	size_t c, m, it, len, k;
	(void)state;

	assert_int_equal(set_file(modes[0], &priv_guid, "PrivVar", AT_PRIV, "priv-first"),
	                 EFI_SUCCESS);
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		uint8_t *orig = load(cases[c].file, &len), *d = malloc(len);

		for (it = 0; it < 150; it++) {
			size_t n = len;

			memcpy(d, orig, len);
			for (k = 0; k < 1 + (size_t)rand_r(&seed) % 4; k++)
				d[(size_t)rand_r(&seed) % len] = (uint8_t)rand_r(&seed);
			if (rand_r(&seed) % 4 == 0)
				n = (size_t)rand_r(&seed) % len;
			for (m = 0; m < 2; m++)
				(void)set(modes[m], cases[c].g, cases[c].name, cases[c].attrs, d,
				          n);
		}
		free(orig);
		free(d);
	}
	done(modes[0]);
	done(modes[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(enrol_pk_kek_db_turns_secure_boot_on),
	    cmocka_unit_test(pk_must_be_self_signed_by_its_own_key),
	    cmocka_unit_test(kek_must_be_signed_by_pk),
	    cmocka_unit_test(delete_pk_returns_to_setup_mode),
	    cmocka_unit_test(secure_boot_is_frozen_at_runtime),
	    cmocka_unit_test(wrongly_signed_replayed_or_equal_db_updates_are_refused),
	    cmocka_unit_test(unsigned_db_updates_are_refused),
	    cmocka_unit_test(db_signed_by_pk_sbvarsign_and_content_info_accepted),
	    cmocka_unit_test(append_adds_only_new_entries),
	    cmocka_unit_test(bad_descriptor_fields_are_security_violations),
	    cmocka_unit_test(truncated_or_flipped_writes_never_succeed_wrongly),
	    cmocka_unit_test(signature_list_format_is_checked),
	    cmocka_unit_test(private_variables_are_pinned_to_their_signer),
	    cmocka_unit_test(custom_mode_takes_keys_unsigned_during_boot_services),
	    cmocka_unit_test(mode_variables_are_read_only),
	    cmocka_unit_test(defaults_come_from_the_default_store),
	    cmocka_unit_test(random_damage_never_crashes),
	};
	return cmocka_run_group_tests(tests, make_vectors, remove_vectors);
}
