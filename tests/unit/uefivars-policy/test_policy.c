/*
 * Variable policy (apps/uefivars/policy*.c): the MM commands as raw
 * bytes through policy_mm_handle, edk2's ValidateSetVariable rules
 * through policy_check_set, LockVariable around EndOfDxe. The store is
 * core's, memory only (uv_init with KEEL_HANDLE_NONE); variables the
 * rules look at are put there with uv_apply.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mm_wire.h"
#include "policy.h"
#include "policy_wire.h"

static const efi_guid ns_a =
    EFI_GUID_INIT(0x11111111, 0x2222, 0x3333, 0x44, 0x44, 1, 2, 3, 4, 5, 6);
static const efi_guid ns_b =
    EFI_GUID_INIT(0xaaaaaaaa, 0xbbbb, 0xcccc, 0xdd, 0xdd, 1, 2, 3, 4, 5, 6);

#define MSG_CAP (64u * 1024u)
#define RW EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS
#define BS EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS

struct fixture {
	struct uefivars uv;
	uint8_t msg[MSG_CAP];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(uv_init(&f->uv, KEEL_HANDLE_NONE, NULL, 0), EFI_SUCCESS);
	assert_non_null(f->uv.policy);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	uv_fini(&f->uv);
	free(f);
	return 0;
}

/* ASCII → UCS-2 with the NUL; returns the size in bytes. */
static size_t ucs2(uint16_t *out, const char *s)
{
	size_t n = 0;
	while (s[n] != 0) {
		out[n] = (uint8_t)s[n];
		n++;
	}
	out[n] = 0;
	return (n + 1) * 2;
}

struct pol {
	const efi_guid *ns;
	const char *name; /* NULL: namespace-wide */
	uint32_t min, max, must, cant;
	uint8_t lock;
	const efi_guid *state_ns;
	const char *state_name;
	uint8_t state_value;
};

/* A well-formed VARIABLE_POLICY_ENTRY at out; its size. */
static size_t build_entry(uint8_t *out, const struct pol *p)
{
	struct variable_policy_entry h = {
	    .version = VARIABLE_POLICY_ENTRY_REVISION,
	    .ns = *p->ns,
	    .min_size = p->min,
	    .max_size = p->max ? p->max : VARIABLE_POLICY_NO_MAX_SIZE,
	    .attrs_must_have = p->must,
	    .attrs_cant_have = p->cant,
	    .lock_type = p->lock,
	};
	uint16_t name[300];
	size_t at = sizeof(h);

	if (p->lock == VARIABLE_POLICY_TYPE_LOCK_ON_VAR_STATE) {
		struct variable_lock_on_var_state_policy st = {.ns = *p->state_ns,
		                                               .value = p->state_value};
		memcpy(out + at, &st, sizeof(st));
		at += sizeof(st);
		size_t n = ucs2(name, p->state_name);
		memcpy(out + at, name, n);
		at += n;
	}
	h.offset_to_name = (uint16_t)at;
	if (p->name != NULL) {
		size_t n = ucs2(name, p->name);
		memcpy(out + at, name, n);
		at += n;
	}
	h.size = (uint16_t)at;
	memcpy(out, &h, sizeof(h));
	return at;
}

static void put_header(uint8_t *msg, uint32_t sig, uint32_t rev, uint32_t cmd)
{
	struct mm_policy_header h = {
	    .signature = sig, .revision = rev, .command = cmd, .result = 0x5a5a};
	memcpy(msg, &h, sizeof(h));
}

static efi_status result(const uint8_t *msg)
{
	efi_status st;
	memcpy(&st, msg + offsetof(struct mm_policy_header, result), sizeof(st));
	return st;
}

/* One command with `len` message bytes; the Result. */
static efi_status send(struct fixture *f, uint32_t cmd, size_t len)
{
	size_t out = 0;
	put_header(f->msg, MM_POLICY_SIGNATURE, MM_POLICY_REVISION, cmd);
	policy_mm_handle(&f->uv, f->msg, len, MSG_CAP, &out);
	assert_int_equal(out, len);
	return result(f->msg);
}

