/*
 * The policy MM message (apps/uefivars/policy_mm.c, policy_entry.c): every
 * command as raw bytes through policy_mm_handle: framing, DISABLE,
 * IS_ENABLED, LOCK, REGISTER (good and each malformed shape, wildcard
 * limit, duplicates, a full table) and the paged DUMP.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy_fixture.h"

/* ---- framing ---- */

static void test_truncated_header_untouched(void **state)
{
	struct fixture *f = *state;
	size_t out = 99;
	memset(f->msg, 0xee, 64);
	policy_mm_handle(&f->uv, f->msg, 19, MSG_CAP, &out);
	assert_int_equal(out, 19);
	for (int i = 0; i < 64; i++)
		assert_int_equal(f->msg[i], 0xee);
	policy_mm_handle(&f->uv, f->msg, 0, MSG_CAP, &out);
	assert_int_equal(out, 0);
}

static void test_bad_signature_and_revision(void **state)
{
	struct fixture *f = *state;
	size_t out;
	put_header(f->msg, 0x43504357, MM_POLICY_REVISION, MM_POLICY_CMD_LOCK);
	policy_mm_handle(&f->uv, f->msg, 20, MSG_CAP, &out);
	assert_int_equal(policy_result(f->msg), EFI_INVALID_PARAMETER);
	put_header(f->msg, MM_POLICY_SIGNATURE, 2, MM_POLICY_CMD_LOCK);
	policy_mm_handle(&f->uv, f->msg, 20, MSG_CAP, &out);
	assert_int_equal(policy_result(f->msg), EFI_INVALID_PARAMETER);
	/* Neither locked the interface. */
	struct pol p = {.ns = &ns_a, .name = "Foo"};
	assert_int_equal(reg(f, &p), EFI_SUCCESS);
}

static void test_unknown_command(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(send_cmd(f, 0, 20), EFI_UNSUPPORTED);
	assert_int_equal(send_cmd(f, 8, 64), EFI_UNSUPPORTED);
	assert_int_equal(send_cmd(f, 0xffffffffu, 20), EFI_UNSUPPORTED);
}

static void test_len_beyond_cap_is_clamped(void **state)
{
	struct fixture *f = *state;
	size_t out;
	put_header(f->msg, MM_POLICY_SIGNATURE, MM_POLICY_REVISION, MM_POLICY_CMD_IS_ENABLED);
	policy_mm_handle(&f->uv, f->msg, 100, 20, &out);
	assert_int_equal(out, 20);
	assert_int_equal(policy_result(f->msg), EFI_INVALID_PARAMETER); /* no room for State */
}

/* ---- DISABLE, IS_ENABLED, LOCK ---- */

static void test_disable_refused_is_enabled_true(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(send_cmd(f, MM_POLICY_CMD_DISABLE, 20), EFI_WRITE_PROTECTED);
	f->msg[20] = 0;
	assert_int_equal(send_cmd(f, MM_POLICY_CMD_IS_ENABLED, 21), EFI_SUCCESS);
	assert_int_equal(f->msg[20], 1);
	assert_int_equal(send_cmd(f, MM_POLICY_CMD_IS_ENABLED, 20), EFI_INVALID_PARAMETER);
	/* Still enforced after the refused DISABLE. */
	struct pol p = {.ns = &ns_a, .name = "Locked", .lock = VARIABLE_POLICY_TYPE_LOCK_NOW};
	assert_int_equal(reg(f, &p), EFI_SUCCESS);
	f->uv.phase = UV_PHASE_END_OF_DXE;
	assert_int_equal(check_set(f, &ns_a, "Locked", RW, 4), EFI_WRITE_PROTECTED);
}

