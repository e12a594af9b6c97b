/* Drives the key broker's DB layer from several processes at once
 * (tests/hosted/kbs-postgres.sh) and times it (tests/bench/kbs-db-bench.sh).
 *   stress setup URL NVMS NSESS COOKIES   registers VMs s0..; writes NSESS session cookies
 *   stress run URL NVMS COOKIES SEED      answers every cookie (in a seeded order), acks,
 *                                         reads generations; one log line per event
 *   stress dump URL NVMS                  prints "VM name boot acked_generation acked"
 *   stress bench URL N                    N attest_commit calls; prints attestations/s
 * VM sI uses boot window 0 when I is even, 1e6 s when odd (every boot must be
 * acknowledged before the next). Log lines (stdout):
 *   OK cookie vm boot min_gen | USED cookie | PENDING cookie vm
 *   ACKOK vm boot gen | ACKSTALE vm boot gen | GEN vm acked_generation */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"

#define MAX_COOKIES 4096

static struct kbs_db *open_or_die(const char *url)
{
	char err[256] = "";
	struct kbs_db *db = kbs_db_open(url, err, sizeof err);
	if (db == NULL) {
		fprintf(stderr, "stress: %s\n", err);
		exit(1);
	}
	return db;
}

static int64_t window_of(const char *vm)
{
	return atoi(vm + 1) % 2 == 0 ? 0 : 1000000;
}

static int setup(const char *url, int nvms, int nsess, const char *path)
{
	struct kbs_db *db = open_or_die(url);
	FILE *f = fopen(path, "w");
	if (f == NULL)
		return 1;
	for (int i = 0; i < nvms; i++) {
		struct kbs_db_vm vm = { .n_meas = 1, .acked = true };
		snprintf(vm.name, sizeof vm.name, "s%d", i);
		memset(vm.meas[0], 'e', KBS_DB_MEAS_HEX);
		memset(vm.state_key, i, sizeof vm.state_key);
		if (kbs_db_vm_put(db, &vm) != KBS_DB_OK)
			return 1;
	}
	for (int i = 0; i < nsess; i++) {
		struct kbs_db_session s;
		char vm[16];
		snprintf(vm, sizeof vm, "s%d", i % nvms);
		if (kbs_db_session_create(db, vm, time(NULL), 3600, &s) != KBS_DB_OK) {
			fprintf(stderr, "stress: session: %s\n", kbs_db_errmsg(db));
			return 1;
		}
		fprintf(f, "%s %s\n", s.cookie, vm);
	}
	kbs_db_close(db);
	return fclose(f) == 0 ? 0 : 1;
}

struct job {
	char cookie[KBS_DB_COOKIE_LEN + 1];
	char vm[KBS_DB_NAME_MAX + 1];
};

static int one(struct kbs_db *db, const struct job *j, unsigned *seed)
{
	static const uint8_t ack_key[KBS_DB_KEY_LEN];
	struct kbs_db_attest_out out;
	int rc = kbs_db_attest_commit(db, j->cookie, j->vm, time(NULL), window_of(j->vm), "{}",
				      ack_key, &out);
	if (rc == KBS_DB_CHALLENGE_USED) {
		printf("USED %s\n", j->cookie);
		return 0;
	}
	if (rc == KBS_DB_BOOT_PENDING) {
		printf("PENDING %s %s\n", j->cookie, j->vm);
		return 0;
	}
	if (rc != KBS_DB_OK) {
		fprintf(stderr, "stress: attest %s: %s (%s)\n", j->cookie, kbs_db_status_str(rc),
			kbs_db_errmsg(db));
		return 1;
	}
	printf("OK %s %s %llu %llu\n", j->cookie, j->vm, (unsigned long long)out.boot,
	       (unsigned long long)out.min_generation);
	if (rand_r(seed) % 2 == 0) {
		uint64_t gen = (uint64_t)(rand_r(seed) % 100000);
		rc = kbs_db_ack(db, j->vm, out.boot, gen);
		if (rc != KBS_DB_OK && rc != KBS_DB_STALE_BOOT) {
			fprintf(stderr, "stress: ack: %s (%s)\n", kbs_db_status_str(rc), kbs_db_errmsg(db));
			return 1;
		}
		printf("%s %s %llu %llu\n", rc == KBS_DB_OK ? "ACKOK" : "ACKSTALE", j->vm,
		       (unsigned long long)out.boot, (unsigned long long)gen);
	}
	struct kbs_db_vm vm;
	if (kbs_db_vm_get(db, j->vm, &vm) != KBS_DB_OK)
		return 1;
	printf("GEN %s %llu\n", j->vm, (unsigned long long)vm.acked_generation);
	return 0;
}

