/*
 * keel-state manufacture-tpm IMAGE KEY [--out DIR]
 *
 * Manufactures the vTPM offline, exactly as the vtpm task does on its
 * first start (the same apps/vtpm code, libtpms linked into this tool):
 * EKs, EK certificates signed by a new EK CA, all committed into IMAGE in
 * one transaction under the vtpm namespace (manufacture_state.c). The EK
 * certificates and the CA are exported to DIR (default: IMAGE's
 * directory) as .der and .pem, and their paths printed, so the EK is
 * known before the first boot. An image that already holds a vTPM is
 * refused, never re-manufactured; a missing image is created (--size,
 * default 8 MiB, sparse) and a blank one formatted, as storaged would.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../apps/vtpm/provision.h"
#include "../../apps/vtpm/publish.h"
#include "../../apps/vtpm/state.h"
#include "../../apps/vtpm/tpm.h"
#include "keel_state.h"
#include "manufacture.h"

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
	printf("keel-state: vTPM manufactured into generation %llu\n",
	       (unsigned long long)store_generation(s));
	return vtpm_publish_ek() == 0 ? 0 : 1;
}

/* Opens IMAGE, creating a missing one and formatting a blank one. */
static int open_or_format(const struct ks_opts *o, struct ks_image *img)
{
	uint8_t key[STORE_KEY_LEN];
	char why[256] = "";
	struct stat st;
	int fd = open(o->argv[0], O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || fstat(fd, &st) != 0 ||
	    (st.st_size == 0 && ftruncate(fd, (off_t)o->size) != 0)) {
		fprintf(stderr, "keel-state: %s: %s\n", o->argv[0], strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	close(fd);
	if (ks_load_key(o, key) != 0)
		return 1;
	if (ks_file_dev(img, o->argv[0], 1) != 0) {
		explicit_bzero(key, sizeof(key));
		return 1;
	}
	int r = store_open(&img->dev, key, o->min_generation, &img->store, why, sizeof(why));
	if (r == STORAGED_EBLANK) {
		printf("keel-state: %s is blank: formatting it\n", o->argv[0]);
		r = store_format(&img->dev, key, o->generation, &img->store, why, sizeof(why));
	}
	explicit_bzero(key, sizeof(key));
	if (r != STORAGED_OK) {
		fprintf(stderr, "keel-state: %s: %s\n", o->argv[0], why);
		close(img->fd);
		return 1;
	}
	return 0;
}

int ks_cmd_manufacture_tpm(const struct ks_opts *o)
{
	struct ks_image img;
	char dir[4096];
	const char *out = o->out;
	if (o->argc != 1) {
		fprintf(stderr, "keel-state manufacture-tpm: IMAGE expected\n");
		return 2;
	}
	if (out == NULL) {
		snprintf(dir, sizeof(dir), "%s", o->argv[0]);
		out = dirname(dir);
	}
	if (mkdir(out, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "keel-state: cannot create %s: %s\n", out, strerror(errno));
		return 1;
	}
	if (open_or_format(o, &img) != 0)
		return 1;
	int r = manufacture(img.store, out);
	ks_close(&img);
	return r;
}
