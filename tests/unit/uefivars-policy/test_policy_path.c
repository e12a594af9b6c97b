/*
 * Variable policy end to end through the MM entry point (uv_mm_request):
 * whole MM communicate buffers, as OVMF sends them, for the policy GUID,
 * LockVariable (function 8), the EndOfDxe / ReadyToBoot events and the
 * SetVariable that the policy then refuses. Checks that core hands the
 * policy message and the SetVariable payload over as policy.h says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <keel/svsm.h>

#include "mm_wire.h"
#include "policy_wire.h"
#include "uefivars.h"

#define NBR                                                                                        \
	(EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)

static const efi_guid vendor =
    EFI_GUID_INIT(0x4b65656c, 0x5465, 0x7374, 0x8e, 0x1a, 0x6b, 0x65, 0x65, 0x6c, 0x00, 0x20);

struct fixture {
	struct uefivars uv;
	uint8_t *buf; /* the guest buffer, exactly MM_BUFFER_EDK2 bytes */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->buf = malloc(MM_BUFFER_EDK2);
	assert_non_null(f->buf);
	assert_int_equal(uv_init(&f->uv, KEEL_HANDLE_NONE, NULL, 0), EFI_SUCCESS);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	uv_fini(&f->uv);
	free(f->buf);
	free(f);
	return 0;
}

/* Send buf with header `guid` and `len` message bytes (already at buf + 24); the SVSM result. */
static uint64_t request(struct fixture *f, const efi_guid *guid, size_t len)
{
	struct mm_header h = {.guid = *guid, .length = len};
	uint64_t rc = 0xdead;
	memcpy(f->buf, &h, sizeof(h));
	size_t out = uv_mm_request(&f->uv, f->buf, MM_BUFFER_EDK2, &rc);
	if (rc == SVSM_SUCCESS)
		assert_true(out >= sizeof(h) && out <= MM_BUFFER_EDK2);
	return rc;
}

static uint8_t *msg(struct fixture *f)
{
	return f->buf + sizeof(struct mm_header);
}

static efi_status var_status(struct fixture *f)
{
	efi_status st;
	memcpy(&st, msg(f) + offsetof(struct mm_var_header, status), sizeof(st));
	return st;
}

static size_t ucs2(uint8_t *out, const char *a)
{
	size_t n = strlen(a) + 1;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = (uint8_t)a[i];
		out[2 * i + 1] = 0;
	}
	return 2 * n;
}

static efi_status set_var(struct fixture *f, const char *name, uint32_t attrs, size_t size)
{
	struct mm_var_header vh = {.function = MM_VAR_FN_SET_VARIABLE};
	uint8_t *a = msg(f) + sizeof(vh);
	size_t ns = ucs2(a + sizeof(struct mm_var_access), name);
	struct mm_var_access v = {
	    .guid = vendor, .data_size = size, .name_size = ns, .attributes = attrs};
	memcpy(msg(f), &vh, sizeof(vh));
	memcpy(a, &v, sizeof(v));
	memset(a + sizeof(v) + ns, 0x42, size);
	assert_int_equal(request(f, &mm_variable_guid, sizeof(vh) + sizeof(v) + ns + size),
	                 SVSM_SUCCESS);
	return var_status(f);
}

static efi_status lock_variable(struct fixture *f, const char *name)
{
	struct mm_var_header vh = {.function = MM_VAR_FN_LOCK_VARIABLE};
	uint8_t *a = msg(f) + sizeof(vh);
	size_t ns = ucs2(a + sizeof(struct mm_var_next_name), name);
	struct mm_var_next_name v = {.guid = vendor, .name_size = ns};
	memcpy(msg(f), &vh, sizeof(vh));
	memcpy(a, &v, sizeof(v));
	assert_int_equal(request(f, &mm_variable_guid, sizeof(vh) + sizeof(v) + ns), SVSM_SUCCESS);
	return var_status(f);
}

static void event(struct fixture *f, const efi_guid *g)
{
	assert_int_equal(request(f, g, 0), SVSM_SUCCESS);
}

/* A policy command with `len` parameter bytes already at msg + 20; the Result. */
static efi_status policy(struct fixture *f, uint32_t cmd, size_t len)
{
	struct mm_policy_header h = {.signature = MM_POLICY_SIGNATURE,
	                             .revision = MM_POLICY_REVISION,
	                             .command = cmd,
	                             .result = 0x77};
	efi_status st;
	memcpy(msg(f), &h, sizeof(h));
	assert_int_equal(request(f, &mm_var_policy_guid, sizeof(h) + len), SVSM_SUCCESS);
	memcpy(&st, msg(f) + offsetof(struct mm_policy_header, result), sizeof(st));
	return st;
}