static int run(const char *url, const char *path, unsigned seed)
{
	static struct job jobs[MAX_COOKIES];
	int n = 0;
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return 1;
	while (n < MAX_COOKIES && fscanf(f, "%36s %64s", jobs[n].cookie, jobs[n].vm) == 2)
		n++;
	fclose(f);
	for (int i = n - 1; i > 0; i--) { /* each worker its own order */
		int k = rand_r(&seed) % (i + 1);
		struct job t = jobs[i];
		jobs[i] = jobs[k];
		jobs[k] = t;
	}
	struct kbs_db *db = open_or_die(url);
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++)
		rc = one(db, &jobs[i], &seed);
	kbs_db_close(db);
	return rc;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sessions made first; only the attest_commit calls are timed. */
static int bench(const char *url, int n)
{
	static const uint8_t ack_key[KBS_DB_KEY_LEN];
	struct kbs_db *db = open_or_die(url);
	struct kbs_db_vm vm = { .name = "bench", .n_meas = 1, .acked = true };
	memset(vm.meas[0], 'b', KBS_DB_MEAS_HEX);
	struct kbs_db_session *s = calloc((size_t)n, sizeof *s);
	if (s == NULL || kbs_db_vm_put(db, &vm) != KBS_DB_OK)
		return 1;
	for (int i = 0; i < n; i++)
		if (kbs_db_session_create(db, "bench", time(NULL), 3600, &s[i]) != KBS_DB_OK)
			return 1;
	double t0 = now_s();
	for (int i = 0; i < n; i++) {
		struct kbs_db_attest_out out;
		if (kbs_db_attest_commit(db, s[i].cookie, "bench", time(NULL), 0, "{}", ack_key, &out) !=
		    KBS_DB_OK) {
			fprintf(stderr, "stress: bench attest: %s\n", kbs_db_errmsg(db));
			return 1;
		}
	}
	double dt = now_s() - t0;
	printf("attest_per_s=%.0f n=%d seconds=%.3f\n", n / dt, n, dt);
	free(s);
	kbs_db_close(db);
	return 0;
}

static int dump(const char *url, int nvms)
{
	struct kbs_db *db = open_or_die(url);
	for (int i = 0; i < nvms; i++) {
		struct kbs_db_vm vm;
		char name[16];
		snprintf(name, sizeof name, "s%d", i);
		if (kbs_db_vm_get(db, name, &vm) != KBS_DB_OK)
			return 1;
		printf("VM %s %llu %llu %d\n", name, (unsigned long long)vm.boot,
		       (unsigned long long)vm.acked_generation, vm.acked);
	}
	kbs_db_close(db);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 6 && strcmp(argv[1], "setup") == 0)
		return setup(argv[2], atoi(argv[3]), atoi(argv[4]), argv[5]);
	if (argc == 6 && strcmp(argv[1], "run") == 0)
		return run(argv[2], argv[4], (unsigned)atoi(argv[5]));
	if (argc == 4 && strcmp(argv[1], "dump") == 0)
		return dump(argv[2], atoi(argv[3]));
	if (argc == 4 && strcmp(argv[1], "bench") == 0)
		return bench(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: stress setup URL NVMS NSESS FILE | run URL NVMS FILE SEED | dump URL NVMS | bench URL N\n");
	return 2;
}
