/*
 * libFuzzer target for the authenticated-variable path
 * (apps/uefivars auth_*.c, secureboot*.c): one SetVariable through
 * auth_set_variable, then uv_apply and secureboot_refresh, against a store
 * (tests/unit/uefivars-auth/fake_store.c) that holds real PK, KEK and db
 * lists, so signature checks are reached with real certificates.
 *
 * Input: u8 target (PK, KEK, db, dbx, private, CustomMode), u8 flags
 * (bit 0 APPEND_WRITE, bit 1 after ExitBootServices, bit 2 setup mode: no keys
 * enrolled, bit 3 custom mode on), then the SetVariable data.
 * KEEL_FUZZ_AUTH_KEYS names the directory tests/unit/uefivars-auth/
 * mkvectors.sh wrote (PK.esl, KEK.esl, DB.esl); without it the store
 * starts in setup mode.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "fake_store.h"
#include "uv_int.h"

#define AT_RT                                                                                      \
	(EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS |                             \
	 EFI_VARIABLE_RUNTIME_ACCESS | EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS)

static struct {
	uint8_t *data;
	size_t size;
} keys[3]; /* PK, KEK, db */

static void load_key(int i, const char *dir, const char *file)
{
	char path[512];
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "rb");
	if (f == NULL)
		return;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	keys[i].data = malloc((size_t)n);
	keys[i].size = fread(keys[i].data, 1, (size_t)n, f);
	fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("KEEL_FUZZ_AUTH_KEYS");

	(void)argc;
	(void)argv;
	if (dir != NULL) {
		load_key(0, dir, "PK.esl");
		load_key(1, dir, "KEK.esl");
		load_key(2, dir, "DB.esl");
	}
	return 0;
}

static void enrol(struct uefivars *uv, const efi_guid *g, const uint16_t *name, size_t ns, int k,
                  uint8_t day)
{
	struct uv_update u;

	if (keys[k].data == NULL)
		return;
	memset(&u, 0, sizeof(u));
	u.op = UV_WRITE;
	u.guid = *g;
	u.name = name;
	u.name_size = ns;
	u.attrs = AT_RT;
	u.data = keys[k].data;
	u.size = keys[k].size;
	u.time.year = 2020;
	u.time.month = 1;
	u.time.day = day;
	(void)uv_apply(uv, &u, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t n_pk[] = u"PK", n_kek[] = u"KEK", n_db[] = u"db", n_dbx[] = u"dbx",
	                      n_priv[] = u"PrivVar", n_cm[] = u"CustomMode";
	static const efi_guid priv =
	    EFI_GUID_INIT(0x4b65656c, 0x7465, 0x7374, 0x8e, 0x1a, 0, 0, 0, 0, 0, 1);
	struct uefivars uv;
	struct uv_set_req req;
	struct auth_result res;
	uint8_t flags, one = 1;

	if (size < 2)
		return 0;
	memset(&uv, 0, sizeof(uv));
	uv.max_variable_size = UV_MAX_VAR_SIZE;
	flags = data[1];
	uv.phase = (flags & 2) ? UV_PHASE_RUNTIME : UV_PHASE_END_OF_DXE;
	if (!(flags & 4)) {
		enrol(&uv, &efi_global_variable_guid, n_pk, sizeof(n_pk), 0, 1);
		enrol(&uv, &efi_global_variable_guid, n_kek, sizeof(n_kek), 1, 2);
		enrol(&uv, &efi_image_security_database_guid, n_db, sizeof(n_db), 2, 3);
	}
	if (flags & 8)
		(void)uv_set_internal(&uv, &efi_custom_mode_enable_guid, "CustomMode",
		                      EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS,
		                      &one, 1);
	secureboot_refresh(&uv);
	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	req.attrs = AT_RT | ((flags & 1) ? EFI_VARIABLE_APPEND_WRITE : 0);
	const struct {
		const efi_guid *g;
		const uint16_t *name;
		size_t ns;
	} targets[] = {
	    {&efi_global_variable_guid, n_pk, sizeof(n_pk)},
	    {&efi_global_variable_guid, n_kek, sizeof(n_kek)},
	    {&efi_image_security_database_guid, n_db, sizeof(n_db)},
	    {&efi_image_security_database_guid, n_dbx, sizeof(n_dbx)},
	    {&priv, n_priv, sizeof(n_priv)},
	    {&efi_custom_mode_enable_guid, n_cm, sizeof(n_cm)},
	};
	size_t t = data[0] % 6;

	req.guid = *targets[t].g;
	req.name = targets[t].name;
	req.name_size = targets[t].ns;
	if (t == 4) /* the vectors' private variable is NV+BS+time-based */
		req.attrs &= ~EFI_VARIABLE_RUNTIME_ACCESS;
	if (t == 5)
		req.attrs = EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS;
	req.data = data + 2;
	req.size = size - 2;
	if (auth_applies(&uv, &req) && auth_set_variable(&uv, &req, &res) == EFI_SUCCESS) {
		if (res.n > AUTH_MAX_UPDATES || uv_apply(&uv, res.ups, res.n) != EFI_SUCCESS)
			abort(); /* a change set the store refuses: auth broke its promise */
		secureboot_refresh(&uv);
	}
	auth_result_free(&res);
	fake_store_clear(&uv);
	return 0;
}
