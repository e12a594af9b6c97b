/* The policy tests' fixture and builders (policy_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy_fixture.h"

const efi_guid ns_a = EFI_GUID_INIT(0x11111111, 0x2222, 0x3333, 0x44, 0x44, 1, 2, 3, 4, 5, 6);
const efi_guid ns_b = EFI_GUID_INIT(0xaaaaaaaa, 0xbbbb, 0xcccc, 0xdd, 0xdd, 1, 2, 3, 4, 5, 6);

int policy_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(uv_init(&f->uv, KEEL_HANDLE_NONE, NULL, 0), EFI_SUCCESS);
	assert_non_null(f->uv.policy);
	*state = f;
	return 0;
}

int policy_teardown(void **state)
{
	struct fixture *f = *state;
	uv_fini(&f->uv);
	free(f);
	return 0;
}

/* ASCII → UCS-2 with the NUL; returns the size in bytes. */
size_t ucs2(uint16_t *out, const char *s)
{
	size_t n = 0;
	while (s[n] != 0) {
		out[n] = (uint8_t)s[n];
		n++;
	}
	out[n] = 0;
	return (n + 1) * 2;
}

/* A well-formed VARIABLE_POLICY_ENTRY at out; its size. */
size_t build_entry(uint8_t *out, const struct pol *p)
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

void put_header(uint8_t *msg, uint32_t sig, uint32_t rev, uint32_t cmd)
{
	struct mm_policy_header h = {
	    .signature = sig, .revision = rev, .command = cmd, .result = 0x5a5a};
	memcpy(msg, &h, sizeof(h));
}

efi_status policy_result(const uint8_t *msg)
{
	efi_status st;
	memcpy(&st, msg + offsetof(struct mm_policy_header, result), sizeof(st));
	return st;
}

/* One command with `len` message bytes; the Result. */
efi_status send_cmd(struct fixture *f, uint32_t cmd, size_t len)
{
	size_t out = 0;
	put_header(f->msg, MM_POLICY_SIGNATURE, MM_POLICY_REVISION, cmd);
	policy_mm_handle(&f->uv, f->msg, len, MSG_CAP, &out);
	assert_int_equal(out, len);
	return policy_result(f->msg);
}

efi_status reg(struct fixture *f, const struct pol *p)
{
	size_t n = build_entry(f->msg + 20, p);
	return send_cmd(f, MM_POLICY_CMD_REGISTER, 20 + n);
}

/* Create or replace a variable in the (memory-only) store, as a SetVariable that passed would. */
void add_var(struct fixture *f, const efi_guid *g, const char *name, uint32_t attrs,
             const void *data, size_t size)
{
	uint16_t buf[64];
	struct uv_update u = {
	    .op = UV_WRITE, .guid = *g, .name = buf, .attrs = attrs, .data = data, .size = size};
	u.name_size = ucs2(buf, name);
	assert_int_equal(uv_apply(&f->uv, &u, 1), EFI_SUCCESS);
}

efi_status check_set(struct fixture *f, const efi_guid *g, const char *name, uint32_t attrs,
                     size_t size)
{
	uint16_t buf[300];
	size_t n = ucs2(buf, name);
	return policy_check_set(&f->uv, g, buf, n, attrs, size);
}

efi_status lock_var(struct fixture *f, const efi_guid *g, const char *name)
{
	uint16_t buf[64];
	size_t n = ucs2(buf, name);
	return policy_lock_variable(&f->uv, g, buf, n);
}

efi_status dump_page(struct fixture *f, uint32_t page, struct dump_reply *r, uint8_t *out)
{
	struct mm_policy_dump d = {
	    .page_requested = page, .total_size = 77, .page_size = 77, .has_more = 9};
	memcpy(f->msg + 20, &d, sizeof(d));
	efi_status st = send_cmd(f, MM_POLICY_CMD_DUMP, 20 + 13 + MM_POLICY_DUMP_PAGE_SIZE);
	memcpy(&d, f->msg + 20, sizeof(d));
	r->total = d.total_size;
	r->page_size = d.page_size;
	r->has_more = d.has_more;
	if (out != NULL && st == EFI_SUCCESS)
		memcpy(out, f->msg + 33, d.page_size);
	return st;
}
