/* A store's whole contents in memory, for comparing states in the store's tests. */
#ifndef SNAP_H
#define SNAP_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct snap {
	size_t n;
	char (*names)[STORE_NAME_MAX];
	uint8_t **data;
	size_t *len;
};

/* Reads every object; STORAGED_OK or the first error. */
int snap_read(struct store *s, struct snap *out);
int snap_eq(const struct snap *a, const struct snap *b);
void snap_free(struct snap *s);
/* Opens the store on dev, reads it and compares with a and b: 1 = a, 2 = b, 0 = neither, <0 error.
 */
int snap_which(const struct store_dev *dev, const uint8_t *key, const struct snap *a,
               const struct snap *b, char *why, size_t whylen);

#endif
