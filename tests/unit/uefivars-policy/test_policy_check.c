/*
 * The SetVariable check and LockVariable (apps/uefivars/policy.c):
 * edk2's ValidateSetVariable rules per lock type and boot phase, name
 * matching with wildcards, LockVariable before and after EndOfDxe.
 * Variables the rules look at are put in core's memory-only store.
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

/* ---- matching and ValidateSetVariable ---- */

static void test_no_enforcement_before_end_of_dxe(void **state)
{
	struct fixture *f = *state;
	struct pol p = {.ns = &ns_a, .name = "Foo", .lock = VARIABLE_POLICY_TYPE_LOCK_NOW};
	assert_int_equal(reg(f, &p), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Foo", RW, 4), EFI_SUCCESS);
	f->uv.phase = UV_PHASE_END_OF_DXE;
	assert_int_equal(check_set(f, &ns_a, "Foo", RW, 4), EFI_WRITE_PROTECTED);
	assert_int_equal(check_set(f, &ns_a, "Foo", 0, 0), EFI_WRITE_PROTECTED); /* delete too */
	assert_int_equal(check_set(f, &ns_a, "Fo", RW, 4), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Fooo", RW, 4), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_b, "Foo", RW, 4), EFI_SUCCESS);
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
	assert_int_equal(check_set(f, &ns_a, "Sized", BS, 4), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Sized", BS, 8), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Sized", BS, 3), EFI_INVALID_PARAMETER);
	assert_int_equal(check_set(f, &ns_a, "Sized", BS, 9), EFI_INVALID_PARAMETER);
	assert_int_equal(check_set(f, &ns_a, "Sized", EFI_VARIABLE_BOOTSERVICE_ACCESS, 4),
	                 EFI_INVALID_PARAMETER); /* missing a must-have */
	assert_int_equal(check_set(f, &ns_a, "Sized", RW, 4),
	                 EFI_INVALID_PARAMETER); /* a can't-have */
	/* A delete skips the size and attribute rules; an append of 0 bytes does not. */
	assert_int_equal(check_set(f, &ns_a, "Sized", 0, 0), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Sized", RW, 0), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Sized", BS | EFI_VARIABLE_APPEND_WRITE, 0),
	                 EFI_INVALID_PARAMETER);
	assert_int_equal(check_set(f, &ns_a, "Sized", BS | EFI_VARIABLE_APPEND_WRITE, 5),
	                 EFI_SUCCESS);
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
	assert_int_equal(check_set(f, &ns_a, "Boot0001", RW, 30), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Boot0001", RW, 31), EFI_INVALID_PARAMETER);
	assert_int_equal(check_set(f, &ns_a, "Boot00aF", RW, 20), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Boot00aF", RW, 21), EFI_INVALID_PARAMETER);
	assert_int_equal(check_set(f, &ns_a, "BootA0b9", RW, 10), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "BootA0b9", RW, 11), EFI_INVALID_PARAMETER);
	/* '#' needs a hex digit, and the lengths must agree: else only the namespace entry. */
	assert_int_equal(check_set(f, &ns_a, "Boot00G1", RW, 40), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Boot00G1", RW, 41), EFI_INVALID_PARAMETER);
	/* Just past each hex range: the namespace entry's 40 bytes, not Boot00##'s 20. */
	assert_int_equal(check_set(f, &ns_a, "Boot00g1", RW, 40), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Boot00/1", RW, 40), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Boot00:1", RW, 40), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Boot00@1", RW, 40), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Boot00`1", RW, 40), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Boot001", RW, 40), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Boot00011", RW, 40), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Boot####", RW, 40), EFI_SUCCESS);
	assert_int_equal(check_set(f, &ns_a, "Boot####", RW, 41), EFI_INVALID_PARAMETER);
	/* Another namespace: no policy at all. */
	assert_int_equal(check_set(f, &ns_b, "Boot0001", RW, 1000), EFI_SUCCESS);
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
	assert_int_equal(check_set(f, &ns_a, "Once", RW, 1), EFI_SUCCESS);
	add_var(f, &ns_a, "Once", RW, &one, 1);
	assert_int_equal(check_set(f, &ns_a, "Once", RW, 1), EFI_WRITE_PROTECTED);
	assert_int_equal(check_set(f, &ns_a, "Once", 0, 0), EFI_WRITE_PROTECTED);
}