static void test_lock_then_register_refused(void **state)
{
	struct fixture *f = *state;
	struct pol p = {.ns = &ns_a, .name = "Foo"};
	assert_int_equal(send_cmd(f, MM_POLICY_CMD_LOCK, 20), EFI_SUCCESS);
	assert_int_equal(reg(f, &p), EFI_WRITE_PROTECTED);
	assert_int_equal(send_cmd(f, MM_POLICY_CMD_LOCK, 20), EFI_WRITE_PROTECTED);
	assert_int_equal(send_cmd(f, MM_POLICY_CMD_DISABLE, 20), EFI_WRITE_PROTECTED);
	assert_int_equal(lock_var(f, &ns_a, "Foo"), EFI_WRITE_PROTECTED);
}

static void test_ready_to_boot_locks_interface(void **state)
{
	struct fixture *f = *state;
	struct pol p = {.ns = &ns_a, .name = "Foo"};
	f->uv.phase = UV_PHASE_READY_TO_BOOT;
	assert_int_equal(reg(f, &p), EFI_WRITE_PROTECTED);
	/* The firmware's own LOCK at ReadyToBoot still succeeds once. */
	assert_int_equal(send_cmd(f, MM_POLICY_CMD_LOCK, 20), EFI_SUCCESS);
	assert_int_equal(send_cmd(f, MM_POLICY_CMD_LOCK, 20), EFI_WRITE_PROTECTED);
}

/* ---- REGISTER: malformed entries ---- */

static void test_register_good_kinds(void **state)
{
	struct fixture *f = *state;
	struct pol exact = {.ns = &ns_a, .name = "Foo"};
	struct pol wild = {.ns = &ns_a, .name = "Boot####"};
	struct pol wide = {.ns = &ns_b};
	struct pol st = {.ns = &ns_a,
	                 .name = "Bar",
	                 .lock = VARIABLE_POLICY_TYPE_LOCK_ON_VAR_STATE,
	                 .state_ns = &ns_b,
	                 .state_name = "State",
	                 .state_value = 1};
	struct pol st_wide = {.ns = &ns_b,
	                      .lock = VARIABLE_POLICY_TYPE_LOCK_ON_VAR_STATE,
	                      .state_ns = &ns_b,
	                      .state_name = "S",
	                      .state_value = 1};
	assert_int_equal(reg(f, &exact), EFI_SUCCESS);
	assert_int_equal(reg(f, &wild), EFI_SUCCESS);
	assert_int_equal(reg(f, &wide), EFI_SUCCESS);
	assert_int_equal(reg(f, &st), EFI_SUCCESS);
	/* A namespace-wide LOCK_ON_VAR_STATE for a namespace already covered: duplicate. */
	assert_int_equal(reg(f, &st_wide), EFI_ALREADY_STARTED);
}

/* Register the entry in f->msg+20 of `size` bytes, in a message of `len`. */
static efi_status reg_raw(struct fixture *f, size_t len)
{
	return send_cmd(f, MM_POLICY_CMD_REGISTER, len);
}

static void set16(uint8_t *p, size_t off, uint16_t v)
{
	memcpy(p + off, &v, 2);
}

static void set32(uint8_t *p, size_t off, uint32_t v)
{
	memcpy(p + off, &v, 4);
}