static efi_status reg(struct fixture *f, const struct pol *p)
{
	size_t n = build_entry(f->msg + 20, p);
	return send(f, MM_POLICY_CMD_REGISTER, 20 + n);
}

/* Create or replace a variable in the (memory-only) store, as a SetVariable that passed would. */
static void add_var(struct fixture *f, const efi_guid *g, const char *name, uint32_t attrs,
                    const void *data, size_t size)
{
	uint16_t buf[64];
	struct uv_update u = {
	    .op = UV_WRITE, .guid = *g, .name = buf, .attrs = attrs, .data = data, .size = size};
	u.name_size = ucs2(buf, name);
	assert_int_equal(uv_apply(&f->uv, &u, 1), EFI_SUCCESS);
}

static efi_status check(struct fixture *f, const efi_guid *g, const char *name, uint32_t attrs,
                        size_t size)
{
	uint16_t buf[300];
	size_t n = ucs2(buf, name);
	return policy_check_set(&f->uv, g, buf, n, attrs, size);
}

static efi_status lock_var(struct fixture *f, const efi_guid *g, const char *name)
{
	uint16_t buf[64];
	size_t n = ucs2(buf, name);
	return policy_lock_variable(&f->uv, g, buf, n);
}

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
	assert_int_equal(result(f->msg), EFI_INVALID_PARAMETER);
	put_header(f->msg, MM_POLICY_SIGNATURE, 2, MM_POLICY_CMD_LOCK);
	policy_mm_handle(&f->uv, f->msg, 20, MSG_CAP, &out);
	assert_int_equal(result(f->msg), EFI_INVALID_PARAMETER);
	/* Neither locked the interface. */
	struct pol p = {.ns = &ns_a, .name = "Foo"};
	assert_int_equal(reg(f, &p), EFI_SUCCESS);
}

static void test_unknown_command(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(send(f, 0, 20), EFI_UNSUPPORTED);
	assert_int_equal(send(f, 6, 64), EFI_UNSUPPORTED);
	assert_int_equal(send(f, 0xffffffffu, 20), EFI_UNSUPPORTED);
}

static void test_len_beyond_cap_is_clamped(void **state)
{
	struct fixture *f = *state;
	size_t out;
	put_header(f->msg, MM_POLICY_SIGNATURE, MM_POLICY_REVISION, MM_POLICY_CMD_IS_ENABLED);
	policy_mm_handle(&f->uv, f->msg, 100, 20, &out);
	assert_int_equal(out, 20);
	assert_int_equal(result(f->msg), EFI_INVALID_PARAMETER); /* no room for State */
}

/* ---- DISABLE, IS_ENABLED, LOCK ---- */

static void test_disable_refused_is_enabled_true(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(send(f, MM_POLICY_CMD_DISABLE, 20), EFI_WRITE_PROTECTED);
	f->msg[20] = 0;
	assert_int_equal(send(f, MM_POLICY_CMD_IS_ENABLED, 21), EFI_SUCCESS);
	assert_int_equal(f->msg[20], 1);
	assert_int_equal(send(f, MM_POLICY_CMD_IS_ENABLED, 20), EFI_INVALID_PARAMETER);
	/* Still enforced after the refused DISABLE. */
	struct pol p = {.ns = &ns_a, .name = "Locked", .lock = VARIABLE_POLICY_TYPE_LOCK_NOW};
	assert_int_equal(reg(f, &p), EFI_SUCCESS);
	f->uv.phase = UV_PHASE_END_OF_DXE;
	assert_int_equal(check(f, &ns_a, "Locked", RW, 4), EFI_WRITE_PROTECTED);
}

