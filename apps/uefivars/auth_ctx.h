/*
 * One authenticated SetVariable in progress, shared by the policy
 * (auth_set.c: who may write what) and the mechanics (auth_verify.c:
 * descriptor, signature, the resulting changes).
 */
#ifndef UEFIVARS_AUTH_CTX_H
#define UEFIVARS_AUTH_CTX_H

#include "auth.h"

/* Whose certificate must have signed the write (edk2 AUTHVAR_TYPE). */
enum auth_anchor {
	ANCHOR_PK,      /* AuthVarTypePk: the current PK's certificate */
	ANCHOR_KEK,     /* AuthVarTypeKek: any X.509 entry of KEK */
	ANCHOR_PRIV,    /* AuthVarTypePriv: the signer the variable was pinned to */
	ANCHOR_PAYLOAD, /* AuthVarTypePayload: the certificate in the new PK itself */
};

struct auth_ctx {
	struct uefivars *uv;
	const struct uv_set_req *req;
	struct uv_var *old; /* the stored variable, or NULL */
	struct auth2 a;     /* valid when req->attrs has TIME_BASED */
	struct auth_result *res;
	bool del;        /* out: the write deleted the variable */
	bool has_digest; /* private variables: the pinned signer */
	uint8_t digest[32];
};

/* VerifyTimeBasedPayload: descriptor checks, replay, signature, payload format. */
efi_status auth_verify(struct auth_ctx *c, enum auth_anchor anchor);
/* The variable's own change into c->res (replace, append, delete); sets c->del. */
efi_status auth_update(struct auth_ctx *c);

#endif
