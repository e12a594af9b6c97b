/*
 * Hosted fault injection, a "power cut" for crash-consistency tests:
 * KEEL_BLK_FAULT=after=N[,tear=BYTES]. After N block writes have
 * succeeded, the next block write writes only its first BYTES bytes
 * (0..4096, default 0) and the process exits with status 99, so every
 * later write is lost. Blocks are counted, not requests.
 */
#ifndef BLKDEV_FAULT_H
#define BLKDEV_FAULT_H

#include <stdint.h>

struct blk_fault {
	int armed;
	uint64_t after; /* block writes that still succeed */
	uint32_t tear;  /* bytes of the next block that reach the file */
};

#define BLK_FAULT_EXIT 99

/* Parses `spec` (NULL or "" = not armed). 0, or -1 with a message in err. */
int blk_fault_parse(const char *spec, struct blk_fault *f, const char **err);

#endif