static void test_lock_then_register_refused(void **state)
{
	struct fixture *f = *state;
	struct pol p = {.ns = &ns_a, .name = "Foo"};
	assert_int_equal(send(f, MM_POLICY_CMD_LOCK, 20), EFI_SUCCESS);
	assert_int_equal(reg(f, &p), EFI_WRITE_PROTECTED);
	assert_int_equal(send(f, MM_POLICY_CMD_LOCK, 20), EFI_WRITE_PROTECTED);
	assert_int_equal(send(f, MM_POLICY_CMD_DISABLE, 20), EFI_WRITE_PROTECTED);
	assert_int_equal(lock_var(f, &ns_a, "Foo"), EFI_WRITE_PROTECTED);
}

static void test_ready_to_boot_locks_interface(void **state)
{
	struct fixture *f = *state;
	struct pol p = {.ns = &ns_a, .name = "Foo"};
	f->uv.phase = UV_PHASE_READY_TO_BOOT;
	assert_int_equal(reg(f, &p), EFI_WRITE_PROTECTED);
	/* The firmware's own LOCK at ReadyToBoot still succeeds once. */
	assert_int_equal(send(f, MM_POLICY_CMD_LOCK, 20), EFI_SUCCESS);
	assert_int_equal(send(f, MM_POLICY_CMD_LOCK, 20), EFI_WRITE_PROTECTED);
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
	return send(f, MM_POLICY_CMD_REGISTER, len);
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

/* ---- matching and ValidateSetVariable ---- */

static void test_no_enforcement_before_end_of_dxe(void **state)
{
	struct fixture *f = *state;
	struct pol p = {.ns = &ns_a, .name = "Foo", .lock = VARIABLE_POLICY_TYPE_LOCK_NOW};
	assert_int_equal(reg(f, &p), EFI_SUCCESS);
	assert_int_equal(check(f, &ns_a, "Foo", RW, 4), EFI_SUCCESS);
	f->uv.phase = UV_PHASE_END_OF_DXE;
	assert_int_equal(check(f, &ns_a, "Foo", RW, 4), EFI_WRITE_PROTECTED);
	assert_int_equal(check(f, &ns_a, "Foo", 0, 0), EFI_WRITE_PROTECTED); /* delete too */
	assert_int_equal(check(f, &ns_a, "Fo", RW, 4), EFI_SUCCESS);
	assert_int_equal(check(f, &ns_a, "Fooo", RW, 4), EFI_SUCCESS);
	assert_int_equal(check(f, &ns_b, "Foo", RW, 4), EFI_SUCCESS);
}

static void test_size_and_attribute_rules(void **state)
{
	struct fixture *f = *state;
	struct pol p = {.ns = &ns_a,
	                .name = "Sized",
	                .min = 4,
	                .max = 8,
	                .must = EFI_VARIABLE_NON_VOLATILE,
	                .cant = EFI_VARIABLE_RUNTIME_ACCESS};
	assert_int_equal(reg(f, &p), EFI_SUCCESS);
	f->uv.phase = UV_PHASE_END_OF_DXE;
	assert_int_equal(check(f, &ns_a, "Sized", BS, 4), EFI_SUCCESS);
	assert_int_equal(check(f, &ns_a, "Sized", BS, 8), EFI_SUCCESS);
	assert_int_equal(check(f, &ns_a, "Sized", BS, 3), EFI_INVALID_PARAMETER);
	assert_int_equal(check(f, &ns_a, "Sized", BS, 9), EFI_INVALID_PARAMETER);
	assert_int_equal(check(f, &ns_a, "Sized", EFI_VARIABLE_BOOTSERVICE_ACCESS, 4),
	                 EFI_INVALID_PARAMETER); /* missing a must-have */
	assert_int_equal(check(f, &ns_a, "Sized", RW, 4), EFI_INVALID_PARAMETER); /* a can't-have */
	/* A delete skips the size and attribute rules; an append of 0 bytes does not. */
	assert_int_equal(check(f, &ns_a, "Sized", 0, 0), EFI_SUCCESS);
	assert_int_equal(check(f, &ns_a, "Sized", RW, 0), EFI_SUCCESS);
	assert_int_equal(check(f, &ns_a, "Sized", BS | EFI_VARIABLE_APPEND_WRITE, 0),
	                 EFI_INVALID_PARAMETER);
	assert_int_equal(check(f, &ns_a, "Sized", BS | EFI_VARIABLE_APPEND_WRITE, 5), EFI_SUCCESS);
}

static void test_wildcard_matching(void **state)
{
	struct fixture *f = *state;
	struct pol wild = {.ns = &ns_a, .name = "Boot####", .max = 10};
	struct pol one = {.ns = &ns_a, .name = "Boot00##", .max = 20};
	struct pol exact = {.ns = &ns_a, .name = "Boot0001", .max = 30};
	struct pol wide = {.ns = &ns_a, .max = 40};
	assert_int_equal(reg(f, &wide), EFI_SUCCESS);
	assert_int_equal(reg(f, &wild), EFI_SUCCESS);
	assert_int_equal(reg(f, &one), EFI_SUCCESS);
	assert_int_equal(reg(f, &exact), EFI_SUCCESS);
	f->uv.phase = UV_PHASE_END_OF_DXE;
	/* Exact beats 2 wildcards beats 4 beats the namespace; the MaxSize tells which applied. */
	assert_int_equal(check(f, &ns_a, "Boot0001", RW, 30), EFI_SUCCESS);
	assert_int_equal(check(f, &ns_a, "Boot0001", RW, 31), EFI_INVALID_PARAMETER);
	assert_int_equal(check(f, &ns_a, "Boot00aF", RW, 20), EFI_SUCCESS);
	assert_int_equal(check(f, &ns_a, "Boot00aF", RW, 21), EFI_INVALID_PARAMETER);
	assert_int_equal(check(f, &ns_a, "BootA0b9", RW, 10), EFI_SUCCESS);
	assert_int_equal(check(f, &ns_a, "BootA0b9", RW, 11), EFI_INVALID_PARAMETER);
	/* '#' needs a hex digit, and the lengths must agree: else only the namespace entry. */
	assert_int_equal(check(f, &ns_a, "Boot00G1", RW, 40), EFI_SUCCESS);
	assert_int_equal(check(f, &ns_a, "Boot00G1", RW, 41), EFI_INVALID_PARAMETER);
	assert_int_equal(check(f, &ns_a, "Boot001", RW, 40), EFI_SUCCESS);
	assert_int_equal(check(f, &ns_a, "Boot00011", RW, 40), EFI_SUCCESS);
	assert_int_equal(check(f, &ns_a, "Boot####", RW, 40), EFI_SUCCESS);
	assert_int_equal(check(f, &ns_a, "Boot####", RW, 41), EFI_INVALID_PARAMETER);
	/* Another namespace: no policy at all. */
	assert_int_equal(check(f, &ns_b, "Boot0001", RW, 1000), EFI_SUCCESS);
}

static void test_name_without_nul_is_bounded(void **state)
{
	struct fixture *f = *state;
	struct pol p = {.ns = &ns_a, .name = "AB", .max = 1};
	uint16_t name[2] = {'A', 'B'};
	assert_int_equal(reg(f, &p), EFI_SUCCESS);
	f->uv.phase = UV_PHASE_END_OF_DXE;
	/* Only name_size bytes are read even without a NUL. */
	assert_int_equal(policy_check_set(&f->uv, &ns_a, name, sizeof(name), RW, 2),
	                 EFI_INVALID_PARAMETER);
	assert_int_equal(policy_check_set(&f->uv, &ns_a, name, 2, RW, 2), EFI_SUCCESS);
}

static void test_lock_on_create(void **state)
{
	struct fixture *f = *state;
	struct pol p = {.ns = &ns_a, .name = "Once", .lock = VARIABLE_POLICY_TYPE_LOCK_ON_CREATE};
	uint8_t one = 1;
	assert_int_equal(reg(f, &p), EFI_SUCCESS);
	f->uv.phase = UV_PHASE_END_OF_DXE;
	assert_int_equal(check(f, &ns_a, "Once", RW, 1), EFI_SUCCESS);
	add_var(f, &ns_a, "Once", RW, &one, 1);
	assert_int_equal(check(f, &ns_a, "Once", RW, 1), EFI_WRITE_PROTECTED);
	assert_int_equal(check(f, &ns_a, "Once", 0, 0), EFI_WRITE_PROTECTED);
}

static void test_lock_on_create_bs_var_at_runtime(void **state)
{
	struct fixture *f = *state;
	struct pol p = {.ns = &ns_a, .name = "BsOnly", .lock = VARIABLE_POLICY_TYPE_LOCK_ON_CREATE};
	uint8_t one = 1;
	assert_int_equal(reg(f, &p), EFI_SUCCESS);
	add_var(f, &ns_a, "BsOnly", BS, &one, 1);
	f->uv.phase = UV_PHASE_READY_TO_BOOT;
	assert_int_equal(check(f, &ns_a, "BsOnly", BS, 1), EFI_WRITE_PROTECTED);
	/* After ExitBootServices a BS-only variable is not found, as edk2's GetVariable says. */
	f->uv.phase = UV_PHASE_RUNTIME;
	assert_int_equal(check(f, &ns_a, "BsOnly", BS, 1), EFI_SUCCESS);
}

static void test_lock_on_var_state(void **state)
{
	struct fixture *f = *state;
	struct pol p = {.ns = &ns_a,
	                .name = "Guarded",
	                .lock = VARIABLE_POLICY_TYPE_LOCK_ON_VAR_STATE,
	                .state_ns = &ns_b,
	                .state_name = "Switch",
	                .state_value = 0x5a};
	uint8_t on = 0x5a, off = 0x00, two[2] = {0x5a, 0x5a};
	assert_int_equal(reg(f, &p), EFI_SUCCESS);
	f->uv.phase = UV_PHASE_END_OF_DXE;
	/* No state variable: not locked. */
	assert_int_equal(check(f, &ns_a, "Guarded", RW, 1), EFI_SUCCESS);
	add_var(f, &ns_b, "Switch", RW, &off, 1);
	assert_int_equal(check(f, &ns_a, "Guarded", RW, 1), EFI_SUCCESS);
	add_var(f, &ns_b, "Switch", RW, &on, 1);
	assert_int_equal(check(f, &ns_a, "Guarded", RW, 1), EFI_WRITE_PROTECTED);
	assert_int_equal(check(f, &ns_a, "Guarded", 0, 0), EFI_WRITE_PROTECTED);
	/* A state variable of two bytes never matches (edk2: BUFFER_TOO_SMALL). */
	add_var(f, &ns_b, "Switch", RW, two, 2);
	assert_int_equal(check(f, &ns_a, "Guarded", RW, 1), EFI_SUCCESS);
	/* Nor one in another namespace. */
	add_var(f, &ns_b, "Switch", RW, &off, 1);
	add_var(f, &ns_a, "Switch", RW, &on, 1);
	assert_int_equal(check(f, &ns_a, "Guarded", RW, 1), EFI_SUCCESS);
}

/* ---- DUMP ---- */

struct dump_reply {
	uint32_t total, page_size;
	uint8_t has_more;
};

static efi_status dump_page(struct fixture *f, uint32_t page, struct dump_reply *r, uint8_t *out)
{
	struct mm_policy_dump d = {
	    .page_requested = page, .total_size = 77, .page_size = 77, .has_more = 9};
	memcpy(f->msg + 20, &d, sizeof(d));
	efi_status st = send(f, MM_POLICY_CMD_DUMP, 20 + 13 + MM_POLICY_DUMP_PAGE_SIZE);
	memcpy(&d, f->msg + 20, sizeof(d));
	r->total = d.total_size;
	r->page_size = d.page_size;
	r->has_more = d.has_more;
	if (out != NULL && st == EFI_SUCCESS)
		memcpy(out, f->msg + 33, d.page_size);
	return st;
}

static void test_dump_empty_and_short(void **state)
{
	struct fixture *f = *state;
	struct dump_reply r;
	assert_int_equal(dump_page(f, 0, &r, NULL), EFI_SUCCESS);
	assert_int_equal(r.total, 0);
	assert_int_equal(r.has_more, 0);
	assert_int_equal(send(f, MM_POLICY_CMD_DUMP, 20 + 13 + MM_POLICY_DUMP_PAGE_SIZE - 1),
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
	assert_int_equal(send(f, MM_POLICY_CMD_IS_ENABLED, 21), EFI_SUCCESS);
	assert_int_equal(dump_page(f, 2, &r, NULL), EFI_TIMEOUT);
}

/* ---- LockVariable ---- */

static void test_lock_variable_before_end_of_dxe(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(lock_var(f, &ns_a, "Locked"), EFI_SUCCESS);
	assert_int_equal(lock_var(f, &ns_a, "Locked"), EFI_SUCCESS); /* again: still locked */
	/* Pending until EndOfDxe, as edk2's VarCheckLib. */
	assert_int_equal(check(f, &ns_a, "Locked", RW, 4), EFI_SUCCESS);
	f->uv.phase = UV_PHASE_END_OF_DXE;
	assert_int_equal(check(f, &ns_a, "Locked", RW, 4), EFI_WRITE_PROTECTED);
	assert_int_equal(check(f, &ns_a, "Locked", 0, 0), EFI_WRITE_PROTECTED);
	assert_int_equal(check(f, &ns_b, "Locked", RW, 4), EFI_SUCCESS);
	/* It is a LOCK_NOW policy in the table. */
	struct dump_reply r;
	uint8_t page[128];
	assert_int_equal(dump_page(f, 0, &r, NULL), EFI_SUCCESS);
	assert_int_equal(r.total, 44 + 14);
	assert_int_equal(dump_page(f, 1, &r, page), EFI_SUCCESS);
	assert_int_equal(page[40], VARIABLE_POLICY_TYPE_LOCK_NOW);
}

static void test_lock_variable_after_end_of_dxe(void **state)
{
	struct fixture *f = *state;
	f->uv.phase = UV_PHASE_END_OF_DXE;
	assert_int_equal(lock_var(f, &ns_a, "Late"), EFI_ACCESS_DENIED);
	f->uv.phase = UV_PHASE_RUNTIME;
	assert_int_equal(lock_var(f, &ns_a, "Late"), EFI_ACCESS_DENIED);
	assert_int_equal(check(f, &ns_a, "Late", RW, 4), EFI_SUCCESS);
}

static void test_lock_variable_conflicts_and_names(void **state)
{
	struct fixture *f = *state;
	struct pol p = {.ns = &ns_a, .name = "Loose"};
	uint16_t bad[3] = {'A', 'B', 'C'};
	assert_int_equal(reg(f, &p), EFI_SUCCESS);
	/* An existing policy that does not lock: edk2 leaves EFI_ALREADY_STARTED. */
	assert_int_equal(lock_var(f, &ns_a, "Loose"), EFI_ALREADY_STARTED);
	assert_int_equal(policy_lock_variable(&f->uv, &ns_a, bad, sizeof(bad)),
	                 EFI_INVALID_PARAMETER);
	assert_int_equal(policy_lock_variable(&f->uv, &ns_a, bad, 5), EFI_INVALID_PARAMETER);
	assert_int_equal(lock_var(f, &ns_a, ""), EFI_INVALID_PARAMETER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
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
	    T(test_no_enforcement_before_end_of_dxe),
	    T(test_size_and_attribute_rules),
	    T(test_wildcard_matching),
	    T(test_name_without_nul_is_bounded),
	    T(test_lock_on_create),
	    T(test_lock_on_create_bs_var_at_runtime),
	    T(test_lock_on_var_state),
	    T(test_dump_empty_and_short),
	    T(test_dump_paging),
	    T(test_lock_variable_before_end_of_dxe),
	    T(test_lock_variable_after_end_of_dxe),
	    T(test_lock_variable_conflicts_and_names),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
