/*
 * Shared by the policy unit tests: a memory-only variable service
 * (uv_init with KEEL_HANDLE_NONE), policy entries and MM policy messages
 * built as raw bytes, and short ways to ask the rules (policy_fixture.c).
 */
#ifndef POLICY_FIXTURE_H
#define POLICY_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "mm_wire.h"
#include "policy.h"
#include "policy_wire.h"

extern const efi_guid ns_a, ns_b;

#define MSG_CAP (64u * 1024u)
#define RW                                                                                         \
	(EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)
#define BS (EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS)

struct fixture {
	struct uefivars uv;
	uint8_t msg[MSG_CAP];
};

struct pol {
	const efi_guid *ns;
	const char *name; /* NULL: namespace-wide */
	uint32_t min, max, must, cant;
	uint8_t lock;
	const efi_guid *state_ns;
	const char *state_name;
	uint8_t state_value;
};

struct dump_reply {
	uint32_t total, page_size;
	uint8_t has_more;
};

int policy_setup(void **state);
int policy_teardown(void **state);
size_t ucs2(uint16_t *out, const char *s);
size_t build_entry(uint8_t *out, const struct pol *p);
void put_header(uint8_t *msg, uint32_t sig, uint32_t rev, uint32_t cmd);
efi_status policy_result(const uint8_t *msg);
efi_status send_cmd(struct fixture *f, uint32_t cmd, size_t len);
efi_status reg(struct fixture *f, const struct pol *p);
void add_var(struct fixture *f, const efi_guid *g, const char *name, uint32_t attrs,
             const void *data, size_t size);
efi_status check_set(struct fixture *f, const efi_guid *g, const char *name, uint32_t attrs,
                     size_t size);
efi_status lock_var(struct fixture *f, const efi_guid *g, const char *name);
efi_status dump_page(struct fixture *f, uint32_t page, struct dump_reply *r, uint8_t *out);

#endif