static efi_status register_policy(struct fixture *f, const char *name, uint32_t max, uint8_t lock)
{
	uint8_t *e = msg(f) + sizeof(struct mm_policy_header);
	struct variable_policy_entry h = {.version = VARIABLE_POLICY_ENTRY_REVISION,
	                                  .offset_to_name = sizeof(h),
	                                  .ns = vendor,
	                                  .max_size = max,
	                                  .lock_type = lock};
	h.size = (uint16_t)(sizeof(h) + ucs2(e + sizeof(h), name));
	memcpy(e, &h, sizeof(h));
	return policy(f, MM_POLICY_CMD_REGISTER, h.size);
}

static void test_lock_variable_through_mm(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(lock_variable(f, "Locked"), EFI_SUCCESS);
	assert_int_equal(set_var(f, "Locked", NBR, 4), EFI_SUCCESS); /* pending until EndOfDxe */
	event(f, &mm_end_of_dxe_guid);
	assert_int_equal(set_var(f, "Locked", NBR, 4), EFI_WRITE_PROTECTED);
	assert_int_equal(set_var(f, "Locked", NBR, 0), EFI_WRITE_PROTECTED); /* no delete either */
	assert_int_equal(set_var(f, "Other", NBR, 4), EFI_SUCCESS);
	assert_int_equal(lock_variable(f, "Other"), EFI_ACCESS_DENIED);
	assert_int_equal(set_var(f, "Other", NBR, 5), EFI_SUCCESS);
}

static void test_policy_register_and_enforce_through_mm(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(register_policy(f, "Small", 8, VARIABLE_POLICY_TYPE_NO_LOCK), EFI_SUCCESS);
	assert_int_equal(register_policy(f, "Small", 8, VARIABLE_POLICY_TYPE_NO_LOCK),
	                 EFI_ALREADY_STARTED);
	assert_int_equal(register_policy(f, "Opt####", 0xffffffffu, VARIABLE_POLICY_TYPE_LOCK_NOW),
	                 EFI_SUCCESS);
	event(f, &mm_end_of_dxe_guid);
	assert_int_equal(set_var(f, "Small", NBR, 8), EFI_SUCCESS);
	assert_int_equal(set_var(f, "Small", NBR, 9), EFI_INVALID_PARAMETER);
	assert_int_equal(set_var(f, "Opt00ff", NBR, 1), EFI_WRITE_PROTECTED);
	assert_int_equal(set_var(f, "Opt00fg", NBR, 1), EFI_SUCCESS);
}

static void test_disable_refused_through_mm(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(policy(f, MM_POLICY_CMD_DISABLE, 0), EFI_WRITE_PROTECTED);
	msg(f)[20] = 0;
	assert_int_equal(policy(f, MM_POLICY_CMD_IS_ENABLED, 1), EFI_SUCCESS);
	assert_int_equal(msg(f)[20], 1);
}

static void test_ready_to_boot_closes_registration(void **state)
{
	struct fixture *f = *state;
	struct mm_var_header vh = {.function = MM_VAR_FN_READY_TO_BOOT};
	memcpy(msg(f), &vh, sizeof(vh));
	assert_int_equal(request(f, &mm_variable_guid, sizeof(vh)), SVSM_SUCCESS);
	assert_int_equal(register_policy(f, "Late", 8, VARIABLE_POLICY_TYPE_LOCK_NOW),
	                 EFI_WRITE_PROTECTED);
	assert_int_equal(policy(f, MM_POLICY_CMD_LOCK, 0), EFI_SUCCESS);
	assert_int_equal(policy(f, MM_POLICY_CMD_LOCK, 0), EFI_WRITE_PROTECTED);
}

static void test_bad_policy_header_through_mm(void **state)
{
	struct fixture *f = *state;
	struct mm_policy_header h = {
	    .signature = 0x12345678, .revision = MM_POLICY_REVISION, .command = MM_POLICY_CMD_LOCK};
	efi_status st;
	memcpy(msg(f), &h, sizeof(h));
	assert_int_equal(request(f, &mm_var_policy_guid, sizeof(h)), SVSM_SUCCESS);
	memcpy(&st, msg(f) + offsetof(struct mm_policy_header, result), sizeof(st));
	assert_int_equal(st, EFI_INVALID_PARAMETER);
	/* MessageLength past the buffer: not an MM buffer at all. */
	assert_int_equal(request(f, &mm_var_policy_guid, MM_BUFFER_EDK2),
	                 SVSM_ERR_INVALID_PARAMETER);
	/* The interface is still open. */
	assert_int_equal(register_policy(f, "Still", 8, VARIABLE_POLICY_TYPE_NO_LOCK), EFI_SUCCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	    T(test_lock_variable_through_mm),     T(test_policy_register_and_enforce_through_mm),
	    T(test_disable_refused_through_mm),   T(test_ready_to_boot_closes_registration),
	    T(test_bad_policy_header_through_mm),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
