/*
 * igvm-dump FILE: check an IGVM file and print every header. Exits 1 with
 * a message naming the problem (and the header's file offset) if the file
 * is malformed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "dump.h"
#include "igvm_io.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: igvm-dump FILE\n");
		return 2;
	}
	uint8_t *buf;
	size_t len;
	char msg[256];
	if (igvm_read_file(argv[1], UINT32_MAX, &buf, &len, msg, sizeof(msg))) {
		fprintf(stderr, "igvm-dump: %s\n", msg);
		return 1;
	}
	struct igvm_file f;
	struct igvm_error err;
	if (igvm_parse(&f, buf, len, &err) != IGVM_OK) {
		fprintf(stderr, "igvm-dump: %s: %s (header at file offset %#x)\n", argv[1], err.msg,
			err.offset);
		free(buf);
		return 1;
	}
	printf("IGVM v%u: %u bytes, variable headers %#x..%#x (%u headers), checksum %#010x\n",
	       f.fixed.format_version, f.size, f.vh_start, f.vh_end, f.nheaders, f.fixed.checksum);
	int rc = igvm_for_each(&f, dump_directive, NULL);
	free(buf);
	return rc < 0 ? 1 : 0;
}
