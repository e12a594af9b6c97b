/*
 * uefivars core through its MM entry point (uv_mm_request), memory only
 * (store = KEEL_HANDLE_NONE): the header, every variable function and its
 * status codes, malformed buffers, attribute and phase rules, append,
 * delete, quota, GetNextVariableName iteration.
 */
#include <stdlib.h>

#include "mm_helpers.h"

struct uefivars uv;
uint8_t buf[MM_BUFFER_EDK2];

static int setup(void **state)
{
	(void)state;
	return uv_init(&uv, KEEL_HANDLE_NONE, NULL, 0) == EFI_SUCCESS ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	uv_fini(&uv);
	return 0;
}

static void test_header(void **state)
{
	(void)state;
	uint64_t rc = 0;
	memset(buf, 0, sizeof(buf));
	assert_int_equal(uv_mm_request(&uv, buf, 23, &rc), 0);
	assert_int_equal(rc, SVSM_ERR_INVALID_PARAMETER);
	/* MessageLength one past the end, and one that would overflow len - 24 + 24 */
	uint64_t lens[] = {sizeof(buf) - 24 + 1, UINT64_MAX, UINT64_MAX - 23, 1ull << 63};
	for (size_t i = 0; i < 4; i++) {
		rc = 0;
		assert_int_equal(mm_call(&mm_variable_guid, lens[i], &rc), 0);
		assert_int_equal(rc, SVSM_ERR_INVALID_PARAMETER);
	}
	/* exactly the buffer: fine */
	assert_int_equal(mm_call(&mm_end_of_dxe_guid, sizeof(buf) - 24, &rc), sizeof(buf));
	assert_int_equal(rc, SVSM_SUCCESS);
	/* larger than the transport allows */
	static uint8_t big[MM_BUFFER_MAX + 8];
	assert_int_equal(uv_mm_request(&uv, big, sizeof(big), &rc), 0);
	assert_int_equal(rc, SVSM_ERR_INVALID_PARAMETER);
	/* a 24-byte buffer with MessageLength 0 */
	memset(buf, 0, 24);
	memcpy(buf, &mm_variable_guid, 16);
	assert_int_equal(uv_mm_request(&uv, buf, 24, &rc), 24);
	assert_int_equal(rc, SVSM_SUCCESS);
}

static void test_unknown_guid_and_functions(void **state)
{
	(void)state;
	uint64_t rc;
	efi_guid g = EFI_GUID_INIT(0xdeadbeef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(mm_call(&g, 16, &rc), 24 + 16);
	assert_int_equal(rc, SVSM_SUCCESS);
	assert_int_equal(status_at(32), EFI_UNSUPPORTED);
	/* too short for a status: left alone */
	memset(buf, 0x77, sizeof(buf));
	assert_int_equal(mm_call(&g, 8, &rc), 24 + 8);
	assert_int_equal(buf[24], 0x77);
	uint64_t fns[] = {0, 7, 9, 10, 12, 13, 14, 15, 99, UINT64_MAX};
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		memset(buf, 0, sizeof(buf));
		assert_int_equal(var_call(fns[i], 64), EFI_UNSUPPORTED);
	}
	/* a variable message too short for its own header: no status written */
	memset(buf, 0x77, sizeof(buf));
	assert_int_equal(mm_call(&mm_variable_guid, 15, &rc), 24 + 15);
	assert_int_equal(rc, SVSM_SUCCESS);
	assert_int_equal(buf[24 + 8], 0x77);
	/* keel varadmin: unknown function */
	memset(buf, 0, sizeof(buf));
	uint64_t fn = 77;
	memcpy(buf + 24, &fn, 8);
	mm_call(&keel_varadmin_guid, 16, &rc);
	assert_int_equal(status_at(32), EFI_UNSUPPORTED);
}

