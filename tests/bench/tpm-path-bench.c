/*
 * tpm-path-bench: what Keel's hosted path adds to a TPM command. Times
 * TPM2_PCR_Extend (PCR 16, SHA-256, password session) N times each way:
 *   direct  TPMLIB_Process in this process (libtpms, in-memory NV)
 *   keel    TPM_SEND_COMMAND over TCP to keel-hosted's mssim front end, which
 *           routes it as an SVSM_VTPM_CMD call to the vtpm task
 * and prints the medians and their ratio as "BENCH name=... " lines.
 * Usage: tpm-path-bench PORT [N]   (keel-hosted already listening on PORT)
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libtpms/tpm_error.h>
#include <libtpms/tpm_library.h>

#include "nvram.h"

#include "bench_io.h"
#include "bench_time.h"

static const uint8_t startup[] = {0x80, 0x01, 0, 0, 0, 0x0c, 0, 0, 0x01, 0x44, 0, 0};
static const uint8_t extend_head[] = {
	0x80, 0x02, 0, 0, 0, 0x41, 0, 0, 0x01, 0x82, /* TPM_ST_SESSIONS, size 65, TPM_CC_PCR_Extend */
	0, 0, 0, 0x10,                               /* PCR 16 */
	0, 0, 0, 0x09, 0x40, 0, 0, 0x09, 0, 0, 0, 0, 0, /* TPM_RS_PW, empty nonce/attrs/hmac */
	0, 0, 0, 0x01, 0, 0x0b,                      /* one digest, TPM_ALG_SHA256 */
};
static uint8_t extend[65];

static uint32_t rc_of(const uint8_t *rsp) { return (uint32_t)rsp[6] << 24 | rsp[7] << 16 | rsp[8] << 8 | rsp[9]; }

static int direct_run(const uint8_t *cmd, uint32_t len, uint32_t *rc)
{
	static unsigned char *rsp;
	static uint32_t cap;
	uint32_t rsp_len = 0;
	if (TPMLIB_Process(&rsp, &rsp_len, &cap, (unsigned char *)cmd, len) != TPM_SUCCESS || rsp_len < 10)
		return -1;
	*rc = rc_of(rsp);
	return 0;
}

static int keel_run(int fd, const uint8_t *cmd, uint32_t len, uint32_t *rc)
{
	uint8_t hdr[9] = {0, 0, 0, 8, 0}, rsp[4096 + 8], sz[4];
	uint32_t n;
	hdr[5] = (uint8_t)(len >> 24), hdr[6] = (uint8_t)(len >> 16), hdr[7] = (uint8_t)(len >> 8);
	hdr[8] = (uint8_t)len;
	if (full_io(fd, hdr, 9, 1) || full_io(fd, (void *)cmd, len, 1) || full_io(fd, sz, 4, 0))
		return -1;
	n = (uint32_t)sz[0] << 24 | sz[1] << 16 | sz[2] << 8 | sz[3];
	if (n < 10 || n > 4096 || full_io(fd, rsp, n + 4, 0))
		return -1;
	*rc = rc_of(rsp);
	return 0;
}

static int connect_port(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 2000, i, fd;
	uint64_t *d = calloc((size_t)n, 8), *k = calloc((size_t)n, 8), md, mk;
	uint32_t rc = 0;
	if (argc < 2 || n < 1 || !d || !k) {
		fprintf(stderr, "usage: tpm-path-bench PORT [N]\n");
		return 2;
	}
	memcpy(extend, extend_head, sizeof(extend_head));
	memset(extend + sizeof(extend_head), 0xab, 32);
	if (nvram_register() || TPMLIB_ChooseTPMVersion(TPMLIB_TPM_VERSION_2) != TPM_SUCCESS ||
	    TPMLIB_MainInit() != TPM_SUCCESS || direct_run(startup, sizeof(startup), &rc)) {
		fprintf(stderr, "tpm-path-bench: libtpms start failed\n");
		return 1;
	}
	fd = connect_port(atoi(argv[1]));
	if (fd < 0 || keel_run(fd, startup, sizeof(startup), &rc)) {
		fprintf(stderr, "tpm-path-bench: keel-hosted on port %s: no answer\n", argv[1]);
		return 1;
	}
	for (i = 0; i < n; i++) { /* interleaved, so both see the same machine load */
		uint64_t t0 = now_ns(), t1, t2;
		if (direct_run(extend, sizeof(extend), &rc) || rc) {
			fprintf(stderr, "tpm-path-bench: direct PCR_Extend failed (rc 0x%x)\n", rc);
			return 1;
		}
		t1 = now_ns();
		if (keel_run(fd, extend, sizeof(extend), &rc) || rc) {
			fprintf(stderr, "tpm-path-bench: keel PCR_Extend failed (rc 0x%x)\n", rc);
			return 1;
		}
		t2 = now_ns();
		d[i] = t1 - t0;
		k[i] = t2 - t1;
	}
	md = median(d, n);
	mk = median(k, n);
	printf("BENCH name=pcr_extend_direct median_ns=%llu n=%d\n", (unsigned long long)md, n);
	printf("BENCH name=pcr_extend_keel median_ns=%llu n=%d\n", (unsigned long long)mk, n);
	printf("BENCH name=pcr_extend_path_cost median_ns=%lld ratio_keel_direct=%.2f\n",
	       (long long)mk - (long long)md, (double)mk / (double)md);
	close(fd);
	TPMLIB_Terminate();
	return 0;
}
