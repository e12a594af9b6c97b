/*
 * igvm-measure FILE [--native-zero] [--verbose] [--check-kvm] [--manifest]:
 * print the SEV-SNP launch digest (SHA-384, lower-case hex) of an IGVM
 * file, as igvmmeasure does. --check-kvm first fails (exit 1, nothing on
 * stdout) on a file a QEMU/KVM launch would measure differently
 * (snp_check_kvm). --manifest prints the measured boot manifest instead of
 * the digest. Either way, a measured manifest that gives a task the
 * INSECURE development key (arg= word dev-key) is a warning on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igvm_io.h"
#include "igvm_parse.h"
#include "measured_manifest.h"
#include "snp_measure.h"

static void print_page(uint8_t type, uint64_t gpa, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "page gpa=%#014llx type=%u\n", (unsigned long long)gpa, type);
}

static int usage(void)
{
	fprintf(stderr, "usage: igvm-measure FILE [--native-zero] [--verbose] [--check-kvm] "
			"[--manifest]\n");
	return 2;
}

static void warn_dev_key(const char *task)
{
	fprintf(stderr, "warning: the measured manifest gives task '%s' an INSECURE development key "
			"(dev-key): anyone can read and forge its state\n", task);
}

/*
 * The measured manifest: printed for --manifest (an error if absent), and
 * checked for dev-key either way (a file without a Keel bundle has none).
 */
static int manifest_report(const struct igvm_file *f, const char *path, int print)
{
	char *text;
	size_t len;
	const char *why;
	if (measured_manifest(f, &text, &len, &why)) {
		if (!print)
			return 0;
		fprintf(stderr, "igvm-measure: %s: %s\n", path, why);
		return 1;
	}
	if (print)
		fwrite(text, 1, len, stdout);
	if (measured_dev_key_tasks(text, len, warn_dev_key, &why) < 0)
		fprintf(stderr, "igvm-measure: %s: %s\n", path, why);
	free(text);
	return 0;
}

int main(int argc, char **argv)
{
	struct snp_measure_opts opts = { 0 };
	const char *path = NULL;
	int check_kvm = 0, print_manifest = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--native-zero"))
			opts.native_zero = 1;
		else if (!strcmp(argv[i], "--check-kvm"))
			check_kvm = 1;
		else if (!strcmp(argv[i], "--manifest"))
			print_manifest = 1;
		else if (!strcmp(argv[i], "--verbose"))
			opts.on_page = print_page;
		else if (argv[i][0] == '-' || path)
			return usage();
		else
			path = argv[i];
	}
	if (!path)
		return usage();

	uint8_t *buf;
	size_t len;
	char msg[256];
	if (igvm_read_file(path, UINT32_MAX, &buf, &len, msg, sizeof(msg))) {
		fprintf(stderr, "igvm-measure: %s\n", msg);
		return 1;
	}
	struct igvm_file f;
	struct igvm_error err;
	if (igvm_parse(&f, buf, len, &err) != IGVM_OK) {
		fprintf(stderr, "igvm-measure: %s: %s (header at file offset %#x)\n", path, err.msg,
			err.offset);
		free(buf);
		return 1;
	}
	uint8_t digest[SNP_DIGEST_SIZE];
	const char *why;
	if (print_manifest) {
		int rc = manifest_report(&f, path, 1);
		free(buf);
		return rc;
	}
	if (check_kvm && snp_check_kvm(&f, &why)) {
		fprintf(stderr, "igvm-measure: %s: KVM check failure: %s\n", path, why);
		free(buf);
		return 1;
	}
	if (snp_measure(&f, &opts, digest, &why)) {
		fprintf(stderr, "igvm-measure: %s: %s\n", path, why);
		free(buf);
		return 1;
	}
	for (int i = 0; i < SNP_DIGEST_SIZE; i++)
		printf("%02x", digest[i]);
	printf("\n");
	fflush(stdout);
	manifest_report(&f, path, 0);
	free(buf);
	return 0;
}