static void test_set_get(void **state)
{
	(void)state;
	uint8_t d[300], out[300];
	size_t size;
	uint32_t attrs;
	for (size_t i = 0; i < sizeof(d); i++)
		d[i] = (uint8_t)(i * 7);
	assert_int_equal(set_var("Foo", NBR, d, sizeof(d)), EFI_SUCCESS);
	assert_int_equal(get_var("Foo", out, sizeof(out), &size, &attrs), EFI_SUCCESS);
	assert_int_equal(size, sizeof(d));
	assert_int_equal(attrs, NBR);
	assert_memory_equal(out, d, sizeof(d));
	/* too small: the needed size and the attributes come back */
	assert_int_equal(get_var("Foo", NULL, 10, &size, &attrs), EFI_BUFFER_TOO_SMALL);
	assert_int_equal(size, sizeof(d));
	assert_int_equal(attrs, NBR);
	assert_int_equal(get_var("Foo", NULL, 0, &size, NULL), EFI_BUFFER_TOO_SMALL);
	/* replace */
	assert_int_equal(set_var("Foo", NBR, "xy", 2), EFI_SUCCESS);
	assert_int_equal(get_var("Foo", out, sizeof(out), &size, NULL), EFI_SUCCESS);
	assert_int_equal(size, 2);
	assert_memory_equal(out, "xy", 2);
	/* other names and GUIDs are other variables */
	assert_int_equal(get_var("Fo", NULL, 100, NULL, NULL), EFI_NOT_FOUND);
	assert_int_equal(get_var("Foo2", NULL, 100, NULL, NULL), EFI_NOT_FOUND);
	assert_int_equal(get_var("", NULL, 100, NULL, NULL), EFI_NOT_FOUND);
	memset(buf, 0, sizeof(buf));
	put_access(&efi_global_variable_guid, "Foo", 0, NULL, 100);
	assert_int_equal(var_call(MM_VAR_FN_GET_VARIABLE, 36 + 8 + 100), EFI_NOT_FOUND);
	/* volatile variable */
	assert_int_equal(set_var("Vol", BS, "v", 1), EFI_SUCCESS);
	assert_int_equal(get_var("Vol", out, 10, &size, &attrs), EFI_SUCCESS);
	assert_int_equal(attrs, BS);
}