static void test_register_malformed(void **state)
{
	struct fixture *f = *state;
	struct pol p = {.ns = &ns_a, .name = "Foo"}; /* 44 + 8 = 52 bytes */
	uint8_t *e = f->msg + 20;
	size_t n;

	/* Message too short for an entry header, or for the entry's Size. */
	n = build_entry(e, &p);
	assert_int_equal(reg_raw(f, 20 + 43), EFI_INVALID_PARAMETER);
	n = build_entry(e, &p);
	assert_int_equal(reg_raw(f, 20 + n - 1), EFI_INVALID_PARAMETER);
	/* Wrong version. */
	n = build_entry(e, &p);
	set32(e, 0, 0x00020000);
	assert_int_equal(reg_raw(f, 20 + n), EFI_INVALID_PARAMETER);
	/* Size below the structure. */
	n = build_entry(e, &p);
	set16(e, 4, 43);
	assert_int_equal(reg_raw(f, 20 + n), EFI_INVALID_PARAMETER);
	/* MaxSize 0. */
	n = build_entry(e, &p);
	set32(e, 28, 0);
	assert_int_equal(reg_raw(f, 20 + n), EFI_INVALID_PARAMETER);
	/* Unknown lock type. */
	n = build_entry(e, &p);
	e[40] = 4;
	assert_int_equal(reg_raw(f, 20 + n), EFI_INVALID_PARAMETER);
	/* OffsetToName past Size, and not at the end of the structure. */
	n = build_entry(e, &p);
	set16(e, 6, (uint16_t)(n + 2));
	assert_int_equal(reg_raw(f, 20 + n + 8), EFI_INVALID_PARAMETER);
	n = build_entry(e, &p);
	set16(e, 6, 46);
	assert_int_equal(reg_raw(f, 20 + n), EFI_INVALID_PARAMETER);
	/* Name without its NUL: the last character overwritten. */
	n = build_entry(e, &p);
	set16(e, n - 2, 'x');
	assert_int_equal(reg_raw(f, 20 + n + 2), EFI_INVALID_PARAMETER);
	/* NUL before the end (trailing bytes after the name). */
	n = build_entry(e, &p);
	set16(e, 4, (uint16_t)(n + 2));
	set16(e, n, 'y');
	assert_int_equal(reg_raw(f, 20 + n + 2), EFI_INVALID_PARAMETER);
	/* Odd Size: the name cannot end on a whole character at Size. */
	n = build_entry(e, &p);
	set16(e, 4, (uint16_t)(n + 1));
	assert_int_equal(reg_raw(f, 20 + n + 1), EFI_INVALID_PARAMETER);
	/* None of these registered anything: the good one still goes in. */
	n = build_entry(e, &p);
	assert_int_equal(reg_raw(f, 20 + n), EFI_SUCCESS);
}

static void test_register_malformed_var_state(void **state)
{
	struct fixture *f = *state;
	struct pol p = {.ns = &ns_a,
	                .name = "Bar",
	                .lock = VARIABLE_POLICY_TYPE_LOCK_ON_VAR_STATE,
	                .state_ns = &ns_b,
	                .state_name = "St",
	                .state_value = 1};
	uint8_t *e = f->msg + 20;
	size_t n;

	/* Lock structure but no room for its name. */
	n = build_entry(e, &p);
	set16(e, 4, 62);
	set16(e, 6, 62);
	assert_int_equal(reg_raw(f, 20 + n), EFI_INVALID_PARAMETER);
	/* State name runs to the end without a NUL (OffsetToName at Size). */
	n = build_entry(e, &p); /* 44 + 18 + 6 + 8 */
	set16(e, 62 + 4, 'x');
	set16(e, 4, 68);
	set16(e, 6, 68);
	assert_int_equal(reg_raw(f, 20 + n), EFI_INVALID_PARAMETER);
	/* OffsetToName does not follow the state name. */
	n = build_entry(e, &p);
	set16(e, 6, 70);
	assert_int_equal(reg_raw(f, 20 + n), EFI_INVALID_PARAMETER);
	/* A LOCK_ON_VAR_STATE-shaped entry with another lock type. */
	n = build_entry(e, &p);
	e[40] = VARIABLE_POLICY_TYPE_LOCK_NOW;
	assert_int_equal(reg_raw(f, 20 + n), EFI_INVALID_PARAMETER);
	n = build_entry(e, &p);
	assert_int_equal(reg_raw(f, 20 + n), EFI_SUCCESS);
}

static void test_register_wildcard_limit(void **state)
{
	struct fixture *f = *state;
	char name[300];
	memset(name, '#', 256);
	name[256] = 0;
	struct pol p = {.ns = &ns_a, .name = name};
	assert_int_equal(reg(f, &p), EFI_INVALID_PARAMETER);
	name[255] = 0;
	assert_int_equal(reg(f, &p), EFI_SUCCESS);
}

