/*
 * One SVSM_UEFI_MM_REQUEST: the MM communicate header, then the message
 * handed to the module its GUID names. The header is the only thing the
 * SVSM result code speaks about (SVSM_ERR_INVALID_PARAMETER when the buffer
 * is not an MM buffer); everything else is an EFI status in the message.
 */
#include <string.h>

#include <keel/svsm.h>

#include "policy.h"
#include "uv_int.h"

void uv_enter_phase(struct uefivars *uv, enum uv_phase p)
{
	if (p > uv->phase) /* phases never go back within a boot */
		uv->phase = p;
}

/*
 * A GUID nobody handles. edk2's MM core answers the caller EFI_NOT_FOUND
 * and leaves the buffer alone; here the SVSM call succeeds and, when the
 * message is long enough for the {u64 function; u64 status} framing every
 * Keel-served GUID uses, its status says EFI_UNSUPPORTED.
 */
static void unknown_guid(struct uefivars *uv, uint8_t *msg, size_t len)
{
	if (len >= sizeof(struct mm_var_header)) {
		efi_status s = EFI_UNSUPPORTED;
		memcpy(msg + offsetof(struct mm_var_header, status), &s, sizeof(s));
	}
	uv_log_refusal(uv, "unknown MM header GUID", UV_LOG_UNKNOWN_GUID, EFI_UNSUPPORTED);
}

size_t uv_mm_request(struct uefivars *uv, uint8_t *buf, size_t len, uint64_t *svsm_rc)
{
	struct mm_header h;
	*svsm_rc = SVSM_ERR_INVALID_PARAMETER;
	if (!buf || len < sizeof(h) || len > MM_BUFFER_MAX)
		return 0;
	memcpy(&h, buf, sizeof(h));
	if (h.length > len - sizeof(h))
		return 0;
	*svsm_rc = SVSM_SUCCESS;
	uint8_t *msg = buf + sizeof(h);
	size_t mlen = (size_t)h.length, cap = len - sizeof(h), out = mlen;
	if (efi_guid_eq(&h.guid, &mm_variable_guid))
		mm_variable(uv, msg, mlen, cap, &out);
	else if (efi_guid_eq(&h.guid, &mm_var_policy_guid))
		policy_mm_handle(uv, msg, mlen, cap, &out);
	else if (efi_guid_eq(&h.guid, &keel_varadmin_guid))
		mm_varadmin(uv, msg, mlen, cap, &out);
	else if (efi_guid_eq(&h.guid, &mm_end_of_dxe_guid))
		uv_enter_phase(uv, UV_PHASE_END_OF_DXE);
	else if (efi_guid_eq(&h.guid, &mm_ready_to_boot_guid))
		uv_enter_phase(uv, UV_PHASE_READY_TO_BOOT);
	else if (efi_guid_eq(&h.guid, &mm_exit_boot_services_guid))
		uv_enter_phase(uv, UV_PHASE_RUNTIME);
	else
		unknown_guid(uv, msg, mlen);
	if (out > cap)
		out = cap; /* a handler's promise, enforced once more */
	h.length = out;
	memcpy(buf + offsetof(struct mm_header, length), &h.length, sizeof(h.length));
	return sizeof(h) + out;
}
