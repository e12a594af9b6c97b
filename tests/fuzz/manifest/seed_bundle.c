/* Writes a valid two-entry bundle to argv[1]: the seed for the bundle fuzzer's corpus. */
#include <stdio.h>
#include <stdlib.h>

#include "task/bundle.h"

int main(int argc, char **argv)
{
	const char *names[] = {"manifest", "echo"};
	const void *datas[] = {"task echo binary=echo memory=1M\n", "\x7f" "ELF"};
	size_t sizes[] = {32, 4};
	size_t n = bundle_size_for(2, sizes);
	char err[128];
	void *out = calloc(1, n);
	FILE *f;
	if (argc != 2 || !out || bundle_pack(out, n, 2, names, datas, sizes, err, sizeof(err))) {
		fprintf(stderr, "seed_bundle: %s\n", out ? err : "usage: seed_bundle FILE");
		return 1;
	}
	f = fopen(argv[1], "wb");
	if (!f || fwrite(out, 1, n, f) != n || fclose(f)) {
		perror(argv[1]);
		return 1;
	}
	free(out);
	return 0;
}
