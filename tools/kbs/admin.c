/* kbs-admin: the broker's CLI (docs/kbs.md "Administration").
 *   kbs-admin keygen FILE            new P-384 identity key; prints its pin
 *   kbs-admin pin FILE               prints the pin of an identity key
 *   kbs-admin --db URL vm-add NAME --measurement HEX96 [--measurement ...]
 *                      [--allow-debug] [--state-key FILE32 | --new-state-key]
 *     (a VM that exists keeps its state key unless one of those two is given)
 *   kbs-admin --db URL vm-list
 *   kbs-admin --db URL vm-delete NAME
 *   kbs-admin --db URL resource-add REPO TYPE TAG FILE
 *   kbs-admin tls-ca DIR             test CA for HTTPS: DIR/ca.pem, DIR/ca.key
 *   kbs-admin tls-cert DIR NAME...   DIR/server.pem, DIR/server.key for NAMEs,
 *                                    signed by DIR's CA (tls_admin.h) */
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "identity.h"
#include "request.h"
#include "server.h"
#include "tls_admin.h"

static int usage(void)
{
	fprintf(stderr, "usage: kbs-admin keygen FILE | pin FILE | tls-ca DIR | tls-cert DIR NAME...\n"
			"       kbs-admin --db URL vm-add NAME --measurement HEX96 [--measurement HEX96]...\n"
			"                 [--allow-debug] [--state-key FILE | --new-state-key]\n"
			"       kbs-admin --db URL vm-list | vm-delete NAME | resource-add REPO TYPE TAG FILE\n");
	return 2;
}

/* Reads a whole file of at most cap bytes; returns its length or -1. */
static long read_file(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, cap, f);
	int more = fgetc(f) != EOF;
	fclose(f);
	return more ? -1 : (long)n;
}

static int meas_ok(const char *h)
{
	if (strlen(h) != KBS_DB_MEAS_HEX)
		return 0;
	for (const char *p = h; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

static int vm_add(struct kbs_db *db, int argc, char **argv)
{
	struct kbs_db_vm vm = {0};
	const char *keyfile = NULL;
	bool fresh = false;
	if (argc < 1 || !kbs_vm_name_ok(argv[0]))
		return fprintf(stderr, "kbs-admin: bad VM name\n"), 2;
	snprintf(vm.name, sizeof(vm.name), "%s", argv[0]);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--measurement") && i + 1 < argc) {
			const char *m = argv[++i];
			if (!meas_ok(m) || vm.n_meas >= KBS_DB_MEAS_MAX)
				return fprintf(stderr, "kbs-admin: measurement must be 96 lowercase hex (max %d)\n",
					       KBS_DB_MEAS_MAX), 2;
			snprintf(vm.meas[vm.n_meas++], KBS_DB_MEAS_HEX + 1, "%s", m);
		} else if (!strcmp(argv[i], "--allow-debug")) {
			vm.policy |= KBS_VM_POLICY_DEBUG;
		} else if (!strcmp(argv[i], "--state-key") && i + 1 < argc) {
			keyfile = argv[++i];
		} else if (!strcmp(argv[i], "--new-state-key")) {
			fresh = true;
		} else {
			return usage();
		}
	}
	if (!vm.n_meas)
		return fprintf(stderr, "kbs-admin: at least one --measurement\n"), 2;
	/* Re-registering a VM (a new measurement) must not lose its state: the
	 * old key stays unless a new one is asked for explicitly. */
	struct kbs_db_vm old = {0};
	bool exists = kbs_db_vm_get(db, vm.name, &old) == KBS_DB_OK;
	bool keep = exists && !keyfile && !fresh;
	if (keep)
		memcpy(vm.state_key, old.state_key, KBS_DB_KEY_LEN);
	OPENSSL_cleanse(&old, sizeof(old));
	if (!keep && (keyfile ? read_file(keyfile, vm.state_key, KBS_DB_KEY_LEN) != KBS_DB_KEY_LEN
			      : RAND_bytes(vm.state_key, KBS_DB_KEY_LEN) != 1)) {
		fprintf(stderr, "kbs-admin: state key: %s\n", keyfile ? "file must hold exactly 32 bytes" : "RNG");
		return 1;
	}
	int rc = kbs_db_vm_put(db, &vm);
	OPENSSL_cleanse(vm.state_key, sizeof(vm.state_key));
	if (rc)
		return fprintf(stderr, "kbs-admin: vm-add: %s\n", kbs_db_errmsg(db)), 1;
	printf("vm %s %s (%u measurement(s)%s%s)\n", vm.name, exists ? "updated" : "registered", vm.n_meas,
	       (vm.policy & KBS_VM_POLICY_DEBUG) ? ", debug allowed" : "",
	       keep ? ", state key kept" : ", new state key");
	return 0;
}