static void test_lock_on_create_bs_var_at_runtime(void **state)
{
	struct fixture *f = *state;
	struct pol p = {.ns = &ns_a, .name = "BsOnly", .lock = VARIABLE_POLICY_TYPE_LOCK_ON_CREATE};
	uint8_t one = 1;
	assert_int_equal(reg(f, &p), EFI_SUCCESS);
	add_var(f, &ns_a, "BsOnly", BS, &one, 1);
	f->uv.phase = UV_PHASE_READY_TO_BOOT;
	assert_int_equal(check_set(f, &ns_a, "BsOnly", BS, 1), EFI_WRITE_PROTECTED);
	/* After ExitBootServices a BS-only variable is not found, as edk2's GetVariable says. */
	f->uv.phase = UV_PHASE_RUNTIME;
	assert_int_equal(check_set(f, &ns_a, "BsOnly", BS, 1), EFI_SUCCESS);
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
	assert_int_equal(check_set(f, &ns_a, "Guarded", RW, 1), EFI_SUCCESS);
	add_var(f, &ns_b, "Switch", RW, &off, 1);
	assert_int_equal(check_set(f, &ns_a, "Guarded", RW, 1), EFI_SUCCESS);
	add_var(f, &ns_b, "Switch", RW, &on, 1);
	assert_int_equal(check_set(f, &ns_a, "Guarded", RW, 1), EFI_WRITE_PROTECTED);
	assert_int_equal(check_set(f, &ns_a, "Guarded", 0, 0), EFI_WRITE_PROTECTED);
	/* A state variable of two bytes never matches (edk2: BUFFER_TOO_SMALL). */
	add_var(f, &ns_b, "Switch", RW, two, 2);
	assert_int_equal(check_set(f, &ns_a, "Guarded", RW, 1), EFI_SUCCESS);
	/* Nor one in another namespace. */
	add_var(f, &ns_b, "Switch", RW, &off, 1);
	add_var(f, &ns_a, "Switch", RW, &on, 1);
	assert_int_equal(check_set(f, &ns_a, "Guarded", RW, 1), EFI_SUCCESS);
}

/* ---- LockVariable ---- */

static void test_lock_variable_before_end_of_dxe(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(lock_var(f, &ns_a, "Locked"), EFI_SUCCESS);
	assert_int_equal(lock_var(f, &ns_a, "Locked"), EFI_SUCCESS); /* again: still locked */
	/* Pending until EndOfDxe, as edk2's VarCheckLib. */
	assert_int_equal(check_set(f, &ns_a, "Locked", RW, 4), EFI_SUCCESS);
	f->uv.phase = UV_PHASE_END_OF_DXE;
	assert_int_equal(check_set(f, &ns_a, "Locked", RW, 4), EFI_WRITE_PROTECTED);
	assert_int_equal(check_set(f, &ns_a, "Locked", 0, 0), EFI_WRITE_PROTECTED);
	assert_int_equal(check_set(f, &ns_b, "Locked", RW, 4), EFI_SUCCESS);
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
	assert_int_equal(check_set(f, &ns_a, "Late", RW, 4), EFI_SUCCESS);
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
#define T(fn) cmocka_unit_test_setup_teardown(fn, policy_setup, policy_teardown)
	    T(test_no_enforcement_before_end_of_dxe),
	    T(test_size_and_attribute_rules),
	    T(test_wildcard_matching),
	    T(test_name_without_nul_is_bounded),
	    T(test_lock_on_create),
	    T(test_lock_on_create_bs_var_at_runtime),
	    T(test_lock_on_var_state),
	    T(test_lock_variable_before_end_of_dxe),
	    T(test_lock_variable_after_end_of_dxe),
	    T(test_lock_variable_conflicts_and_names),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
