/*
 * tpm-smoke: libtpms (TPM 2.0) + OpenSSL's libcrypto running as a Keel task.
 * Runs TPM2_Startup(SU_CLEAR), four TPM2_GetRandom(32) and an RSA-2048
 * TPM2_CreatePrimary in the owner hierarchy, checks every response code and
 * size, and exits 0 only if all three answered as the spec says
 * (TPM 2.0 Part 3: Startup 9.3, GetRandom 16.1, CreatePrimary 24.1).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libtpms/tpm_error.h>
#include <libtpms/tpm_library.h>

#include "nvram.h"

#define TPM_ST_NO_SESSIONS 0x8001u
#define TPM_ST_SESSIONS 0x8002u
#define TPM_CC_Startup 0x144u
#define TPM_CC_GetRandom 0x17Bu
#define TPM_CC_CreatePrimary 0x131u
#define TPM_SU_CLEAR 0x0000u
#define TPM_RH_OWNER 0x40000001u
#define TPM_RS_PW 0x40000009u
#define TPM_ALG_RSA 0x0001u
#define TPM_ALG_SHA256 0x000Bu
#define TPM_ALG_AES 0x0006u
#define TPM_ALG_CFB 0x0043u
#define TPM_ALG_NULL 0x0010u
#define TPM_RC_SUCCESS 0u
#define HDR_LEN 10u

struct cmd {
	unsigned char b[512];
	size_t n;
};

static void put16(struct cmd *c, uint16_t v)
{
	c->b[c->n++] = (unsigned char)(v >> 8);
	c->b[c->n++] = (unsigned char)v;
}

static void put32(struct cmd *c, uint32_t v)
{
	put16(c, (uint16_t)(v >> 16));
	put16(c, (uint16_t)v);
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t get32(const unsigned char *p)
{
	return ((uint32_t)get16(p) << 16) | get16(p + 2);
}

/* Header with a placeholder size, patched by cmd_finish. */
static void cmd_begin(struct cmd *c, uint16_t tag, uint32_t cc)
{
	c->n = 0;
	put16(c, tag);
	put32(c, 0);
	put32(c, cc);
}

static void cmd_finish(struct cmd *c)
{
	uint32_t n = (uint32_t)c->n;
	c->b[2] = (unsigned char)(n >> 24);
	c->b[3] = (unsigned char)(n >> 16);
	c->b[4] = (unsigned char)(n >> 8);
	c->b[5] = (unsigned char)n;
}

/*
 * Sends `c`, checks the response header (tag, size matches, rc == SUCCESS)
 * and returns the response in *rsp (malloc'd by libtpms; caller frees).
 */
static int tpm_exec(const char *what, struct cmd *c, unsigned char **rsp, uint32_t *rsp_len)
{
	uint32_t cap = 0;
	*rsp = NULL;
	*rsp_len = 0;
	cmd_finish(c);
	TPM_RESULT r = TPMLIB_Process(rsp, rsp_len, &cap, c->b, (uint32_t)c->n);
	if (r != TPM_SUCCESS || *rsp == NULL) {
		printf("tpm-smoke: %s: TPMLIB_Process failed 0x%x\n", what, (unsigned)r);
		return -1;
	}
	if (*rsp_len < HDR_LEN || *rsp_len > cap || get32(*rsp + 2) != *rsp_len) {
		printf("tpm-smoke: %s: bad response size %u (cap %u)\n", what, (unsigned)*rsp_len,
		       (unsigned)cap);
		return -1;
	}
	uint32_t rc = get32(*rsp + 6);
	if (rc != TPM_RC_SUCCESS) {
		printf("tpm-smoke: %s: rc=0x%03x\n", what, (unsigned)rc);
		return -1;
	}
	printf("tpm-smoke: %s: rc=TPM_RC_SUCCESS, %u response bytes\n", what, (unsigned)*rsp_len);
	return 0;
}

static int do_startup(void)
{
	struct cmd c;
	unsigned char *rsp;
	uint32_t len;
	cmd_begin(&c, TPM_ST_NO_SESSIONS, TPM_CC_Startup);
	put16(&c, TPM_SU_CLEAR);
	int r = tpm_exec("TPM2_Startup(SU_CLEAR)", &c, &rsp, &len);
	if (r == 0 && len != HDR_LEN) {
		printf("tpm-smoke: Startup: expected %u bytes, got %u\n", HDR_LEN, (unsigned)len);
		r = -1;
	}
	free(rsp);
	return r;
}

/*
 * Four TPM2_GetRandom(32): each answer printed ("GetRandom bytes: HEX", the
 * scripts compare them across boots and with the hosted run), no two alike,
 * and the 1024 bits within 6 sigma (96) of half ones.
 */
