/*
 * One time-based authenticated write, checked and turned into changes:
 * edk2 AuthService.c VerifyTimeBasedPayload (descriptor, replay,
 * signature against the authorising variable, payload format) and
 * AuthServiceInternalUpdateVariableWithTimeStamp (replace, append with
 * de-duplication, delete).
 */
#include <stdlib.h>
#include <string.h>

#include "auth_ctx.h"
#include "uv_int.h" /* UV_VAR_HEADER, the per-variable overhead the size limit counts */

/* ANCHOR_KEK: any X.509 entry of KEK (edk2 tries each in turn). */
static efi_status verify_kek(struct auth_ctx *c, const uint8_t *msg, size_t msg_len)
{
	struct uv_var *kek = SB_FIND(c->uv, &efi_global_variable_guid, sb_name_kek);
	struct siglist l;
	size_t off = 0, i;

	if (kek == NULL)
		return EFI_NOT_FOUND; /* as edk2: the missing KEK's status, not a violation */
	while (siglist_next(kek->data, kek->size, &off, &l) == 1) {
		if (!efi_guid_eq(&l.type, &efi_cert_x509_guid))
			continue;
		for (i = 0; i < l.count; i++)
			if (auth_pkcs7_verify(c->a.sig, c->a.sig_len,
			                      l.entries + i * l.sig_size + 16, l.sig_size - 16, msg,
			                      msg_len))
				return EFI_SUCCESS;
	}
	return EFI_SECURITY_VIOLATION;
}

/* ANCHOR_PK: the SignedData's top-level certificate must be PK's own (no chaining for PK). */
static efi_status verify_pk(struct auth_ctx *c, const uint8_t *msg, size_t msg_len)
{
	struct uv_var *pk = SB_FIND(c->uv, &efi_global_variable_guid, sb_name_pk);
	struct auth_signers s;
	const uint8_t *cert;
	size_t cert_len;
	bool ok;

	if (pk == NULL || !siglist_first_x509(pk->data, pk->size, &cert, &cert_len))
		return EFI_SECURITY_VIOLATION;
	if (!auth_pkcs7_signers(c->a.sig, c->a.sig_len, &s))
		return EFI_SECURITY_VIOLATION;
	ok = s.top_len == cert_len && memcmp(s.top, cert, cert_len) == 0 &&
	     auth_pkcs7_verify(c->a.sig, c->a.sig_len, s.top, s.top_len, msg, msg_len);
	auth_signers_free(&s);
	return ok ? EFI_SUCCESS : EFI_SECURITY_VIOLATION;
}

/* ANCHOR_PRIV: signed by whoever signed the first write (its digest), or pin a new variable. */
static efi_status verify_private(struct auth_ctx *c, const uint8_t *msg, size_t msg_len)
{
	struct auth_signers s;
	uint8_t digest[32];
	bool ok;

	if (!auth_pkcs7_signers(c->a.sig, c->a.sig_len, &s))
		return EFI_SECURITY_VIOLATION;
	if (c->old != NULL) {
		/* No recorded signer (e.g. imported without its certdb entry): edk2 refuses too. */
		ok = c->old->has_digest && auth_private_digest(&s, digest) &&
		     memcmp(digest, c->old->digest, 32) == 0;
		c->has_digest = c->old->has_digest;
		memcpy(c->digest, c->old->digest, 32);
	} else {
		ok = true;
	}
	ok = ok && auth_pkcs7_verify(c->a.sig, c->a.sig_len, s.top, s.top_len, msg, msg_len);
	if (ok && c->old == NULL && c->a.payload_len != 0) {
		ok = auth_private_digest(&s, c->digest);
		c->has_digest = ok;
	}
	auth_signers_free(&s);
	return ok ? EFI_SUCCESS : EFI_SECURITY_VIOLATION;
}

/* ANCHOR_PAYLOAD: PK enrolled in setup mode is signed by its own certificate. */
static efi_status verify_payload(struct auth_ctx *c, const uint8_t *msg, size_t msg_len)
{
	const uint8_t *cert;
	size_t cert_len;

	if (!siglist_first_x509(c->a.payload, c->a.payload_len, &cert, &cert_len))
		return EFI_SECURITY_VIOLATION;
	return auth_pkcs7_verify(c->a.sig, c->a.sig_len, cert, cert_len, msg, msg_len)
	           ? EFI_SUCCESS
	           : EFI_SECURITY_VIOLATION;
}

