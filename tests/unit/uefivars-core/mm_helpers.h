/* Building raw MM buffers for the uefivars unit tests (one static 64 KiB buffer). */
#ifndef UV_MM_HELPERS_H
#define UV_MM_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <keel/svsm.h>

#include "../../../apps/uefivars/mm_wire.h"
#include "../../../apps/uefivars/uefivars.h"

extern struct uefivars uv;
extern uint8_t buf[MM_BUFFER_EDK2];

static const efi_guid test_guid = EFI_GUID_INIT(0x11111111, 0x2222, 0x3333, 1, 2, 3, 4, 5, 6, 7, 8);
static const efi_guid test_guid2 =
    EFI_GUID_INIT(0x11111111, 0x2222, 0x3333, 1, 2, 3, 4, 5, 6, 7, 9);

#define BS EFI_VARIABLE_BOOTSERVICE_ACCESS
#define RT EFI_VARIABLE_RUNTIME_ACCESS
#define NV EFI_VARIABLE_NON_VOLATILE
#define NBR (NV | BS | RT)

/* UCS-2 of ascii into dst; returns the size in bytes incl. the NUL. */
static inline size_t ucs2(uint8_t *dst, const char *ascii)
{
	size_t n = strlen(ascii);
	for (size_t i = 0; i <= n; i++) {
		dst[2 * i] = (uint8_t)ascii[i];
		dst[2 * i + 1] = 0;
	}
	return (n + 1) * 2;
}

static inline efi_status status_at(size_t off)
{
	efi_status s;
	memcpy(&s, buf + off, 8);
	return s;
}

/* Header for guid with MessageLength mlen, then uv_mm_request over the whole buffer. */
static inline size_t mm_call(const efi_guid *g, uint64_t mlen, uint64_t *rc)
{
	memcpy(buf, g, 16);
	memcpy(buf + 16, &mlen, 8);
	return uv_mm_request(&uv, buf, sizeof(buf), rc);
}

/* A variable function with payload bytes already at buf+40; returns the status it wrote. */
static inline efi_status var_call(uint64_t fn, size_t payload)
{
	uint64_t rc = 0xdead, poison = 0x5a5a5a5a5a5a5a5aull;
	memcpy(buf + 24, &fn, 8);
	memcpy(buf + 32, &poison, 8);
	size_t out = mm_call(&mm_variable_guid, 16 + payload, &rc);
	assert_int_equal(rc, SVSM_SUCCESS);
	assert_int_equal(out, 24 + 16 + payload);
	return status_at(32);
}

/* mm_var_access at buf+40: guid, data_size, name_size, attrs; name; data. */
static inline size_t put_access(const efi_guid *g, const char *name, uint32_t attrs,
                                const void *data, uint64_t size)
{
	uint8_t *p = buf + 40;
	uint64_t ns = ucs2(p + 36, name);
	memcpy(p, g, 16);
	memcpy(p + 16, &size, 8);
	memcpy(p + 24, &ns, 8);
	memcpy(p + 32, &attrs, 4);
	if (data && size)
		memcpy(p + 36 + ns, data, size);
	return 36 + ns + size;
}

static inline efi_status set_var(const char *name, uint32_t attrs, const void *data, size_t size)
{
	memset(buf, 0, sizeof(buf));
	return var_call(MM_VAR_FN_SET_VARIABLE, put_access(&test_guid, name, attrs, data, size));
}

/* GetVariable with a data capacity of cap; size and attributes from the reply; data copied to out.
 */
static inline efi_status get_var(const char *name, void *out, size_t cap, size_t *size,
                                 uint32_t *attrs)
{
	memset(buf, 0, sizeof(buf));
	size_t len = put_access(&test_guid, name, 0, NULL, cap);
	efi_status s = var_call(MM_VAR_FN_GET_VARIABLE, len);
	uint64_t ds, ns;
	memcpy(&ds, buf + 40 + 16, 8);
	memcpy(&ns, buf + 40 + 24, 8);
	if (size)
		*size = ds;
	if (attrs)
		memcpy(attrs, buf + 40 + 32, 4);
	if (out && s == EFI_SUCCESS)
		memcpy(out, buf + 40 + 36 + ns, ds);
	return s;
}

/* GetNextVariableName from (guid, name) with name capacity cap bytes; result name as ascii. */
static inline efi_status get_next(efi_guid *g, char *name, size_t cap, uint64_t *ns_out)
{
	memset(buf, 0, sizeof(buf));
	uint8_t *p = buf + 40;
	ucs2(p + 24, name);
	uint64_t ns = cap;
	memcpy(p, g, 16);
	memcpy(p + 16, &ns, 8);
	efi_status s = var_call(MM_VAR_FN_GET_NEXT_VARIABLE_NAME, 24 + cap);
	memcpy(&ns, p + 16, 8);
	*ns_out = ns;
	if (s == EFI_SUCCESS) {
		memcpy(g, p, 16);
		for (size_t i = 0; i < ns / 2; i++)
			name[i] = (char)p[24 + 2 * i];
	}
	return s;
}

/* get_next, skipping the service's own variables (SetupMode, ...: not under the test GUIDs). */
static inline efi_status get_next_test(efi_guid *g, char *name, size_t cap, uint64_t *ns_out)
{
	for (;;) {
		efi_status s = get_next(g, name, cap, ns_out);
		if (s != EFI_SUCCESS || efi_guid_eq(g, &test_guid) || efi_guid_eq(g, &test_guid2))
			return s;
	}
}

/* Variables under the test GUIDs. */
static inline size_t test_var_count(void)
{
	size_t n = 0;
	for (const struct uv_var *v = uv.vars; v; v = v->next)
		n += efi_guid_eq(&v->guid, &test_guid) || efi_guid_eq(&v->guid, &test_guid2);
	return n;
}

static inline efi_status query(uint32_t attrs, struct mm_var_query_info *q)
{
	memset(buf, 0, sizeof(buf));
	memcpy(buf + 40 + 24, &attrs, 4);
	efi_status s = var_call(MM_VAR_FN_QUERY_VARIABLE_INFO, sizeof(*q));
	memcpy(q, buf + 40, sizeof(*q));
	return s;
}

static inline void event(const efi_guid *g)
{
	uint64_t rc;
	memset(buf, 0, sizeof(buf));
	mm_call(g, 0, &rc);
	assert_int_equal(rc, SVSM_SUCCESS);
}

#endif