static int do_get_random(void)
{
	unsigned char got[4][32];
	unsigned ones = 0;
	int r = 0;
	for (int k = 0; k < 4 && r == 0; k++) {
		struct cmd c;
		unsigned char *rsp;
		uint32_t len;
		cmd_begin(&c, TPM_ST_NO_SESSIONS, TPM_CC_GetRandom);
		put16(&c, 32);
		r = tpm_exec("TPM2_GetRandom(32)", &c, &rsp, &len);
		if (r == 0 && (len != HDR_LEN + 2 + 32 || get16(rsp + HDR_LEN) != 32)) {
			printf("tpm-smoke: GetRandom: bad size %u\n", (unsigned)len);
			r = -1;
		}
		if (r == 0) {
			char hex[65];
			memcpy(got[k], rsp + HDR_LEN + 2, 32);
			for (int i = 0; i < 32; i++) {
				snprintf(hex + 2 * i, 3, "%02x", got[k][i]);
				ones += (unsigned)__builtin_popcount(got[k][i]);
			}
			printf("tpm-smoke: GetRandom bytes: %s\n", hex);
			for (int j = 0; j < k; j++)
				if (memcmp(got[j], got[k], 32) == 0) {
					printf("tpm-smoke: GetRandom answers %d and %d are the same\n", j, k);
					r = -1;
				}
		}
		free(rsp);
	}
	if (r == 0) {
		printf("tpm-smoke: GetRandom: %u of 1024 bits set\n", ones);
		if (ones < 512 - 96 || ones > 512 + 96) {
			printf("tpm-smoke: GetRandom: bit balance off\n");
			r = -1;
		}
	}
	return r;
}

/* TPMT_PUBLIC for an RSA-2048 restricted decryption (storage) key. */
static void put_rsa_template(struct cmd *c)
{
	put16(c, 26); /* TPM2B_PUBLIC.size */
	put16(c, TPM_ALG_RSA);
	put16(c, TPM_ALG_SHA256);
	/* fixedTPM | fixedParent | sensitiveDataOrigin | userWithAuth | restricted | decrypt */
	put32(c, 0x00030072u);
	put16(c, 0); /* authPolicy */
	put16(c, TPM_ALG_AES);
	put16(c, 128);
	put16(c, TPM_ALG_CFB);
	put16(c, TPM_ALG_NULL); /* scheme */
	put16(c, 2048);         /* keyBits */
	put32(c, 0);            /* exponent: default 65537 */
	put16(c, 0);            /* unique.rsa */
}

static int do_create_primary(void)
{
	struct cmd c;
	unsigned char *rsp;
	uint32_t len;
	cmd_begin(&c, TPM_ST_SESSIONS, TPM_CC_CreatePrimary);
	put32(&c, TPM_RH_OWNER);
	put32(&c, 9); /* authorization area: one empty password session */
	put32(&c, TPM_RS_PW);
	put16(&c, 0);
	c.b[c.n++] = 0;
	put16(&c, 0);
	put16(&c, 4); /* inSensitive: empty userAuth, empty data */
	put16(&c, 0);
	put16(&c, 0);
	put_rsa_template(&c);
	put16(&c, 0); /* outsideInfo */
	put32(&c, 0); /* creationPCR: no selections */
	int r = tpm_exec("TPM2_CreatePrimary(RSA-2048, owner)", &c, &rsp, &len);
	/* handle(4) parameterSize(4) outPublic.size(2) then TPMT_PUBLIC: unique.size at +24 */
	const uint32_t mod_off = HDR_LEN + 4 + 4 + 2 + 24;
	if (r == 0 && len < mod_off + 2 + 256) {
		printf("tpm-smoke: CreatePrimary: response too short (%u)\n", (unsigned)len);
		r = -1;
	}
	if (r == 0) {
		uint32_t handle = get32(rsp + HDR_LEN);
		uint16_t mod_len = get16(rsp + mod_off);
		printf("tpm-smoke: CreatePrimary handle=0x%08x modulus=%u bytes\n", (unsigned)handle,
		       (unsigned)mod_len);
		if ((handle & 0xff000000u) != 0x80000000u || mod_len != 256)
			r = -1;
	}
	free(rsp);
	return r;
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("tpm-smoke: libtpms %06x\n", (unsigned)TPMLIB_GetVersion());
	if (nvram_register() != 0 || TPMLIB_ChooseTPMVersion(TPMLIB_TPM_VERSION_2) != TPM_SUCCESS) {
		printf("tpm-smoke: libtpms setup failed\n");
		return 1;
	}
	TPM_RESULT r = TPMLIB_MainInit();
	if (r != TPM_SUCCESS) {
		printf("tpm-smoke: TPMLIB_MainInit failed 0x%x\n", (unsigned)r);
		return 1;
	}
	int bad = 0;
	bad |= do_startup() != 0;
	bad |= !bad && do_get_random() != 0;
	bad |= !bad && do_create_primary() != 0;
	printf("tpm-smoke: nvram holds %zu bytes\n", nvram_bytes());
	TPMLIB_Terminate();
	printf("tpm-smoke: %s\n", bad ? "FAILED" : "all commands succeeded");
	return bad ? 1 : 0;
}