static void test_malformed(void **state)
{
	(void)state;
	uint64_t v;
	/* payload shorter than the access structure */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(var_call(MM_VAR_FN_GET_VARIABLE, 35), EFI_ACCESS_DENIED);
	assert_int_equal(var_call(MM_VAR_FN_SET_VARIABLE, 0), EFI_ACCESS_DENIED);
	assert_int_equal(var_call(MM_VAR_FN_GET_NEXT_VARIABLE_NAME, 23), EFI_ACCESS_DENIED);
	assert_int_equal(var_call(MM_VAR_FN_LOCK_VARIABLE, 10), EFI_ACCESS_DENIED);
	assert_int_equal(var_call(MM_VAR_FN_GET_PAYLOAD_SIZE, 7), EFI_ACCESS_DENIED);
	assert_int_equal(var_call(MM_VAR_FN_QUERY_VARIABLE_INFO, 27), EFI_INVALID_PARAMETER);
	/* DataSize past the message, and huge (overflow) */
	size_t len = put_access(&test_guid, "Foo", NBR, "abcd", 4);
	uint64_t bad[] = {5, 1000, UINT64_MAX, UINT64_MAX - 40};
	for (size_t i = 0; i < 4; i++) {
		memcpy(buf + 40 + 16, &bad[i], 8);
		assert_int_equal(var_call(MM_VAR_FN_SET_VARIABLE, len), EFI_ACCESS_DENIED);
		assert_int_equal(var_call(MM_VAR_FN_GET_VARIABLE, len), EFI_ACCESS_DENIED);
	}
	/* NameSize past the message, and huge */
	uint64_t bad_ns[] = {14, 1000, UINT64_MAX, UINT64_MAX - 1};
	for (size_t i = 0; i < 4; i++) {
		len = put_access(&test_guid, "Foo", NBR, "abcd", 4);
		v = bad_ns[i];
		memcpy(buf + 40 + 24, &v, 8);
		assert_int_equal(var_call(MM_VAR_FN_SET_VARIABLE, len), EFI_ACCESS_DENIED);
	}
	/* odd name size, zero, missing NUL, NUL in the middle */
	len = put_access(&test_guid, "Foo", NBR, "abcd", 4);
	v = 7;
	memcpy(buf + 40 + 24, &v, 8);
	assert_int_equal(var_call(MM_VAR_FN_SET_VARIABLE, len), EFI_INVALID_PARAMETER);
	assert_int_equal(var_call(MM_VAR_FN_GET_VARIABLE, len), EFI_INVALID_PARAMETER);
	/* edk2's own check (the last character must be a NUL): EFI_ACCESS_DENIED, as edk2 */
	v = 0;
	memcpy(buf + 40 + 24, &v, 8);
	assert_int_equal(var_call(MM_VAR_FN_SET_VARIABLE, len), EFI_ACCESS_DENIED);
	v = 6; /* "Foo" without its NUL */
	memcpy(buf + 40 + 24, &v, 8);
	assert_int_equal(var_call(MM_VAR_FN_SET_VARIABLE, len), EFI_ACCESS_DENIED);
	assert_int_equal(var_call(MM_VAR_FN_GET_VARIABLE, len), EFI_ACCESS_DENIED);
	len = put_access(&test_guid, "Foo", NBR, "abcd", 4);
	buf[40 + 36 + 2] = 0; /* "F\0o\0" */
	assert_int_equal(var_call(MM_VAR_FN_SET_VARIABLE, len), EFI_INVALID_PARAMETER);
	/* nothing was stored by any of these */
	assert_int_equal(get_var("Foo", NULL, 10, NULL, NULL), EFI_NOT_FOUND);
	assert_int_equal(test_var_count(), 0);
	/* GetNext: odd capacity, capacity past the end, no NUL in the capacity */
	memset(buf, 0, sizeof(buf));
	v = 5;
	memcpy(buf + 40 + 16, &v, 8);
	assert_int_equal(var_call(MM_VAR_FN_GET_NEXT_VARIABLE_NAME, 24 + 6), EFI_INVALID_PARAMETER);
	v = 100;
	memcpy(buf + 40 + 16, &v, 8);
	assert_int_equal(var_call(MM_VAR_FN_GET_NEXT_VARIABLE_NAME, 24 + 98), EFI_ACCESS_DENIED);
	v = UINT64_MAX;
	memcpy(buf + 40 + 16, &v, 8);
	assert_int_equal(var_call(MM_VAR_FN_GET_NEXT_VARIABLE_NAME, 24 + 98), EFI_ACCESS_DENIED);
	v = 4;
	memcpy(buf + 40 + 16, &v, 8);
	buf[40 + 24] = 'A';
	buf[40 + 26] = 'B';
	assert_int_equal(var_call(MM_VAR_FN_GET_NEXT_VARIABLE_NAME, 24 + 4), EFI_INVALID_PARAMETER);
	/* LockVariable: odd name */
	memset(buf, 0, sizeof(buf));
	v = 3;
	memcpy(buf + 40 + 16, &v, 8);
	assert_int_equal(var_call(MM_VAR_FN_LOCK_VARIABLE, 24 + 4), EFI_INVALID_PARAMETER);
}

