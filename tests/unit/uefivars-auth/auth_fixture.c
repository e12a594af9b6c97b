/* The uefivars-auth tests' fixture (auth_fixture.h). */
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

char vdir[] = "/tmp/uefivars-auth-XXXXXX";
const efi_guid *G = &efi_global_variable_guid;
const efi_guid *DB = &efi_image_security_database_guid;
const efi_guid priv_guid =
    EFI_GUID_INIT(0x4b65656c, 0x7465, 0x7374, 0x8e, 0x1a, 0, 0, 0, 0, 0, 1);

/* ---- helpers ---- */

uint8_t *load(const char *file, size_t *len)
{
	char path[512];
	FILE *f;
	uint8_t *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", vdir, file);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("vector %s missing", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

size_t ucs2(const char *ascii, uint16_t *out)
{
	size_t i, n = strlen(ascii);

	for (i = 0; i <= n; i++)
		out[i] = (uint8_t)ascii[i];
	return 2 * (n + 1);
}

/* SetVariable through auth, as the core calls it: decide, apply, refresh. */
efi_status set(struct uefivars *uv, const efi_guid *g, const char *name, uint32_t attrs,
                      const uint8_t *data, size_t len)
{
	uint16_t n[64];
	struct uv_set_req req = {.guid = *g, .name = n, .attrs = attrs, .data = data, .size = len};
	struct auth_result res;
	efi_status st;

	req.name_size = ucs2(name, n);
	assert_true(auth_applies(uv, &req));
	st = auth_set_variable(uv, &req, &res);
	if (st == EFI_SUCCESS) {
		assert_true(res.n <= AUTH_MAX_UPDATES);
		st = uv_apply(uv, res.ups, res.n);
		assert_int_equal(st, EFI_SUCCESS);
		secureboot_refresh(uv);
	} else {
		assert_int_equal(res.n, 0);
	}
	auth_result_free(&res);
	return st;
}

efi_status set_file(struct uefivars *uv, const efi_guid *g, const char *name, uint32_t attrs,
                           const char *file)
{
	size_t len;
	uint8_t *d = load(file, &len);
	efi_status st = set(uv, g, name, attrs, d, len);

	free(d);
	return st;
}

struct uv_var *get(struct uefivars *uv, const efi_guid *g, const char *name)
{
	uint16_t n[64];
	size_t ns = ucs2(name, n);

	return uv_find(uv, g, n, ns);
}

int byte_var(struct uefivars *uv, const efi_guid *g, const char *name)
{
	struct uv_var *v = get(uv, g, name);

	if (v == NULL)
		return -1;
	assert_int_equal(v->size, 1);
	return v->data[0];
}

void assert_var_is_file(struct uefivars *uv, const efi_guid *g, const char *name,
                               const char *file)
{
	size_t len;
	uint8_t *d = load(file, &len);
	struct uv_var *v = get(uv, g, name);

	assert_non_null(v);
	assert_int_equal(v->size, len);
	assert_memory_equal(v->data, d, len);
	free(d);
}

struct uefivars *fresh(enum uv_phase phase)
{
	struct uefivars *uv = calloc(1, sizeof(*uv));

	uv->store = KEEL_HANDLE_NONE;
	uv->phase = phase;
	uv->max_variable_size = UV_MAX_VAR_SIZE;
	secureboot_refresh(uv);
	return uv;
}

void done(struct uefivars *uv)
{
	fake_store_clear(uv);
	free(uv);
}

struct uefivars *enrolled(void)
{
	struct uefivars *uv = fresh(UV_PHASE_END_OF_DXE);

	assert_int_equal(set_file(uv, G, "PK", AT_RT, "PK.auth"), EFI_SUCCESS);
	assert_int_equal(set_file(uv, G, "KEK", AT_RT, "KEK.auth"), EFI_SUCCESS);
	assert_int_equal(set_file(uv, DB, "db", AT_RT, "db.auth"), EFI_SUCCESS);
	return uv;
}

/* A descriptor with an empty or junk PKCS#7 in front of payload: accepted only where no
 * signature is checked (setup and custom mode). */
uint8_t *unsigned_write(const uint8_t *payload, size_t len, size_t *out_len)
{
	static const uint8_t junk[8] = {0x30, 0x82, 0, 4, 1, 2, 3, 4};
	uint8_t *b = calloc(1, 40 + sizeof(junk) + len + 1);
	uint32_t dw = 24 + sizeof(junk);
	uint16_t rev = 0x0200, type = 0x0ef1, year = 2021;

	memcpy(b, &year, 2);
	b[2] = 1;
	b[3] = 1;
	memcpy(b + 16, &dw, 4);
	memcpy(b + 20, &rev, 2);
	memcpy(b + 22, &type, 2);
	memcpy(b + 24, &efi_cert_type_pkcs7_guid, 16);
	memcpy(b + 40, junk, sizeof(junk));
	if (len)
		memcpy(b + 40 + sizeof(junk), payload, len);
	*out_len = 40 + sizeof(junk) + len;
	return b;
}

/* ---- enrolment and modes ---- */

int make_vectors(void **state)
{
	char cmd[1024];
	(void)state;

	if (mkdtemp(vdir) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "sh '%s' '%s'", UV_AUTH_MKVECTORS, vdir);
	if (system(cmd) != 0) {
		fprintf(stderr, "mkvectors.sh failed (openssl, efitools, sbsigntool, python3)\n");
		return -1;
	}
	return 0;
}

int remove_vectors(void **state)
{
	char cmd[1024];
	(void)state;

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", vdir);
	return system(cmd) == 0 ? 0 : -1;
}
