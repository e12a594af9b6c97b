/*
 * vtpm-client [MODE]: drives the vtpm over its router handle the way the
 * kernel router (or a hosted front end) does, and prints one line per
 * check ("vtpm-client: ok|not ok NAME") and a summary. Exits 1 on any
 * failed check. MODE "first" (default) also checks the SVSM error
 * statuses and platform signals; "again" is a restart with stored state.
 * Every run prints the EK certificate's SHA-256 so a test can compare runs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>
#include <openssl/x509.h>

#include <keel/svsm.h>
#include <keel/syscall.h>

#include "../../../apps/vtpm/ek.h"
#include "../../../apps/vtpm/ekcert.h"
#include "../../../apps/vtpm/marshal.h"
#include "../../../apps/vtpm/tpm_const.h"
#include "../../../apps/vtpm/vtpm_protocol.h"
#include "call.h"

#define TPM_CC_GetRandom 0x17Bu
#define TPM_CC_NV_Read 0x14Eu
#define TPM_RC_INITIALIZE_ 0x100u

static int passed, failed;
static uint8_t cmd[4096];

static void check(int ok, const char *name)
{
	printf("vtpm-client: %s %s\n", ok ? "ok" : "not ok", name);
	ok ? passed++ : failed++;
}

static uint32_t run(struct tpm_wbuf *w, struct tpm_rbuf *r)
{
	const uint8_t *rsp = NULL;
	uint32_t len = 0;
	size_t n = tpm_w_finish(w);
	uint32_t rc = n ? vc_tpm(cmd, n, &rsp, &len) : 0xffffffffu;
	if (rc == 0xffffffffu)
		return rc;
	return tpm_r_response(r, rsp, len);
}

static uint32_t startup(void)
{
	struct tpm_wbuf w;
	struct tpm_rbuf r;
	tpm_w_init(&w, cmd, sizeof(cmd));
	tpm_w_command(&w, TPM_ST_NO_SESSIONS, TPM_CC_Startup);
	tpm_w_u16(&w, TPM_SU_CLEAR);
	return run(&w, &r);
}

static int get_random(void)
{
	struct tpm_wbuf w;
	struct tpm_rbuf r;
	uint16_t n;
	tpm_w_init(&w, cmd, sizeof(cmd));
	tpm_w_command(&w, TPM_ST_NO_SESSIONS, TPM_CC_GetRandom);
	tpm_w_u16(&w, 32);
	return run(&w, &r) == 0 && tpm_r_tpm2b(&r, &n) != NULL && n == 32 ? 0 : -1;
}

/* Reads a whole NV index (AUTHREAD, empty auth) into a malloc'd buffer. */
static uint8_t *nv_read(uint32_t index, size_t *len)
{
	struct tpm_wbuf w;
	struct tpm_rbuf r;
	uint16_t n;
	tpm_w_init(&w, cmd, sizeof(cmd));
	tpm_w_command(&w, TPM_ST_NO_SESSIONS, TPM_CC_NV_ReadPublic);
	tpm_w_u32(&w, index);
	if (run(&w, &r) != 0)
		return NULL;
	(void)tpm_r_u16(&r); /* TPM2B_NV_PUBLIC size */
	(void)tpm_r_u32(&r);
	(void)tpm_r_u16(&r);
	(void)tpm_r_u32(&r);
	(void)tpm_r_tpm2b(&r, &n);
	size_t size = tpm_r_u16(&r);
	uint8_t *out = r.bad || size == 0 ? NULL : malloc(size);
	for (size_t off = 0; out != NULL && off < size;) {
		size_t want = size - off < 512 ? size - off : 512;
		tpm_w_init(&w, cmd, sizeof(cmd));
		tpm_w_command(&w, TPM_ST_SESSIONS, TPM_CC_NV_Read);
		tpm_w_u32(&w, index);
		tpm_w_u32(&w, index);
		tpm_w_pw_session(&w);
		tpm_w_u16(&w, (uint16_t)want);
		tpm_w_u16(&w, (uint16_t)off);
		const uint8_t *p = NULL;
		if (run(&w, &r) == 0) {
			(void)tpm_r_u32(&r);
			p = tpm_r_tpm2b(&r, &n);
		}
		if (p == NULL || n != want) {
			free(out);
			return NULL;
		}
		memcpy(out + off, p, n);
		off += n;
	}
	*len = size;
	return out;
}

/* The EK as tpm2_createek makes it: CreatePrimary with the profile template. */
static EVP_PKEY *create_ek(enum vtpm_ek_kind kind)
{
	struct tpm_wbuf w;
	struct tpm_rbuf r;
	struct vtpm_ek_pub pub;
	uint16_t n;
	tpm_w_init(&w, cmd, sizeof(cmd));
	tpm_w_command(&w, TPM_ST_SESSIONS, TPM_CC_CreatePrimary);
	tpm_w_u32(&w, TPM_RH_ENDORSEMENT);
	tpm_w_pw_session(&w);
	tpm_w_u16(&w, 4);
	tpm_w_u16(&w, 0);
	tpm_w_u16(&w, 0);
	vtpm_ek_template(&w, kind);
	tpm_w_u16(&w, 0);
	tpm_w_u32(&w, 0);
	if (run(&w, &r) != 0)
		return NULL;
	uint32_t handle = tpm_r_u32(&r);
	(void)tpm_r_u32(&r);
	const uint8_t *p = tpm_r_tpm2b(&r, &n);
	EVP_PKEY *pk = p && vtpm_ek_public_parse(p, n, kind, &pub) == 0 ? vtpm_ek_pkey(&pub) : NULL;
	tpm_w_init(&w, cmd, sizeof(cmd));
	tpm_w_command(&w, TPM_ST_NO_SESSIONS, TPM_CC_FlushContext);
	tpm_w_u32(&w, handle);
	(void)run(&w, &r);
	return pk;
}