static void test_attributes(void **state)
{
	(void)state;
	assert_int_equal(set_var("A", RT, "x", 1), EFI_INVALID_PARAMETER);
	assert_int_equal(set_var("A", NV | RT, "x", 1), EFI_INVALID_PARAMETER);
	assert_int_equal(set_var("A", NV, "x", 1), EFI_INVALID_PARAMETER);
	assert_int_equal(set_var("A", NBR | 0x80, "x", 1), EFI_INVALID_PARAMETER);
	assert_int_equal(set_var("A", NBR | 0x100, "x", 1), EFI_INVALID_PARAMETER);
	assert_int_equal(set_var("A", NBR | EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS, "x", 1),
	                 EFI_UNSUPPORTED);
	assert_int_equal(set_var("A", RT | EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS, "x", 1),
	                 EFI_UNSUPPORTED);
	assert_int_equal(set_var("A",
	                         NBR | EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS |
	                             EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS,
	                         "x", 1),
	                 EFI_UNSUPPORTED);
	/* TIME_BASED with no room for EFI_VARIABLE_AUTHENTICATION_2 */
	assert_int_equal(
	    set_var("A", NBR | EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS, "x", 1),
	    EFI_SECURITY_VIOLATION);
	uint8_t auth[64] = {0};
	uint32_t dw = 1000; /* dwLength past the data */
	memcpy(auth + 16, &dw, 4);
	assert_int_equal(
	    set_var("A", NBR | EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS, auth, 64),
	    EFI_SECURITY_VIOLATION);
	dw = 23; /* shorter than WIN_CERTIFICATE_UEFI_GUID */
	memcpy(auth + 16, &dw, 4);
	assert_int_equal(
	    set_var("A", NBR | EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS, auth, 64),
	    EFI_SECURITY_VIOLATION);
	/* empty name */
	assert_int_equal(set_var("", NBR, "x", 1), EFI_INVALID_PARAMETER);
	/* hardware error records: the right GUID and name, NV */
	memset(buf, 0, sizeof(buf));
	size_t len = put_access(&efi_hardware_error_variable_guid, "HwErrRec0001",
	                        NBR | EFI_VARIABLE_HARDWARE_ERROR_RECORD, "err", 3);
	assert_int_equal(var_call(MM_VAR_FN_SET_VARIABLE, len), EFI_SUCCESS);
	len = put_access(&efi_hardware_error_variable_guid, "HwErrRecX001",
	                 NBR | EFI_VARIABLE_HARDWARE_ERROR_RECORD, "err", 3);
	assert_int_equal(var_call(MM_VAR_FN_SET_VARIABLE, len), EFI_INVALID_PARAMETER);
	assert_int_equal(set_var("HwErrRec0002", NBR | EFI_VARIABLE_HARDWARE_ERROR_RECORD, "e", 1),
	                 EFI_INVALID_PARAMETER);
	/* replacing with other attributes; APPEND_WRITE alone differing is fine */
	assert_int_equal(set_var("B", NBR, "1", 1), EFI_SUCCESS);
	assert_int_equal(set_var("B", BS | RT, "2", 1), EFI_INVALID_PARAMETER);
	assert_int_equal(set_var("B", NV | BS, "2", 1), EFI_INVALID_PARAMETER);
	assert_int_equal(set_var("B", NBR | EFI_VARIABLE_APPEND_WRITE, "2", 1), EFI_SUCCESS);
	char out[8];
	size_t size;
	assert_int_equal(get_var("B", out, sizeof(out), &size, NULL), EFI_SUCCESS);
	assert_int_equal(size, 2);
	assert_memory_equal(out, "12", 2);
	/* the size limit: name + data <= max variable size - header (60) */
	static uint8_t big[0x8400];
	size_t max = 0x8400 - 60 - 8; /* "Big" is 8 bytes */
	assert_int_equal(set_var("Big", NBR, big, max + 1), EFI_INVALID_PARAMETER);
	assert_int_equal(set_var("Big", NBR, big, max), EFI_SUCCESS);
	/* appending past it */
	assert_int_equal(set_var("Big", NBR | EFI_VARIABLE_APPEND_WRITE, big, 1),
	                 EFI_INVALID_PARAMETER);
}

static void test_delete_append(void **state)
{
	(void)state;
	char out[16];
	size_t size;
	/* deleting what is not there */
	assert_int_equal(set_var("Gone", NBR, NULL, 0), EFI_NOT_FOUND);
	assert_int_equal(set_var("Gone", 0, NULL, 0), EFI_NOT_FOUND);
	assert_int_equal(set_var("Gone", 0, "x", 1), EFI_NOT_FOUND);
	/* append of nothing to nothing: success, nothing created */
	assert_int_equal(set_var("Gone", NBR | EFI_VARIABLE_APPEND_WRITE, NULL, 0), EFI_SUCCESS);
	assert_int_equal(get_var("Gone", NULL, 0, NULL, NULL), EFI_NOT_FOUND);
	/* append to nothing creates */
	assert_int_equal(set_var("Ap", NBR | EFI_VARIABLE_APPEND_WRITE, "ab", 2), EFI_SUCCESS);
	assert_int_equal(set_var("Ap", NBR | EFI_VARIABLE_APPEND_WRITE, "cd", 2), EFI_SUCCESS);
	assert_int_equal(set_var("Ap", NBR | EFI_VARIABLE_APPEND_WRITE, NULL, 0), EFI_SUCCESS);
	uint32_t attrs;
	assert_int_equal(get_var("Ap", out, sizeof(out), &size, &attrs), EFI_SUCCESS);
	assert_int_equal(size, 4);
	assert_int_equal(attrs, NBR); /* APPEND_WRITE is never stored */
	assert_memory_equal(out, "abcd", 4);
	/* delete by size 0, by attributes 0 */
	assert_int_equal(set_var("Ap", NBR, NULL, 0), EFI_SUCCESS);
	assert_int_equal(get_var("Ap", NULL, 0, NULL, NULL), EFI_NOT_FOUND);
	assert_int_equal(set_var("Ap", BS, "z", 1), EFI_SUCCESS);
	assert_int_equal(set_var("Ap", 0, "z", 1), EFI_SUCCESS);
	assert_int_equal(get_var("Ap", NULL, 0, NULL, NULL), EFI_NOT_FOUND);
	assert_int_equal(set_var("Ap", 0, NULL, 0), EFI_NOT_FOUND);
	/* writing the same data again */
	assert_int_equal(set_var("Same", NBR, "q", 1), EFI_SUCCESS);
	assert_int_equal(set_var("Same", NBR, "q", 1), EFI_SUCCESS);
}

