/*
 * TEMPORARY stand-ins, until the other parts of issue 16 are merged:
 * auth_*.c / secureboot*.c (h/auth), policy*.c (h/policy), fdstore.c
 * (h/varctl), apps/svsm/svsm_serve.c (h/transport) and keel_task_data
 * (h/data). All weak: the real definitions replace them at link time as
 * they land; this file goes once all have. They do nothing clever:
 * no authenticated variables, no policy, no default store, no transport.
 */
#include <stdlib.h>
#include <string.h>

#include <keel/errors.h>

#include "../svsm/svsm_serve.h"
#include "fdstore.h"
#include "mm_wire.h"
#include "policy.h"
#include "uefivars.h"

#define WEAK __attribute__((weak))

WEAK bool auth_applies(const struct uefivars *uv, const struct uv_set_req *req)
{
	(void)uv;
	return (req->attrs & EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS) != 0;
}

WEAK efi_status auth_set_variable(struct uefivars *uv, const struct uv_set_req *req, struct auth_result *res)
{
	(void)uv;
	(void)req;
	res->n = 0;
	return EFI_UNSUPPORTED; /* no authenticated writes without h/auth */
}

WEAK void auth_result_free(struct auth_result *res)
{
	free(res->scratch);
	res->scratch = NULL;
}

WEAK bool secureboot_read_only(const efi_guid *guid, const uint16_t *name, size_t name_size)
{
	(void)guid;
	(void)name;
	(void)name_size;
	return false;
}

WEAK void secureboot_refresh(struct uefivars *uv)
{
	(void)uv;
}

WEAK void secureboot_load_defaults(struct uefivars *uv)
{
	(void)uv;
}

WEAK struct uv_policy *policy_new(void)
{
	return NULL;
}

WEAK void policy_free(struct uv_policy *p)
{
	(void)p;
}

WEAK efi_status policy_check_set(struct uefivars *uv, const efi_guid *guid, const uint16_t *name,
                                 size_t name_size, uint32_t attrs, size_t size)
{
	(void)uv;
	(void)guid;
	(void)name;
	(void)name_size;
	(void)attrs;
	(void)size;
	return EFI_SUCCESS;
}

/* Accepted before EndOfDxe as edk2 does, but NOT enforced until h/policy lands. */
WEAK efi_status policy_lock_variable(struct uefivars *uv, const efi_guid *guid, const uint16_t *name,
                                     size_t name_size)
{
	(void)guid;
	(void)name;
	(void)name_size;
	return uv->phase >= UV_PHASE_END_OF_DXE ? EFI_ACCESS_DENIED : EFI_SUCCESS;
}

WEAK void policy_mm_handle(struct uefivars *uv, uint8_t *msg, size_t len, size_t cap, size_t *out_len)
{
	(void)uv;
	(void)cap;
	*out_len = len;
	if (len >= sizeof(struct mm_policy_header)) {
		efi_status s = EFI_UNSUPPORTED;
		memcpy(msg + offsetof(struct mm_policy_header, result), &s, sizeof(s));
	}
}

WEAK int fdstore_parse(const uint8_t *img, size_t len, int (*fn)(void *arg, const struct fd_var *v),
                       void *arg, char *err, size_t errlen)
{
	(void)img;
	(void)len;
	(void)fn;
	(void)arg;
	if (errlen)
		strncpy(err, "no fdstore parser in this build", errlen - 1);
	return -1;
}

WEAK struct svsm_serve *svsm_serve_new(keel_handle_t h)
{
	(void)h;
	return NULL;
}

WEAK void svsm_serve_free(struct svsm_serve *s)
{
	(void)s;
}

WEAK int svsm_serve_recv(struct svsm_serve *s, struct svsm_call_in *in)
{
	(void)s;
	(void)in;
	return KEEL_ENOSYS;
}

WEAK int svsm_serve_reply(struct svsm_serve *s, const struct svsm_call_out *out)
{
	(void)s;
	(void)out;
	return KEEL_ENOSYS;
}

int keel_task_data(const void **data, size_t *size);
WEAK int keel_task_data(const void **data, size_t *size)
{
	*data = NULL;
	*size = 0;
	return -1; /* no data blob without h/data */
}
