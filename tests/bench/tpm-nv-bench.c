/*
 * tpm-nv-bench: TPM2_PCR_Extend and TPM2_NV_Increment per command on one
 * persistent connection per target (swtpm data-port protocol), targets side
 * by side in one run, rounds rotating between them (as tpm-cmd-bench).
 * NV_Increment changes the permanent state, so on the vtpm it costs one
 * storaged commit; PCR_Extend changes only volatile state: no commit. Each
 * target gets TPM2_Startup, then an NV counter (0x01500030, owner
 * read/write; an existing one is reused). Every answer must succeed.
 *
 * Usage: tpm-nv-bench [-n N] [-r R] NAME=PORT...
 * Prints "BENCH name=tpm_nv target=NAME cmd=pcr_extend|nv_increment
 * median_ns=M rounds=R n=N" lines.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench_tpm.h"
#include "bench_time.h"

#define MAX_TARGETS 4
#define PW_SESSION 0, 0, 0, 0x09, 0x40, 0, 0, 0x09, 0, 0, 0, 0, 0 /* size 9, TPM_RS_PW, empty */

static const uint8_t extend[] = {
    0x80, 0x02, 0,    0,    0,          0x41, 0,    0,    0x01, 0x82, /* TPM_CC_PCR_Extend, 65 bytes
                                                                       */
    0,    0,    0,    0x10, PW_SESSION, 0,    0,    0,    0x01, 0,    0x0b, /* PCR 16, one SHA-256
                                                                               digest */
    0xab, 0xab, 0xab, 0xab, 0xab,       0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab,
    0xab, 0xab, 0xab, 0xab, 0xab,       0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab,
    0xab, 0xab, 0xab, 0xab, 0xab,       0xab, 0xab, 0xab,
};
static const uint8_t define[] = {
    0x80, 0x02, 0,    0,    0,          0x2d, 0, 0,    0x01,
    0x2a,                                              /* TPM_CC_NV_DefineSpace, 45 bytes */
    0x40, 0,    0,    0x01, PW_SESSION, 0,    0,       /* TPM_RH_OWNER, session, empty auth */
    0,    0x0e, 0x01, 0x50, 0,          0x30, 0, 0x0b, /* TPM2B_NV_PUBLIC: index, SHA-256 */
    0,    0x02, 0,    0x12, 0,          0,    0, 0x08, /* OWNERREAD|OWNERWRITE|NT_COUNTER; no
                                                          policy; 8 */
};
static const uint8_t increment[] = {
    0x80, 0x02, 0, 0,    0,    0x1f, 0, 0,    0x01,       0x34, /* TPM_CC_NV_Increment, 31 bytes */
    0x40, 0,    0, 0x01, 0x01, 0x50, 0, 0x30, PW_SESSION,
};


/* One command (raw framing); returns the response code, or -1 on a broken connection. */
static long tpm_cmd(int fd, const uint8_t *cmd, uint32_t len)
{
	uint8_t rsp[4096];
	if (bench_tpm_cmd(fd, 0, cmd, len, rsp, sizeof(rsp)) < 0)
		return -1;
	return (long)be32(rsp + 6);
}


int main(int argc, char **argv)
{
	static const char *const cmd_name[2] = {"pcr_extend", "nv_increment"};
	const char *name[MAX_TARGETS];
	int fd[MAX_TARGETS], n = 200, rounds = 5, nt = 0, opt;
	uint64_t *med[MAX_TARGETS][2];
	while ((opt = getopt(argc, argv, "n:r:")) != -1) {
		if (opt == 'n')
			n = atoi(optarg);
		else if (opt == 'r')
			rounds = atoi(optarg);
		else
			goto usage;
	}
	if (n < 1 || rounds < 1 || optind >= argc || argc - optind > MAX_TARGETS)
		goto usage;
	for (int i = optind; i < argc; i++, nt++) {
		char *eq = strchr(argv[i], '=');
		if (eq == NULL)
			goto usage;
		*eq = '\0';
		name[nt] = argv[i];
		fd[nt] = bench_connect(atoi(eq + 1));
		long rc = fd[nt] < 0 ? -1 : tpm_cmd(fd[nt], tpm_startup, sizeof(tpm_startup));
		rc = rc < 0 ? rc : tpm_cmd(fd[nt], define, sizeof(define));
		if (rc != 0 && rc != 0x14c) { /* 0x14c: TPM_RC_NV_DEFINED, from an earlier run */
			fprintf(stderr, "tpm-nv-bench: %s: set-up failed (rc %ld)\n", name[nt], rc);
			return 1;
		}
		for (int c = 0; c < 2; c++)
			med[nt][c] = calloc((size_t)rounds, sizeof(uint64_t));
	}
	uint64_t *samples = calloc((size_t)n, sizeof(uint64_t));
	for (int r = 0; r < rounds; r++)
		for (int k = 0; k < nt; k++) {
			int i = (k + r) % nt;
			for (int c = 0; c < 2; c++) {
				const uint8_t *cmd = c ? increment : extend;
				uint32_t len = c ? sizeof(increment) : sizeof(extend);
				for (int j = 0; j < n; j++) {
					uint64_t t0 = now_ns();
					long rc = tpm_cmd(fd[i], cmd, len);
					samples[j] = now_ns() - t0;
					if (rc != 0) {
						fprintf(stderr,
						        "tpm-nv-bench: %s: %s failed (rc %ld)\n",
						        name[i], cmd_name[c], rc);
						return 1;
					}
				}
				med[i][c][r] = median(samples, n);
			}
		}
	for (int i = 0; i < nt; i++)
		for (int c = 0; c < 2; c++)
			printf("BENCH name=tpm_nv target=%s cmd=%s median_ns=%llu rounds=%d n=%d\n",
			       name[i], cmd_name[c], (unsigned long long)median(med[i][c], rounds),
			       rounds, n);
	return 0;
usage:
	fprintf(stderr, "usage: tpm-nv-bench [-n N] [-r R] NAME=PORT...\n");
	return 2;
}
