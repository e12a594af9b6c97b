/*
 * keel-state manufacture-tpm IMAGE (--key-file K | --dev-key) [--out DIR]
 *
 * Manufactures the vTPM offline, exactly as the vtpm task does on its
 * first start (the same apps/vtpm code, libtpms linked into this tool):
 * EKs, EK certificates signed by a new EK CA, all committed into IMAGE in
 * one transaction under the vtpm namespace. The EK certificates and the CA
 * are exported to DIR (default: IMAGE's directory) as .der and .pem, and
 * their paths printed, so the EK is known before the first boot. An image
 * that already holds a vTPM is refused, never re-manufactured; a missing
 * image is created (8 MiB, sparse), a blank one formatted.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../apps/storaged/store.h"
#include "../../apps/vtpm/provision.h"
#include "../../apps/vtpm/publish.h"
#include "../../apps/vtpm/state.h"
#include "../../apps/vtpm/tpm.h"
#include "manufacture.h"

static int usage(void)
{
	fprintf(stderr, "usage: keel-state manufacture-tpm IMAGE (--key-file K | --dev-key) [--out DIR]\n");
	return 2;
}

/* Manufactures into the open store s; 0 or 1. */
static int manufacture(struct store *s, const char *out)
{
	uint8_t *d = NULL;
	size_t n = 0;
	int fresh = 0;
	manufacture_state_use(s, out);
	int r = vtpm_state_load("permall", &d, &n);
	if (d != NULL)
		explicit_bzero(d, n);
	free(d);
	if (r != VTPM_STATE_ABSENT) {
		fprintf(stderr, "keel-state: %s; nothing changed\n",
			r == VTPM_STATE_OK ? "the image already holds a vTPM (vtpm/permall)"
					   : "the image's vtpm/permall is unreadable");
		return 1;
	}
	if (vtpm_tpm_setup() != 0 || vtpm_tpm_power_on(&fresh) != 0 || !fresh) {
		fprintf(stderr, "keel-state: libtpms did not start a fresh TPM\n");
		return 1;
	}
	if (vtpm_manufacture() != 0)
		return 1;
	printf("keel-state: vTPM manufactured, generation %llu\n",
	       (unsigned long long)store_generation(s));
	return vtpm_publish_ek() == 0 ? 0 : 1;
}

int keel_state_manufacture_tpm(int argc, char **argv)
{
	const char *image = NULL, *key_file = NULL, *out = NULL;
	int dev_key = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--key-file") == 0 && i + 1 < argc)
			key_file = argv[++i];
		else if (strcmp(argv[i], "--dev-key") == 0)
			dev_key = 1;
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (argv[i][0] != '-' && image == NULL)
			image = argv[i];
		else
			return usage();
	}
	if (image == NULL || (key_file == NULL) == (dev_key == 0))
		return usage();
	char dir[4096];
	if (out == NULL) {
		snprintf(dir, sizeof(dir), "%s", image);
		out = dirname(dir);
	}
	if (mkdir(out, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "keel-state: cannot create %s: %s\n", out, strerror(errno));
		return 1;
	}
	struct store *s = NULL;
	int r = manufacture_open(image, key_file, dev_key, &s);
	if (r != 0)
		return r;
	r = manufacture(s, out);
	store_close(s);
	return r;
}