static void test_register_duplicates(void **state)
{
	struct fixture *f = *state;
	struct pol a = {.ns = &ns_a, .name = "Foo"};
	struct pol a2 = {.ns = &ns_a, .name = "Foo", .lock = VARIABLE_POLICY_TYPE_LOCK_NOW};
	struct pol b = {.ns = &ns_b, .name = "Foo"};
	struct pol w = {.ns = &ns_a, .name = "Boot####"};
	struct pol w1 = {.ns = &ns_a, .name = "Boot0001"};
	struct pol wide = {.ns = &ns_a};
	assert_int_equal(reg(f, &a), EFI_SUCCESS);
	assert_int_equal(reg(f, &a2), EFI_ALREADY_STARTED);
	assert_int_equal(reg(f, &b), EFI_SUCCESS);
	assert_int_equal(reg(f, &w), EFI_SUCCESS);
	assert_int_equal(reg(f, &w), EFI_ALREADY_STARTED);
	assert_int_equal(reg(f, &w1), EFI_SUCCESS); /* covered by a wildcard, not a duplicate */
	assert_int_equal(reg(f, &wide), EFI_SUCCESS);
	assert_int_equal(reg(f, &wide), EFI_ALREADY_STARTED);
}

static void test_register_table_full(void **state)
{
	struct fixture *f = *state;
	char name[32];
	efi_status st = EFI_SUCCESS;
	int i;
	for (i = 0; i < 10000 && st == EFI_SUCCESS; i++) {
		snprintf(name, sizeof(name), "Var%06d", i);
		struct pol p = {.ns = &ns_a, .name = name};
		st = reg(f, &p);
	}
	assert_int_equal(st, EFI_OUT_OF_RESOURCES);
	assert_true(i > 1000); /* 128 KiB of 64-byte entries */
}

static void test_dump_empty_and_short(void **state)
{
	struct fixture *f = *state;
	struct dump_reply r;
	assert_int_equal(dump_page(f, 0, &r, NULL), EFI_SUCCESS);
	assert_int_equal(r.total, 0);
	assert_int_equal(r.has_more, 0);
	assert_int_equal(send_cmd(f, MM_POLICY_CMD_DUMP, 20 + 13 + MM_POLICY_DUMP_PAGE_SIZE - 1),
	                 EFI_INVALID_PARAMETER);
	/* Page 1 without a page 0 first. */
	assert_int_equal(dump_page(f, 1, &r, NULL), EFI_TIMEOUT);
}

static void test_dump_paging(void **state)
{
	struct fixture *f = *state;
	static uint8_t expect[64 * 1024], got[64 * 1024];
	size_t used = 0;
	char name[32];
	struct dump_reply r;

	for (int i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "Policy%04d", i);
		struct pol p = {.ns = &ns_a, .name = name, .min = (uint32_t)i};
		used += build_entry(expect + used, &p);
		assert_int_equal(reg(f, &p), EFI_SUCCESS);
	}
	assert_true(used > MM_POLICY_DUMP_PAGE_SIZE * 2);
	assert_int_equal(dump_page(f, 0, &r, NULL), EFI_SUCCESS);
	assert_int_equal(r.total, used);
	assert_int_equal(r.has_more, 1);
	size_t at = 0;
	for (uint32_t page = 1; page <= 3; page++) {
		assert_int_equal(dump_page(f, page, &r, got + at), EFI_SUCCESS);
		assert_int_equal(r.total, used);
		at += r.page_size;
		assert_int_equal(r.has_more, page < 3);
	}
	assert_int_equal(at, used);
	assert_memory_equal(got, expect, used);
	/* The last page ended the dump. */
	assert_int_equal(dump_page(f, 1, &r, NULL), EFI_TIMEOUT);
	/* Past the last page. */
	assert_int_equal(dump_page(f, 0, &r, NULL), EFI_SUCCESS);
	assert_int_equal(dump_page(f, 4, &r, NULL), EFI_INVALID_PARAMETER);
	/* Another command ends a dump under way. */
	assert_int_equal(dump_page(f, 1, &r, NULL), EFI_SUCCESS);
	f->msg[20] = 0;
	assert_int_equal(send_cmd(f, MM_POLICY_CMD_IS_ENABLED, 21), EFI_SUCCESS);
	assert_int_equal(dump_page(f, 2, &r, NULL), EFI_TIMEOUT);
}

