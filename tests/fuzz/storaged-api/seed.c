/*
 * Seeds for the storaged-api fuzz target (fuzz_storaged_api.c's record
 * format): unlock, then put/commit/read/list/delete sequences.
 */
#include <stdio.h>
#include <string.h>

static int seed(const char *dir, const char *name, const unsigned char *b, size_t n)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b, 1, n, f) != n)
		return 1;
	return fclose(f) != 0;
}

/* record: channel, kind (op % 0x12), name selector, offset sel, offset add, length sel, data sel */
#define REC(ch, op, name, off, len, data) ch, op, name, off, 0, len, data
#define UNLOCK REC(2, 0x10, 3, 0, 0, 0)

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	const unsigned char put_commit[] = {UNLOCK, REC(0, 1, 1, 0, 2, 2), REC(0, 3, 0, 0, 0, 0),
	                                    REC(0, 0, 1, 0, 7, 0), REC(0, 5, 0, 0, 0, 0)};
	const unsigned char chunks[] = {UNLOCK,
	                                REC(1, 1, 2, 0, 7, 6),
	                                REC(1, 1, 2, 6, 7, 6),
	                                REC(1, 3, 0, 0, 0, 0),
	                                REC(1, 0, 2, 0, 6, 0),
	                                REC(1, 0, 2, 6, 6, 0)};
	const unsigned char mixed[] = {UNLOCK,
	                               REC(0, 1, 0, 0, 1, 1),
	                               REC(1, 1, 0, 0, 1, 1),
	                               REC(0, 2, 0, 0, 0, 0),
	                               REC(0, 3, 0, 0, 0, 0),
	                               REC(1, 4, 0, 0, 0, 0),
	                               REC(1, 0x11, 0, 0, 0, 0),
	                               REC(0, 5, 0, 0, 0, 0)};
	const unsigned char locked[] = {REC(0, 0, 1, 0, 2, 0), REC(2, 0x10, 2, 0, 0, 0), UNLOCK,
	                                REC(2, 0, 0, 0, 0, 0)};
	return seed(argv[1], "put-commit", put_commit, sizeof(put_commit)) ||
	       seed(argv[1], "chunks", chunks, sizeof(chunks)) ||
	       seed(argv[1], "mixed", mixed, sizeof(mixed)) ||
	       seed(argv[1], "locked", locked, sizeof(locked));
}
