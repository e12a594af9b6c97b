/* First-start provisioning (provision.h): TPM commands marshalled by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek.h"
#include "ekcert.h"
#include "marshal.h"
#include "provision.h"
#include "state.h"
#include "tpm.h"
#include "tpm_const.h"

#define BUF 4096u
#define NV_CHUNK 768u /* below every TPM's MAX_NV_BUFFER_SIZE */

/* swtpm_setup's EK certificate attributes: platform-written, then locked. */
#define EK_CERT_NV_ATTRS                                                                          \
	(TPMA_NV_PPWRITE | TPMA_NV_WRITEDEFINE | TPMA_NV_PPREAD | TPMA_NV_OWNERREAD |            \
	 TPMA_NV_AUTHREAD | TPMA_NV_NO_DA | TPMA_NV_PLATFORMCREATE)

static uint8_t cmd[BUF], rsp[BUF];

/* Runs the command in w; returns the response code (r positioned after the header). */
static uint32_t run(const char *what, struct tpm_wbuf *w, struct tpm_rbuf *r)
{
	uint32_t rsp_len = 0;
	size_t n = tpm_w_finish(w);
	if (n == 0) {
		printf("vtpm: provisioning: %s does not fit\n", what);
		return TPM_R_MALFORMED;
	}
	vtpm_tpm_execute(cmd, (uint32_t)n, rsp, sizeof(rsp), &rsp_len);
	uint32_t rc = tpm_r_response(r, rsp, rsp_len);
	if (rc != TPM_RC_SUCCESS)
		printf("vtpm: provisioning: %s failed, rc 0x%x\n", what, (unsigned)rc);
	return rc;
}

static int simple(const char *what, uint32_t cc, uint16_t su)
{
	struct tpm_wbuf w;
	struct tpm_rbuf r;
	tpm_w_init(&w, cmd, sizeof(cmd));
	tpm_w_command(&w, TPM_ST_NO_SESSIONS, cc);
	tpm_w_u16(&w, su);
	return run(what, &w, &r) == TPM_RC_SUCCESS ? 0 : -1;
}

static int create_ek(enum vtpm_ek_kind kind, struct vtpm_ek_pub *pub)
{
	struct tpm_wbuf w;
	struct tpm_rbuf r;
	uint16_t plen;
	tpm_w_init(&w, cmd, sizeof(cmd));
	tpm_w_command(&w, TPM_ST_SESSIONS, TPM_CC_CreatePrimary);
	tpm_w_u32(&w, TPM_RH_ENDORSEMENT);
	tpm_w_pw_session(&w);
	tpm_w_u16(&w, 4); /* inSensitive: empty userAuth and data */
	tpm_w_u16(&w, 0);
	tpm_w_u16(&w, 0);
	vtpm_ek_template(&w, kind);
	tpm_w_u16(&w, 0); /* outsideInfo */
	tpm_w_u32(&w, 0); /* creationPCR: none */
	if (run("TPM2_CreatePrimary(EK)", &w, &r) != TPM_RC_SUCCESS)
		return -1;
	uint32_t handle = tpm_r_u32(&r);
	(void)tpm_r_u32(&r); /* parameterSize */
	const uint8_t *p = tpm_r_tpm2b(&r, &plen);
	if (p == NULL || vtpm_ek_public_parse(p, plen, kind, pub) != 0) {
		printf("vtpm: provisioning: the EK's public area is not the profile's\n");
		return -1;
	}
	tpm_w_command(&w, TPM_ST_NO_SESSIONS, TPM_CC_FlushContext);
	tpm_w_u32(&w, handle);
	return run("TPM2_FlushContext", &w, &r) == TPM_RC_SUCCESS ? 0 : -1;
}

static int nv_define(uint32_t index, size_t size)
{
	struct tpm_wbuf w;
	struct tpm_rbuf r;
	tpm_w_init(&w, cmd, sizeof(cmd));
	tpm_w_command(&w, TPM_ST_SESSIONS, TPM_CC_NV_DefineSpace);
	tpm_w_u32(&w, TPM_RH_PLATFORM);
	tpm_w_pw_session(&w);
	tpm_w_u16(&w, 0); /* auth: empty */
	size_t mark = tpm_w_size_begin(&w);
	tpm_w_u32(&w, index);
	tpm_w_u16(&w, TPM_ALG_SHA256);
	tpm_w_u32(&w, EK_CERT_NV_ATTRS);
	tpm_w_u16(&w, 0); /* authPolicy: empty */
	tpm_w_u16(&w, (uint16_t)size);
	tpm_w_size_end(&w, mark);
	return run("TPM2_NV_DefineSpace", &w, &r) == TPM_RC_SUCCESS ? 0 : -1;
}