/* ---- GET_INFO, GET_LOCK_VAR_STATE_INFO ---- */

#define GI_LEN (20 + sizeof(struct mm_policy_get_info) + MM_POLICY_GET_INFO_NAMES_SIZE)

/* A GET_INFO-shaped request for g:name with `room` bytes for the output name; the Result. */
static efi_status get_info(struct fixture *f, uint32_t cmd, const efi_guid *g, const char *name,
                           uint32_t room, struct mm_policy_get_info *out)
{
	uint16_t n[64];
	struct mm_policy_get_info gi = {.vendor = *g, .out_name_size = room};
	memset(f->msg, 0xcc, GI_LEN);
	gi.in_name_size = (uint32_t)ucs2(n, name);
	memcpy(f->msg + 20, &gi, sizeof(gi));
	memcpy(f->msg + 20 + sizeof(gi), n, gi.in_name_size);
	efi_status st = send_cmd(f, cmd, GI_LEN);
	memcpy(out, f->msg + 20, sizeof(*out));
	return st;
}

static const uint8_t *gi_out_name(struct fixture *f, const struct mm_policy_get_info *gi)
{
	return f->msg + 20 + sizeof(*gi) + gi->in_name_size;
}

static void test_get_info(void **state)
{
	struct fixture *f = *state;
	struct pol wild = {.ns = &ns_a, .name = "Boot####", .max = 10};
	struct pol wide = {.ns = &ns_b, .max = 20};
	struct mm_policy_get_info gi;
	uint16_t want[16];
	size_t want_size = ucs2(want, "Boot####");
	assert_int_equal(reg(f, &wild), EFI_SUCCESS);
	assert_int_equal(reg(f, &wide), EFI_SUCCESS);
	/* The wildcard entry applies to Boot00A1: its header and its name come back. */
	assert_int_equal(get_info(f, MM_POLICY_CMD_GET_INFO, &ns_a, "Boot00A1", 64, &gi),
	                 EFI_SUCCESS);
	assert_int_equal(gi.out_name_size, want_size);
	assert_memory_equal(gi_out_name(f, &gi), want, want_size);
	struct variable_policy_entry h;
	memcpy(&h, gi.out_entry, sizeof(h));
	assert_int_equal(h.max_size, 10);
	assert_int_equal(h.size, 44 + want_size);
	/* Too little room: BUFFER_TOO_SMALL with the size needed. */
	assert_int_equal(get_info(f, MM_POLICY_CMD_GET_INFO, &ns_a, "Boot00A1", 4, &gi),
	                 EFI_BUFFER_TOO_SMALL);
	assert_int_equal(gi.out_name_size, want_size);
	/* Namespace-wide: no name, size 0, the output area zeroed. */
	assert_int_equal(get_info(f, MM_POLICY_CMD_GET_INFO, &ns_b, "Any", 64, &gi), EFI_SUCCESS);
	assert_int_equal(gi.out_name_size, 0);
	assert_int_equal(gi_out_name(f, &gi)[0], 0);
	/* Nothing applies. */
	assert_int_equal(get_info(f, MM_POLICY_CMD_GET_INFO, &ns_a, "Other", 64, &gi),
	                 EFI_NOT_FOUND);
	uint8_t zero[44] = {0};
	assert_memory_equal(gi.out_entry, zero, sizeof(zero));
	/* Not a LOCK_ON_VAR_STATE policy. */
	assert_int_equal(
	    get_info(f, MM_POLICY_CMD_GET_LOCK_VAR_STATE_INFO, &ns_a, "Boot00A1", 64, &gi),
	    EFI_NOT_FOUND);
}