efi_status auth_verify(struct auth_ctx *c, enum auth_anchor anchor)
{
	uint8_t *msg;
	size_t msg_len;
	efi_status st;

	st = auth2_check(&c->a);
	if (st != EFI_SUCCESS)
		return st;
	/* Replay: strictly later than the stored time (equal refused, as SCT), except append. */
	if (c->old != NULL && !(c->req->attrs & EFI_VARIABLE_APPEND_WRITE) &&
	    !auth_time_after(&c->a.time, &c->old->time))
		return EFI_SECURITY_VIOLATION;
	st = auth2_signed_bytes(c->req, &c->a, &msg, &msg_len);
	if (st != EFI_SUCCESS)
		return st;
	switch (anchor) {
	case ANCHOR_PK:
		st = verify_pk(c, msg, msg_len);
		break;
	case ANCHOR_KEK:
		st = verify_kek(c, msg, msg_len);
		break;
	case ANCHOR_PRIV:
		st = verify_private(c, msg, msg_len);
		break;
	default:
		st = verify_payload(c, msg, msg_len);
		break;
	}
	free(msg);
	if (st != EFI_SUCCESS)
		return st;
	return siglist_check_format(&c->req->guid, c->req->name, c->req->name_size, c->a.payload,
	                            c->a.payload_len);
}

/* APPEND_WRITE to an existing variable: old ‖ new (minus entries already there for key lists). */
static efi_status append(struct auth_ctx *c, struct uv_update *up)
{
	const struct uv_var *old = c->old;
	size_t add = c->a.payload_len;
	uint8_t *buf = malloc(old->size + add + 1);

	if (buf == NULL)
		return EFI_OUT_OF_RESOURCES;
	if (old->size)
		memcpy(buf, old->data, old->size);
	if (sb_classify(&c->req->guid, c->req->name, c->req->name_size) == SB_KEK ||
	    sb_classify(&c->req->guid, c->req->name, c->req->name_size) == SB_DB)
		add = siglist_filter(old->data, old->size, c->a.payload, add, buf + old->size);
	else if (add)
		memcpy(buf + old->size, c->a.payload, add);
	/* edk2 UpdateVariable: the appended variable must still fit the per-variable limit. */
	if (c->req->name_size + old->size + add + UV_VAR_HEADER > c->uv->max_variable_size) {
		free(buf);
		return EFI_INVALID_PARAMETER;
	}
	c->res->scratch = buf;
	up->data = buf;
	up->size = old->size + add;
	/* edk2 UpdateVariable: an append keeps the later of the two times. */
	if (!auth_time_after(&c->a.time, &old->time))
		up->time = old->time;
	return EFI_SUCCESS;
}

efi_status auth_update(struct auth_ctx *c)
{
	struct uv_update up;
	bool appending = (c->req->attrs & EFI_VARIABLE_APPEND_WRITE) != 0;
	efi_status st;

	memset(&up, 0, sizeof(up));
	up.guid = c->req->guid;
	up.name = c->req->name;
	up.name_size = c->req->name_size;
	up.attrs = c->req->attrs & ~EFI_VARIABLE_APPEND_WRITE;
	up.time = c->a.time;
	up.has_digest = c->has_digest;
	memcpy(up.digest, c->digest, 32);
	c->del = false;
	if (c->a.payload_len == 0 && !appending) {
		if (c->old == NULL)
			return EFI_NOT_FOUND;
		up.op = UV_DELETE;
		c->del = true;
		return auth_result_add(c->res, &up);
	}
	up.op = UV_WRITE;
	if (appending && c->old != NULL) {
		st = append(c, &up);
		if (st != EFI_SUCCESS)
			return st;
	} else if (c->a.payload_len == 0) {
		return EFI_SUCCESS; /* appending nothing to nothing: no variable to create */
	} else {
		up.data = c->a.payload;
		up.size = c->a.payload_len;
	}
	return auth_result_add(c->res, &up);
}