/* Defines index, writes data in chunks, then write-locks it. */
static int nv_store(uint32_t index, const uint8_t *data, size_t len)
{
	struct tpm_wbuf w;
	struct tpm_rbuf r;
	if (len == 0 || len > 0xffffu || nv_define(index, len) != 0)
		return -1;
	for (size_t off = 0; off < len; off += NV_CHUNK) {
		size_t n = len - off < NV_CHUNK ? len - off : NV_CHUNK;
		tpm_w_init(&w, cmd, sizeof(cmd));
		tpm_w_command(&w, TPM_ST_SESSIONS, TPM_CC_NV_Write);
		tpm_w_u32(&w, TPM_RH_PLATFORM);
		tpm_w_u32(&w, index);
		tpm_w_pw_session(&w);
		tpm_w_tpm2b(&w, data + off, n);
		tpm_w_u16(&w, (uint16_t)off);
		if (run("TPM2_NV_Write", &w, &r) != TPM_RC_SUCCESS)
			return -1;
	}
	tpm_w_init(&w, cmd, sizeof(cmd));
	tpm_w_command(&w, TPM_ST_SESSIONS, TPM_CC_NV_WriteLock);
	tpm_w_u32(&w, TPM_RH_PLATFORM);
	tpm_w_u32(&w, index);
	tpm_w_pw_session(&w);
	return run("TPM2_NV_WriteLock", &w, &r) == TPM_RC_SUCCESS ? 0 : -1;
}

static int certify(const struct vtpm_ca *ca, enum vtpm_ek_kind kind, uint32_t index)
{
	struct vtpm_ek_pub pub;
	uint8_t *der = NULL;
	size_t len = 0;
	int r = create_ek(kind, &pub);
	r = r ? r : vtpm_ekcert_make(ca, &pub, &der, &len);
	r = r ? r : nv_store(index, der, len);
	/* Also a blob, so every start can log and export it without a TPM command. */
	r = r ? r : vtpm_state_store(kind == VTPM_EK_RSA2048 ? VTPM_EK_RSA_BLOB : VTPM_EK_ECC_BLOB,
				     der, len);
	if (r == 0)
		printf("vtpm: EK %s certificate (%zu bytes) in NV 0x%08x\n",
		       kind == VTPM_EK_RSA2048 ? "RSA-2048" : "ECC P-256", len, (unsigned)index);
	free(der);
	return r;
}

int vtpm_provision(void)
{
	struct vtpm_ca ca = {NULL, NULL};
	uint8_t *der = NULL;
	size_t len = 0;
	if (simple("TPM2_Startup(CLEAR)", TPM_CC_Startup, TPM_SU_CLEAR) != 0 ||
	    vtpm_ekca_obtain(&ca) != 0)
		return -1;
	int r = certify(&ca, VTPM_EK_RSA2048, VTPM_EK_CERT_NV_RSA);
	r = r ? r : certify(&ca, VTPM_EK_ECC_P256, VTPM_EK_CERT_NV_ECC);
	r = r ? r : vtpm_cert_der(ca.cert, &der, &len);
	vtpm_ekca_free(&ca); /* the CA key is no longer needed: wipe it now */
	r = r ? r : nv_store(VTPM_EK_CA_CERT_NV, der, len);
	free(der);
	r = r ? r : simple("TPM2_Shutdown(CLEAR)", TPM_CC_Shutdown, TPM_SU_CLEAR);
	return r;
}

int vtpm_manufacture(void)
{
	static const uint8_t done = 1;
	if (vtpm_provision() != 0) {
		vtpm_tpm_power_off();
		vtpm_state_abort(); /* nothing of it reaches the disk */
		printf("vtpm: provisioning failed; nothing stored, the TPM is off\n");
		return -1;
	}
	vtpm_tpm_power_off();
	if (vtpm_state_store(VTPM_PROVISIONED_BLOB, &done, sizeof(done)) != VTPM_STATE_OK) {
		vtpm_state_abort();
		return -1;
	}
	unsigned long stores = vtpm_tpm_stores();
	if (vtpm_state_commit() != VTPM_STATE_OK) {
		printf("vtpm: the manufactured TPM could not be committed; nothing stored, the TPM is off\n");
		return -1;
	}
	printf("vtpm: TPM manufactured and provisioned (%lu state stores, 1 commit)\n", stores);
	return 0;
}