static void test_get_lock_var_state_info(void **state)
{
	struct fixture *f = *state;
	struct pol p = {.ns = &ns_a,
	                .name = "Guarded",
	                .lock = VARIABLE_POLICY_TYPE_LOCK_ON_VAR_STATE,
	                .state_ns = &ns_b,
	                .state_name = "Switch",
	                .state_value = 7};
	struct mm_policy_get_info gi;
	uint16_t want[16];
	size_t want_size = ucs2(want, "Switch");
	assert_int_equal(reg(f, &p), EFI_SUCCESS);
	assert_int_equal(
	    get_info(f, MM_POLICY_CMD_GET_LOCK_VAR_STATE_INFO, &ns_a, "Guarded", 64, &gi),
	    EFI_SUCCESS);
	struct variable_lock_on_var_state_policy st;
	memcpy(&st, gi.out_entry, sizeof(st));
	assert_memory_equal(&st.ns, &ns_b, sizeof(ns_b));
	assert_int_equal(st.value, 7);
	assert_int_equal(gi.out_name_size, want_size);
	assert_memory_equal(gi_out_name(f, &gi), want, want_size);
	assert_int_equal(
	    get_info(f, MM_POLICY_CMD_GET_LOCK_VAR_STATE_INFO, &ns_a, "Guarded", 0, &gi),
	    EFI_BUFFER_TOO_SMALL);
	assert_int_equal(gi.out_name_size, want_size);
}

static void test_get_info_malformed(void **state)
{
	struct fixture *f = *state;
	struct mm_policy_get_info gi = {.vendor = ns_a, .in_name_size = 4, .out_name_size = 64};
	/* One byte short of the names area. */
	memcpy(f->msg + 20, &gi, sizeof(gi));
	assert_int_equal(send_cmd(f, MM_POLICY_CMD_GET_INFO, GI_LEN - 1), EFI_INVALID_PARAMETER);
	/* An input name without its NUL, an empty size, a size past the names area. */
	memset(f->msg + 20 + sizeof(gi), 'A', 64);
	memcpy(f->msg + 20, &gi, sizeof(gi));
	assert_int_equal(send_cmd(f, MM_POLICY_CMD_GET_INFO, GI_LEN), EFI_INVALID_PARAMETER);
	gi.in_name_size = 0;
	memcpy(f->msg + 20, &gi, sizeof(gi));
	assert_int_equal(send_cmd(f, MM_POLICY_CMD_GET_INFO, GI_LEN), EFI_INVALID_PARAMETER);
	gi.in_name_size = MM_POLICY_GET_INFO_NAMES_SIZE + 2;
	memcpy(f->msg + 20, &gi, sizeof(gi));
	assert_int_equal(send_cmd(f, MM_POLICY_CMD_GET_LOCK_VAR_STATE_INFO, GI_LEN),
	                 EFI_INVALID_PARAMETER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, policy_setup, policy_teardown)
	    T(test_truncated_header_untouched),
	    T(test_bad_signature_and_revision),
	    T(test_unknown_command),
	    T(test_len_beyond_cap_is_clamped),
	    T(test_disable_refused_is_enabled_true),
	    T(test_lock_then_register_refused),
	    T(test_ready_to_boot_locks_interface),
	    T(test_register_good_kinds),
	    T(test_register_malformed),
	    T(test_register_malformed_var_state),
	    T(test_register_wildcard_limit),
	    T(test_register_duplicates),
	    T(test_register_table_full),
	    T(test_dump_empty_and_short),
	    T(test_dump_paging),
	    T(test_get_info),
	    T(test_get_lock_var_state_info),
	    T(test_get_info_malformed),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