static void test_get_next(void **state)
{
	(void)state;
	const char *names[] = {"Zeta", "A", "Middle", "LongerNameHere"};
	for (int i = 0; i < 4; i++)
		assert_int_equal(set_var(names[i], i == 1 ? BS : NBR, "d", 1), EFI_SUCCESS);
	/* a variable under another GUID in between */
	memset(buf, 0, sizeof(buf));
	size_t len = put_access(&test_guid2, "Other", NBR, "o", 1);
	assert_int_equal(var_call(MM_VAR_FN_SET_VARIABLE, len), EFI_SUCCESS);
	const char *order[] = {"Zeta", "A", "Middle", "LongerNameHere", "Other"};
	char name[64] = "";
	efi_guid g;
	memset(&g, 0, sizeof(g));
	uint64_t ns;
	for (int i = 0; i < 5; i++) {
		assert_int_equal(get_next_test(&g, name, sizeof(name), &ns), EFI_SUCCESS);
		assert_string_equal(name, order[i]);
		assert_int_equal(ns, (strlen(order[i]) + 1) * 2);
		assert_true(efi_guid_eq(&g, i == 4 ? &test_guid2 : &test_guid));
	}
	assert_int_equal(get_next_test(&g, name, sizeof(name), &ns), EFI_NOT_FOUND);
	/* BUFFER_TOO_SMALL: the needed size; the input is left for a retry */
	memset(&g, 0, sizeof(g));
	strcpy(name, "Middle");
	g = test_guid;
	assert_int_equal(get_next_test(&g, name, 14, &ns), EFI_BUFFER_TOO_SMALL);
	assert_int_equal(ns, sizeof("LongerNameHere") * 2);
	assert_int_equal(get_next_test(&g, name, ns, &ns), EFI_SUCCESS);
	assert_string_equal(name, "LongerNameHere");
	/* a name that is not a variable; the right name under the wrong GUID */
	strcpy(name, "Nope");
	assert_int_equal(get_next_test(&g, name, 64, &ns), EFI_INVALID_PARAMETER);
	strcpy(name, "Zeta");
	g = test_guid2;
	assert_int_equal(get_next_test(&g, name, 64, &ns), EFI_INVALID_PARAMETER);
	/* at runtime the BS-only variable is skipped, and is no valid start */
	event(&mm_exit_boot_services_guid);
	name[0] = 0;
	memset(&g, 0, sizeof(g));
	assert_int_equal(get_next_test(&g, name, 64, &ns), EFI_SUCCESS);
	assert_string_equal(name, "Zeta");
	assert_int_equal(get_next_test(&g, name, 64, &ns), EFI_SUCCESS);
	assert_string_equal(name, "Middle");
	strcpy(name, "A");
	g = test_guid;
	assert_int_equal(get_next_test(&g, name, 64, &ns), EFI_INVALID_PARAMETER);
}