static int print_vm(const struct kbs_db_vm *vm, void *arg)
{
	(void)arg;
	printf("%s boot=%llu acked=%s min-generation=%llu last-boot=%lld policy=0x%llx", vm->name,
	       (unsigned long long)vm->boot, vm->acked ? "yes" : "no", (unsigned long long)vm->acked_generation,
	       (long long)vm->last_boot_time, (unsigned long long)vm->policy);
	for (unsigned i = 0; i < vm->n_meas && i < KBS_DB_MEAS_MAX; i++)
		printf(" measurement=%s", vm->meas[i]);
	printf("\n");
	return 0;
}

static int resource_add(struct kbs_db *db, char **argv)
{
	static uint8_t buf[KBS_DB_RESOURCE_MAX];
	for (int i = 0; i < 3; i++)
		if (!kbs_vm_name_ok(argv[i]))
			return fprintf(stderr, "kbs-admin: bad resource name %s\n", argv[i]), 2;
	long n = read_file(argv[3], buf, sizeof(buf));
	if (n < 0)
		return fprintf(stderr, "kbs-admin: cannot read %s (max %u bytes)\n", argv[3], KBS_DB_RESOURCE_MAX), 1;
	int rc = kbs_db_resource_put(db, argv[0], argv[1], argv[2], buf, (size_t)n);
	OPENSSL_cleanse(buf, (size_t)n);
	if (rc)
		return fprintf(stderr, "kbs-admin: resource-add: %s\n", kbs_db_errmsg(db)), 1;
	printf("resource %s/%s/%s: %ld bytes\n", argv[0], argv[1], argv[2], n);
	return 0;
}

static int key_cmd(int argc, char **argv)
{
	struct kbs_identity id;
	char err[256];
	if (argc != 3)
		return usage();
	int rc = !strcmp(argv[1], "keygen") ? kbs_identity_create(argv[2], &id, err, sizeof(err))
					    : kbs_identity_load(argv[2], &id, err, sizeof(err));
	if (rc)
		return fprintf(stderr, "kbs-admin: %s\n", err), 1;
	printf("%s\n", id.pin);
	kbs_identity_free(&id);
	return 0;
}

static int tls_cmd(int argc, char **argv)
{
	char err[512];
	bool ca = !strcmp(argv[1], "tls-ca");
	if (ca ? argc != 3 : argc < 4)
		return usage();
	int rc = ca ? kbs_tls_make_ca(argv[2], err, sizeof(err))
		    : kbs_tls_make_cert(argv[2], argv + 3, argc - 3, err, sizeof(err));
	if (rc)
		return fprintf(stderr, "kbs-admin: %s\n", err), 1;
	printf("%s/%s written\n", argv[2], ca ? "ca.pem" : "server.pem");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "tls-ca") || !strcmp(argv[1], "tls-cert")))
		return tls_cmd(argc, argv);
	if (argc >= 2 && (!strcmp(argv[1], "keygen") || !strcmp(argv[1], "pin")))
		return key_cmd(argc, argv);
	if (argc < 4 || strcmp(argv[1], "--db") != 0)
		return usage();
	char err[512];
	const char *cmd = argv[3];
	struct kbs_db *db = kbs_db_open(argv[2], err, sizeof(err));
	if (!db)
		return fprintf(stderr, "kbs-admin: database: %s\n", err), 1;
	int rc;
	if (!strcmp(cmd, "vm-add"))
		rc = vm_add(db, argc - 4, argv + 4);
	else if (!strcmp(cmd, "vm-list") && argc == 4)
		rc = kbs_db_vm_list(db, print_vm, NULL) ? (fprintf(stderr, "kbs-admin: %s\n", kbs_db_errmsg(db)), 1) : 0;
	else if (!strcmp(cmd, "vm-delete") && argc == 5)
		rc = kbs_db_vm_delete(db, argv[4]) ? (fprintf(stderr, "kbs-admin: %s\n", kbs_db_errmsg(db)), 1) : 0;
	else if (!strcmp(cmd, "resource-add") && argc == 8)
		rc = resource_add(db, argv + 4);
	else
		rc = usage();
	kbs_db_close(db);
	return rc;
}