/* EK cert in NV: parses, is signed by the CA in NV 0x01c00100, holds the EK. */
static void check_ek_cert(const char *what, uint32_t index, enum vtpm_ek_kind kind, X509 *ca)
{
	char name[96], hex[65];
	uint8_t digest[32];
	size_t len = 0;
	uint8_t *der = nv_read(index, &len);
	const unsigned char *p = der;
	X509 *cert = der ? d2i_X509(NULL, &p, (long)len) : NULL;
	snprintf(name, sizeof(name), "%s EK certificate read from NV and parsed", what);
	check(cert != NULL, name);
	EVP_PKEY *ca_key = ca ? X509_get0_pubkey(ca) : NULL;
	snprintf(name, sizeof(name), "%s EK certificate verifies with the NV CA certificate", what);
	check(cert && ca_key && X509_verify(cert, ca_key) == 1, name);
	EVP_PKEY *ek = create_ek(kind);
	snprintf(name, sizeof(name), "%s EK from CreatePrimary matches the certificate", what);
	check(cert && ek && EVP_PKEY_eq(X509_get0_pubkey(cert), ek) == 1, name);
	if (der != NULL) {
		SHA256(der, len, digest);
		for (int i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", digest[i]);
		printf("vtpm-client: %s EK certificate sha256 %s\n", what, hex);
	}
	EVP_PKEY_free(ek);
	X509_free(cert);
	free(der);
}

static void check_protocol_errors(void)
{
	struct vc_result r;
	uint8_t bad[16] = {0};
	uint32_t op = 0;
	check(vc_svsm(SVSM_VTPM_QUERY, NULL, 0, &r) == 0 && r.rax == SVSM_SUCCESS &&
		      r.rcx == 0x100 && r.rdx == 0,
	      "SVSM_VTPM_QUERY: success, rcx 0x100, rdx 0");
	check(vc_svsm(7, NULL, 0, &r) == 0 && r.rax == SVSM_ERR_UNSUPPORTED_CALL,
	      "unknown call 7: SVSM_ERR_UNSUPPORTED_CALL");
	check(vc_page(9, 0, 10, 4096) == SVSM_ERR_INVALID_PARAMETER,
	      "platform command 9: SVSM_ERR_INVALID_PARAMETER");
	check(vc_page(8, 1, 10, 4096) == SVSM_ERR_INVALID_PARAMETER,
	      "locality 1: SVSM_ERR_INVALID_PARAMETER");
	check(vc_page(8, 0, 4088, 4096) == SVSM_ERR_INVALID_PARAMETER,
	      "size past the page: SVSM_ERR_INVALID_PARAMETER");
	check(vc_page(8, 0, 10, 100) == SVSM_ERR_INVALID_PARAMETER,
	      "buffer shorter than a page: SVSM_ERR_INVALID_PARAMETER");
	bad[0] = KEEL_OP_SVSM_CALL;
	bad[4] = 200; /* len says 200 payload bytes, 8 follow */
	check(vc_raw(bad, sizeof(bad), &op) > 0 && op == KEEL_OP_ERROR,
	      "malformed message: KEEL_OP_ERROR reply");
}

static void check_power(void)
{
	const uint8_t *rsp;
	uint32_t len;
	check(vc_signal(VTPM_SIGNAL_RESET) == 0 && startup() == 0 && get_random() == 0,
	      "RESET signal, then Startup(CLEAR) and GetRandom work");
	check(vc_signal(VTPM_SIGNAL_POWER_OFF) == 0, "POWER_OFF signal");
	cmd[0] = 0x80, cmd[1] = 0x01, cmd[2] = cmd[3] = cmd[4] = 0, cmd[5] = 12;
	cmd[6] = cmd[7] = 0, cmd[8] = 0x01, cmd[9] = 0x7b, cmd[10] = 0, cmd[11] = 8;
	check(vc_tpm(cmd, 12, &rsp, &len) == TPM_RC_FAILURE && len == 10,
	      "command while powered off: TPM_RC_FAILURE response");
	check(vc_signal(VTPM_SIGNAL_POWER_ON) == 0 && vc_signal(VTPM_SIGNAL_NV_ON) == 0,
	      "POWER_ON and NV_ON signals");
	check(get_random() != 0, "after power on, commands need Startup (TPM_RC_INITIALIZE)");
	check(startup() == 0 && get_random() == 0, "Startup(CLEAR) after POWER_ON");
	check(vc_signal(99) != 0, "unknown signal is refused");
}

int main(int argc, char **argv)
{
	int first = argc < 2 || strcmp(argv[1], "again") != 0;
	size_t len = 0;
	if (first)
		check_protocol_errors();
	check(startup() == 0, "TPM2_Startup(CLEAR)");
	check(get_random() == 0, "TPM2_GetRandom(32)");
	uint8_t *ca_der = nv_read(VTPM_EK_CA_CERT_NV, &len);
	const unsigned char *p = ca_der;
	X509 *ca = ca_der ? d2i_X509(NULL, &p, (long)len) : NULL;
	check(ca != NULL, "EK CA certificate in NV 0x01c00100");
	check_ek_cert("RSA-2048", VTPM_EK_CERT_NV_RSA, VTPM_EK_RSA2048, ca);
	check_ek_cert("ECC P-256", VTPM_EK_CERT_NV_ECC, VTPM_EK_ECC_P256, ca);
	if (first)
		check_power();
	X509_free(ca);
	free(ca_der);
	printf("vtpm-client: %d checks, %d passed, %d failed\n", passed + failed, passed, failed);
	return failed ? 1 : 0;
}
