/*
 * The MM message of mm_var_policy_guid (edk2 MdeModulePkg/Library/
 * VarCheckPolicyLib/VarCheckPolicyLib.c, VarCheckPolicyLibMmiHandler):
 * {VAR_CHECK_POLICY_COMM_HEADER; the command's parameters}. The status
 * goes into the header's Result; the message keeps its length.
 *
 * `msg` is the service's own copy of the guest buffer, so the header is
 * read once into a local and never re-read (edk2 copies the buffer for
 * the same reason, TOCTOU).
 */
#include <string.h>

#include "mm_wire.h"
#include "policy_table.h"
#include "policy_wire.h"

#define HDR sizeof(struct mm_policy_header)

static void put_result(uint8_t *msg, efi_status st)
{
	memcpy(msg + offsetof(struct mm_policy_header, result), &st, sizeof(st));
}

/*
 * DisableVariablePolicy: Keel never turns enforcement off (docs/
 * variable-policy.md): EFI_WRITE_PROTECTED, what edk2 answers when
 * PcdAllowVariablePolicyEnforcementDisable is FALSE (its default) or the
 * interface is locked.
 */
static efi_status cmd_disable(void)
{
	return EFI_WRITE_PROTECTED;
}

static efi_status cmd_is_enabled(uint8_t *msg, size_t n)
{
	if (n < HDR + sizeof(struct mm_policy_is_enabled))
		return EFI_INVALID_PARAMETER;
	msg[HDR] = 1; /* always enforced: DISABLE is refused */
	return EFI_SUCCESS;
}

static efi_status cmd_register(struct uefivars *uv, const uint8_t *msg, size_t n)
{
	struct variable_policy_entry h;

	if (n < HDR + sizeof(h))
		return EFI_INVALID_PARAMETER;
	memcpy(&h, msg + HDR, sizeof(h));
	if (h.version != VARIABLE_POLICY_ENTRY_REVISION || h.size < sizeof(h) || HDR + h.size > n)
		return EFI_INVALID_PARAMETER;
	return policy_register(uv, msg + HDR, h.size);
}

static void dump_reset(struct uv_policy *p)
{
	p->dump_active = false;
	p->dump_size = 0;
}

/*
 * DUMP, paged as edk2 pages it: page 0 takes a snapshot (the table only
 * grows, so its first dump_size bytes stay as they were) and reports
 * TotalSize; pages 1..N return MM_POLICY_DUMP_PAGE_SIZE bytes each, the
 * last one the rest (edk2 returns 0 bytes there when the size is a
 * multiple of the page; here the whole page). Any other command ends it.
 */
static efi_status cmd_dump(struct uv_policy *p, uint8_t *msg, size_t n)
{
	struct mm_policy_dump d;
	size_t page = MM_POLICY_DUMP_PAGE_SIZE;

	if (n < HDR + sizeof(d) + page)
		return EFI_INVALID_PARAMETER;
	memcpy(&d, msg + HDR, sizeof(d));
	uint32_t want = d.page_requested;
	efi_status st = EFI_SUCCESS;
	d.total_size = 0;
	d.page_size = 0;
	d.has_more = 0;
	if (want == 0) {
		dump_reset(p);
		if (p->used > 0) {
			p->dump_active = true;
			p->dump_size = p->used;
			d.total_size = (uint32_t)p->used;
			d.has_more = 1;
		}
	} else if (!p->dump_active) {
		st = EFI_TIMEOUT; /* no snapshot: edk2's answer */
	} else {
		size_t pages = (p->dump_size + page - 1) / page;
		d.total_size = (uint32_t)p->dump_size;
		if (want > pages) {
			st = EFI_INVALID_PARAMETER;
		} else {
			size_t off = (size_t)(want - 1) * page;
			size_t len = want == pages ? p->dump_size - off : page;
			memcpy(msg + HDR + sizeof(d), p->table + off, len);
			d.page_size = (uint32_t)len;
			d.has_more = want != pages;
			if (want == pages)
				dump_reset(p);
		}
	}
	memcpy(msg + HDR, &d, sizeof(d));
	return st;
}

/* LockVariablePolicy: once per boot (an implicit lock at ReadyToBoot does not count). */
static efi_status cmd_lock(struct uv_policy *p)
{
	if (p->locked)
		return EFI_WRITE_PROTECTED;
	p->locked = true;
	return EFI_SUCCESS;
}

void policy_mm_handle(struct uefivars *uv, uint8_t *msg, size_t len, size_t cap, size_t *out_len)
{
	struct mm_policy_header h;
	size_t n = len < cap ? len : cap;
	efi_status st;

	*out_len = n;
	/* Too short to hold a Result: nothing can be answered (edk2's handler fails the MMI). */
	if (n < HDR)
		return;
	memcpy(&h, msg, HDR);
	if (h.signature != MM_POLICY_SIGNATURE || h.revision != MM_POLICY_REVISION) {
		put_result(msg, EFI_INVALID_PARAMETER);
		return;
	}
	struct uv_policy *p = uv->policy;
	if (p == NULL) {
		put_result(msg, EFI_NOT_READY);
		return;
	}
	if (p->dump_active && h.command != MM_POLICY_CMD_DUMP)
		dump_reset(p);
	switch (h.command) {
	case MM_POLICY_CMD_DISABLE:
		st = cmd_disable();
		break;
	case MM_POLICY_CMD_IS_ENABLED:
		st = cmd_is_enabled(msg, n);
		break;
	case MM_POLICY_CMD_REGISTER:
		st = cmd_register(uv, msg, n);
		break;
	case MM_POLICY_CMD_DUMP:
		st = cmd_dump(p, msg, n);
		break;
	case MM_POLICY_CMD_LOCK:
		st = cmd_lock(p);
		break;
	case MM_POLICY_CMD_GET_INFO:
	case MM_POLICY_CMD_GET_LOCK_VAR_STATE_INFO:
		st = policy_mm_get_info(uv, msg, n, h.command);
		break;
	default:
		st = EFI_UNSUPPORTED;
		break;
	}
	put_result(msg, st);
}
