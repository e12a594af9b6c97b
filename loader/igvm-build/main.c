/*
 * igvm-build --kernel ELF --manifest FILE --bin-dir DIR [--native-only] -o OUT
 * Writes the Keel IGVM file (docs/igvm.md): the kernel, the boot bundle
 * (the manifest plus every binary it names), boot pages, parameter areas
 * and VP contexts for both NATIVE and SEV_SNP (only NATIVE with
 * --native-only; --snp, the old opt-in, is accepted and is the default).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "bundle_files.h"
#include "igvm_io.h"
#include "igvm_parse.h"
#include "layout.h"

static int usage(void)
{
	fprintf(stderr, "usage: igvm-build --kernel ELF --manifest FILE --bin-dir DIR [--native-only] "
			"-o OUT\n");
	return 2;
}

/* Build in memory, check the result with the parser, write it. */
static int build(const char *kernel, const char *manifest, const char *bin_dir, int snp,
		 const char *out, char *err, size_t n)
{
	struct layout_in in = { .snp = snp };
	uint8_t *elf = NULL, *bundle = NULL, *file = NULL;
	struct igvm_writer w;
	size_t flen;
	int rc = -1;

	igvm_writer_init(&w);
	if (igvm_read_file(kernel, 512u << 20, &elf, &in.kernel_elf_len, err, n) ||
	    bundle_from_manifest(manifest, bin_dir, &bundle, &in.bundle_len, err, n))
		goto out;
	in.kernel_elf = elf;
	in.bundle = bundle;
	if (layout_build(&w, &in, err, n))
		goto out;
	if (igvm_writer_finish(&w, &file, &flen)) {
		snprintf(err, n, "%s", w.err);
		goto out;
	}
	struct igvm_file f;
	struct igvm_error e;
	if (igvm_parse(&f, file, flen, &e) != IGVM_OK) {
		snprintf(err, n, "internal: built file fails its own check: %s at %#x", e.msg, e.offset);
		goto out;
	}
	rc = igvm_write_file(out, file, flen, err, n);
out:
	free(elf);
	free(bundle);
	free(file);
	igvm_writer_free(&w);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "manifest", required_argument, NULL, 'm' },
		{ "bin-dir", required_argument, NULL, 'b' },
		{ "snp", no_argument, NULL, 's' },
		{ "native-only", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *kernel = NULL, *manifest = NULL, *bin_dir = NULL, *out = NULL;
	int snp = 1, c;
	char err[512];

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'k': kernel = optarg; break;
		case 'm': manifest = optarg; break;
		case 'b': bin_dir = optarg; break;
		case 's': snp = 1; break;
		case 'n': snp = 0; break;
		case 'o': out = optarg; break;
		default: return usage();
		}
	}
	if (!kernel || !manifest || !bin_dir || !out || optind != argc)
		return usage();
	if (build(kernel, manifest, bin_dir, snp, out, err, sizeof(err))) {
		fprintf(stderr, "igvm-build: %s\n", err);
		return 1;
	}
	return 0;
}
