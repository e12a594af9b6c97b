/*
 * tpm-cmd-bench: TPM commands per command on one persistent connection per
 * target, targets side by side in one run. For each target it opens one TCP
 * connection to its data port and sends TPM2_Startup once (its answer is
 * not checked: a started TPM says TPM_RC_INITIALIZE); then, for R rounds,
 * every target in turn (the order rotates each round, so a burst of load on
 * a shared machine hits all of them) gets N TPM2_PCR_Extend (PCR 16, SHA-256,
 * password session) and N TPM2_GetRandom(32), each timed from the first
 * byte sent to the last byte of the answer. A round's figure is the median
 * of its N samples; a target's figure is the median over the rounds. Every
 * answer must be a whole, successful response (GetRandom: 32 bytes, not
 * the previous 32), or the run fails: a broken path gives no figure.
 *
 * Usage: tpm-cmd-bench [-n N] [-r R] [-g GAP_US] NAME=PROTO:PORT...
 *   PROTO swtpm: the command as is (swtpm's data port, keel-hosted
 *   --tpm-protocol swtpm); mssim: TPM_SEND_COMMAND framing (TPM simulator
 *   command port). GAP_US: pause between two targets' turns (default
 *   10000), longer than a --poll service's idle spin.
 * Prints "BENCH name=tpm_cmd target=NAME cmd=pcr_extend|get_random
 * median_ns=M rounds=R n=N min_round_ns=A max_round_ns=B" lines, then each
 * target's ratio to the last target given.
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

#include "bench_tpm.h"
#include "bench_time.h"

#define MAX_TARGETS 8

static const uint8_t getrandom[] = {0x80, 0x01, 0, 0, 0, 0x0c, 0, 0, 0x01, 0x7b, 0, 32};
static uint8_t extend[TPM_EXTEND_LEN];

struct target {
	const char *name;
	int mssim;
	int fd;
	uint8_t last_random[32];
	uint64_t *round_med[2]; /* [cmd][round] */
};


/* One command, answer into rsp[4096 + 8]; returns the response length or -1. */
static int tpm_cmd(struct target *t, const uint8_t *cmd, uint32_t len, uint8_t *rsp)
{
	return bench_tpm_cmd(t->fd, t->mssim, cmd, len, rsp, 4096 + 8);
}


/* N commands of one kind on target t; their median into *med. */
static int run_turn(struct target *t, int which, int n, uint64_t *samples, uint64_t *med)
{
	uint8_t rsp[4096 + 8];
	int i, len;
	for (i = 0; i < n; i++) {
		uint64_t t0 = now_ns();
		len = which ? tpm_cmd(t, getrandom, sizeof(getrandom), rsp)
			    : tpm_cmd(t, extend, sizeof(extend), rsp);
		samples[i] = now_ns() - t0;
		if (len < 10 || be32(rsp + 6)) {
			fprintf(stderr, "tpm-cmd-bench: %s: %s failed (%s, rc 0x%x)\n", t->name,
				which ? "GetRandom" : "PCR_Extend", len < 0 ? "connection" : "answer",
				len >= 10 ? be32(rsp + 6) : 0);
			return -1;
		}
		if (which) {
			if (len != 12 + 32 || rsp[10] != 0 || rsp[11] != 32 ||
			    !memcmp(rsp + 12, t->last_random, 32)) {
				fprintf(stderr, "tpm-cmd-bench: %s: GetRandom answer malformed or repeated\n",
					t->name);
				return -1;
			}
			memcpy(t->last_random, rsp + 12, 32);
		}
	}
	*med = median(samples, n);
	return 0;
}

int main(int argc, char **argv)
{
	static struct target tg[MAX_TARGETS];
	static const char *const cmd_name[2] = {"pcr_extend", "get_random"};
	int n = 500, rounds = 5, gap_us = 10000, nt = 0, i, r, c, opt;
	uint64_t *samples, ref[2] = {0, 0};
	uint8_t rsp[4096 + 8];
	while ((opt = getopt(argc, argv, "n:r:g:")) != -1) {
		if (opt == 'n')
			n = atoi(optarg);
		else if (opt == 'r')
			rounds = atoi(optarg);
		else if (opt == 'g')
			gap_us = atoi(optarg);
		else
			goto usage;
	}
	if (n < 1 || rounds < 1 || optind >= argc || argc - optind > MAX_TARGETS)
		goto usage;
	for (i = optind; i < argc; i++, nt++) {
		char *eq = strchr(argv[i], '='), *colon = eq ? strchr(eq, ':') : NULL;
		if (!eq || !colon)
			goto usage;
		*eq = *colon = '\0';
		tg[nt].name = argv[i];
		tg[nt].mssim = !strcmp(eq + 1, "mssim");
		if (!tg[nt].mssim && strcmp(eq + 1, "swtpm"))
			goto usage;
		tg[nt].fd = bench_connect(atoi(colon + 1));
		if (tg[nt].fd < 0 || tpm_cmd(&tg[nt], tpm_startup, sizeof(tpm_startup), rsp) < 0) {
			fprintf(stderr, "tpm-cmd-bench: %s: no answer on port %s\n", tg[nt].name, colon + 1);
			return 1;
		}
		for (c = 0; c < 2; c++)
			tg[nt].round_med[c] = calloc((size_t)rounds, sizeof(uint64_t));
	}
	bench_extend_init(extend);
	samples = calloc((size_t)n, sizeof(uint64_t));
	for (r = 0; r < rounds; r++)
		for (i = 0; i < nt; i++) {
			struct target *t = &tg[(i + r) % nt];
			struct timespec gap = {gap_us / 1000000, (long)(gap_us % 1000000) * 1000};
			for (c = 0; c < 2; c++) {
				/* a few untimed commands first: caches, and a service that moved CPU */
				if (run_turn(t, c, n < 20 ? n : 20, samples, &t->round_med[c][r]) ||
				    run_turn(t, c, n, samples, &t->round_med[c][r]))
					return 1;
			}
			nanosleep(&gap, NULL);
		}
	for (i = nt - 1; i >= 0; i--)
		for (c = 0; c < 2; c++) {
			uint64_t *v = tg[i].round_med[c], lo, hi, m;
			qsort(v, (size_t)rounds, sizeof(*v), cmp_u64);
			lo = v[0], hi = v[rounds - 1], m = v[rounds / 2];
			if (i == nt - 1)
				ref[c] = m;
			printf("BENCH name=tpm_cmd target=%s cmd=%s median_ns=%llu rounds=%d n=%d "
			       "min_round_ns=%llu max_round_ns=%llu ratio_to_%s=%.2f\n",
			       tg[i].name, cmd_name[c], (unsigned long long)m, rounds, n,
			       (unsigned long long)lo, (unsigned long long)hi, tg[nt - 1].name,
			       (double)m / (double)ref[c]);
		}
	return 0;
usage:
	fprintf(stderr, "usage: tpm-cmd-bench [-n N] [-r R] [-g GAP_US] NAME=swtpm|mssim:PORT...\n");
	return 2;
}