static void test_phases(void **state)
{
	(void)state;
	char out[8];
	assert_int_equal(set_var("BsNv", NV | BS, "1", 1), EFI_SUCCESS);
	assert_int_equal(set_var("BsVol", BS, "1", 1), EFI_SUCCESS);
	assert_int_equal(set_var("RtVol", BS | RT, "1", 1), EFI_SUCCESS);
	assert_int_equal(set_var("RtNv", NBR, "1", 1), EFI_SUCCESS);
	/* ReadyToBoot as a function and EndOfDxe as an event: nothing changes for variables */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(var_call(MM_VAR_FN_READY_TO_BOOT, 0), EFI_SUCCESS);
	assert_int_equal(uv.phase, UV_PHASE_READY_TO_BOOT);
	event(&mm_end_of_dxe_guid); /* never goes back */
	assert_int_equal(uv.phase, UV_PHASE_READY_TO_BOOT);
	assert_int_equal(get_var("BsNv", out, 8, NULL, NULL), EFI_SUCCESS);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(var_call(MM_VAR_FN_EXIT_BOOT_SERVICE, 0), EFI_SUCCESS);
	assert_int_equal(uv.phase, UV_PHASE_RUNTIME);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(var_call(MM_VAR_FN_READY_TO_BOOT, 0), EFI_UNSUPPORTED);
	/* BS-only variables are gone for Get ... */
	assert_int_equal(get_var("BsNv", out, 8, NULL, NULL), EFI_NOT_FOUND);
	assert_int_equal(get_var("BsVol", out, 8, NULL, NULL), EFI_NOT_FOUND);
	assert_int_equal(get_var("RtVol", out, 8, NULL, NULL), EFI_SUCCESS);
	/* ... and write-protected for Set */
	assert_int_equal(set_var("BsNv", NV | BS, "2", 1), EFI_WRITE_PROTECTED);
	assert_int_equal(set_var("BsNv", 0, NULL, 0), EFI_WRITE_PROTECTED);
	/* volatile runtime variables are read-only at runtime */
	assert_int_equal(set_var("RtVol", BS | RT, "2", 1), EFI_WRITE_PROTECTED);
	assert_int_equal(set_var("RtVol", 0, NULL, 0), EFI_WRITE_PROTECTED);
	/* creating needs NV and RT */
	assert_int_equal(set_var("New", BS | RT, "1", 1), EFI_INVALID_PARAMETER);
	assert_int_equal(set_var("New", NV | BS, "1", 1), EFI_INVALID_PARAMETER);
	assert_int_equal(set_var("New", NBR, "1", 1), EFI_SUCCESS);
	/* NV+RT variables can still change and be deleted */
	assert_int_equal(set_var("RtNv", NBR, "2", 1), EFI_SUCCESS);
	assert_int_equal(set_var("RtNv", NBR | EFI_VARIABLE_APPEND_WRITE, "3", 1), EFI_SUCCESS);
	assert_int_equal(set_var("RtNv", NBR, NULL, 0), EFI_SUCCESS);
	assert_int_equal(set_var("RtNv", NBR, NULL, 0), EFI_NOT_FOUND);
	/* QueryVariableInfo needs RT at runtime */
	struct mm_var_query_info q;
	assert_int_equal(query(NV | BS, &q), EFI_INVALID_PARAMETER);
	assert_int_equal(query(NBR, &q), EFI_SUCCESS);
}

static void test_phase_events(void **state)
{
	(void)state;
	assert_int_equal(set_var("BsNv", NV | BS, "1", 1), EFI_SUCCESS);
	event(&mm_ready_to_boot_guid);
	assert_int_equal(uv.phase, UV_PHASE_READY_TO_BOOT);
	event(&mm_exit_boot_services_guid);
	assert_int_equal(uv.phase, UV_PHASE_RUNTIME);
	assert_int_equal(get_var("BsNv", NULL, 8, NULL, NULL), EFI_NOT_FOUND);
}

