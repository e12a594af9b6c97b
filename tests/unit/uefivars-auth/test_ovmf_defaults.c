/*
 * apps/uefivars auth against Debian's OVMF_VARS_4M.ms.fd (Microsoft's
 * keys enrolled), read with the real fdstore.c: the *Default variables
 * come from it, its PK/KEK/db/dbx pass edk2's signature-list format
 * check (real X.509 and SHA-256 entries), and once imported the
 * platform is in user mode with Secure Boot on, refusing unsigned db.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "fake_store.h"

#define OVMF_VARS "/usr/share/OVMF/OVMF_VARS_4M.ms.fd"

static uint8_t *img;
static size_t img_len;

static int load_store(void **state)
{
	FILE *f = fopen(OVMF_VARS, "rb");
	long n;
	(void)state;

	if (f == NULL) {
		fprintf(stderr, "%s missing (apt-get install ovmf; tools/install-deps.sh)\n",
		        OVMF_VARS);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	img = malloc((size_t)n);
	img_len = fread(img, 1, (size_t)n, f);
	fclose(f);
	return img_len == (size_t)n ? 0 : -1;
}

static int free_store(void **state)
{
	(void)state;
	free(img);
	return 0;
}

static struct uv_var *get(struct uefivars *uv, const efi_guid *g, const char *ascii)
{
	uint16_t n[32];
	size_t i, len = strlen(ascii);

	for (i = 0; i <= len; i++)
		n[i] = (uint8_t)ascii[i];
	return uv_find(uv, g, n, 2 * (len + 1));
}

/* The store's Secure Boot variables, as the core's first-boot import takes them. */
static int import_keys(void *arg, const struct fd_var *v)
{
	struct uefivars *uv = arg;
	uint16_t name[32];
	struct uv_update u;

	if (v->name_size > sizeof(name))
		return 0;
	memcpy(name, v->name, v->name_size);
	if (sb_classify(&v->guid, name, v->name_size) != SB_PK &&
	    sb_classify(&v->guid, name, v->name_size) != SB_KEK &&
	    sb_classify(&v->guid, name, v->name_size) != SB_DB)
		return 0;
	assert_int_equal(siglist_check_format(&v->guid, name, v->name_size, v->data, v->size),
	                 EFI_SUCCESS);
	memset(&u, 0, sizeof(u));
	u.op = UV_WRITE;
	u.guid = v->guid;
	u.name = name;
	u.name_size = v->name_size;
	u.attrs = v->attrs;
	u.data = v->data;
	u.size = v->size;
	u.time = v->time;
	return uv_apply(uv, &u, 1) == EFI_SUCCESS ? 0 : 1;
}

static void defaults_and_user_mode_from_ovmf_ms_store(void **state)
{
	struct uefivars *uv = calloc(1, sizeof(*uv));
	static const char *const defaults[] = {"PKDefault", "KEKDefault", "dbDefault",
	                                       "dbxDefault"};
	const efi_guid *g = &efi_global_variable_guid;
	uint8_t junk[64] = {0};
	uint16_t rev = 0x0200, type = 0x0ef1, year = 2030;
	uint32_t dw = 24 + 4;
	uint16_t db_name[] = u"db";
	struct uv_set_req req = {.guid = efi_image_security_database_guid,
	                         .name = db_name,
	                         .name_size = sizeof(db_name),
	                         .attrs = EFI_VARIABLE_NON_VOLATILE |
	                                  EFI_VARIABLE_BOOTSERVICE_ACCESS |
	                                  EFI_VARIABLE_RUNTIME_ACCESS |
	                                  EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS,
	                         .data = junk,
	                         .size = 44};
	struct auth_result res;
	char err[160];
	size_t i;
	(void)state;

	uv->default_store = img;
	uv->default_store_size = img_len;
	secureboot_load_defaults(uv);
	for (i = 0; i < 4; i++) {
		struct uv_var *v = get(uv, g, defaults[i]);
		uint16_t n[32];
		size_t k, len = strlen(defaults[i]) - strlen("Default");

		assert_non_null(v);
		assert_true(v->size > 0);
		for (k = 0; k < len; k++)
			n[k] = (uint8_t)defaults[i][k];
		n[len] = 0;
		/* the default is the store's own list, which is well-formed */
		assert_int_equal(siglist_check_format(i < 2 ? g : &efi_image_security_database_guid,
		                                      n, 2 * (len + 1), v->data, v->size),
		                 EFI_SUCCESS);
	}
	assert_int_equal(fdstore_parse(img, img_len, import_keys, uv, err, sizeof(err)), 0);
	uv->phase = UV_PHASE_END_OF_DXE;
	secureboot_refresh(uv);
	assert_false(uv->setup_mode);
	assert_true(uv->secure_boot);
	/* An unsigned db write (a descriptor with a junk PKCS#7, later time): refused. */
	memcpy(junk, &year, 2);
	junk[2] = junk[3] = 1;
	memcpy(junk + 16, &dw, 4);
	memcpy(junk + 20, &rev, 2);
	memcpy(junk + 22, &type, 2);
	memcpy(junk + 24, &efi_cert_type_pkcs7_guid, 16);
	assert_int_equal(auth_set_variable(uv, &req, &res), EFI_SECURITY_VIOLATION);
	auth_result_free(&res);
	fake_store_clear(uv);
	free(uv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(defaults_and_user_mode_from_ovmf_ms_store),
	};
	return cmocka_run_group_tests(tests, load_store, free_store);
}
