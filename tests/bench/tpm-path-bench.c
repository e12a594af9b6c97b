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

#include "bench_tpm.h"
#include "bench_time.h"

static uint8_t extend[TPM_EXTEND_LEN];

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

/* Through keel-hosted's TPM simulator port. */
static int keel_run(int fd, const uint8_t *cmd, uint32_t len, uint32_t *rc)
{
	uint8_t rsp[4096 + 8];
	if (bench_tpm_cmd(fd, 1, cmd, len, rsp, sizeof(rsp)) < 0)
		return -1;
	*rc = rc_of(rsp);
	return 0;
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
	bench_extend_init(extend);
	if (nvram_register() || TPMLIB_ChooseTPMVersion(TPMLIB_TPM_VERSION_2) != TPM_SUCCESS ||
	    TPMLIB_MainInit() != TPM_SUCCESS || direct_run(tpm_startup, sizeof(tpm_startup), &rc)) {
		fprintf(stderr, "tpm-path-bench: libtpms start failed\n");
		return 1;
	}
	fd = bench_connect(atoi(argv[1]));
	if (fd < 0 || keel_run(fd, tpm_startup, sizeof(tpm_startup), &rc)) {
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