static void test_query_and_quota(void **state)
{
	(void)state;
	struct mm_var_query_info q;
	assert_int_equal(query(0, &q), EFI_INVALID_PARAMETER);
	assert_int_equal(query(NBR | EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS, &q), EFI_UNSUPPORTED);
	assert_int_equal(query(EFI_VARIABLE_APPEND_WRITE, &q), EFI_UNSUPPORTED);
	assert_int_equal(query(NV, &q), EFI_INVALID_PARAMETER);
	assert_int_equal(query(RT, &q), EFI_INVALID_PARAMETER);
	assert_int_equal(query(BS | EFI_VARIABLE_HARDWARE_ERROR_RECORD, &q), EFI_INVALID_PARAMETER);
	assert_int_equal(query(NBR, &q), EFI_SUCCESS);
	assert_int_equal(q.max_storage_size, uv.max_storage);
	assert_int_equal(q.remaining_storage_size, uv.max_storage);
	assert_int_equal(q.max_variable_size, 0x8400 - 60);
	assert_int_equal(query(NBR | EFI_VARIABLE_HARDWARE_ERROR_RECORD, &q), EFI_SUCCESS);
	assert_int_equal(q.max_variable_size, 0x8000 - 60);
	/* a variable costs header + padded name + padded data */
	assert_int_equal(set_var("Q", NBR, "12345", 5), EFI_SUCCESS); /* 60 + 4 + 8 */
	assert_int_equal(query(NBR, &q), EFI_SUCCESS);
	assert_int_equal(q.remaining_storage_size, uv.max_storage - 72);
	struct mm_var_query_info vol;
	assert_int_equal(query(BS, &vol), EFI_SUCCESS); /* volatile space: the service's own only */
	/* fill a small store */
	uv.max_storage = 1000;
	static uint8_t d[500];
	assert_int_equal(set_var("Fill1", NBR, d, 400), EFI_SUCCESS); /* 60+12+400 = 472 */
	assert_int_equal(set_var("Fill2", NBR, d, 400), EFI_OUT_OF_RESOURCES);
	assert_int_equal(get_var("Fill2", NULL, 0, NULL, NULL), EFI_NOT_FOUND);
	assert_int_equal(set_var("Fill1", NBR | EFI_VARIABLE_APPEND_WRITE, d, 500),
	                 EFI_OUT_OF_RESOURCES);
	assert_int_equal(set_var("Fill2", NBR, d, 300),
	                 EFI_SUCCESS); /* 372: 72 + 472 + 372 = 916 */
	assert_int_equal(query(NBR, &q), EFI_SUCCESS);
	assert_int_equal(q.remaining_storage_size, 1000 - 916);
	assert_int_equal(q.max_variable_size, 1000 - 916 - 60);
	/* volatile variables are not counted against it */
	assert_int_equal(set_var("VolBig", BS, d, 400), EFI_SUCCESS);
	assert_int_equal(query(BS, &q), EFI_SUCCESS);
	assert_int_equal(q.remaining_storage_size,
	                 vol.remaining_storage_size - 476); /* 60 + 16 + 400 */
	/* shrinking or deleting makes room */
	assert_int_equal(set_var("Fill1", NBR, NULL, 0), EFI_SUCCESS);
	assert_int_equal(set_var("Fill3", NBR, d, 400), EFI_SUCCESS);
	/* payload size as VariableSmm computes it */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(var_call(MM_VAR_FN_GET_PAYLOAD_SIZE, 8), EFI_SUCCESS);
	uint64_t ps;
	memcpy(&ps, buf + 40, 8);
	assert_int_equal(ps, 0x8400 + 48 - 60);
}

static void test_lock_variable(void **state)
{
	(void)state;
	memset(buf, 0, sizeof(buf));
	uint8_t *p = buf + 40;
	memcpy(p, &test_guid, 16);
	uint64_t ns = ucs2(p + 24, "Locked");
	memcpy(p + 16, &ns, 8);
	assert_int_equal(var_call(MM_VAR_FN_LOCK_VARIABLE, 24 + ns), EFI_SUCCESS);
	event(&mm_end_of_dxe_guid);
	memcpy(p, &test_guid, 16);
	ucs2(p + 24, "Locked");
	memcpy(p + 16, &ns, 8);
	assert_int_equal(var_call(MM_VAR_FN_LOCK_VARIABLE, 24 + ns), EFI_ACCESS_DENIED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_header, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_guid_and_functions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_set_get, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_attributes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_delete_append, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_get_next, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_phases, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_phase_events, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_query_and_quota, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_lock_variable, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
