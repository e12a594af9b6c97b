/* In-memory NVRAM callbacks for libtpms (tpm-smoke). */
#ifndef TPM_SMOKE_NVRAM_H
#define TPM_SMOKE_NVRAM_H

#include <stddef.h>

/* Registers the callbacks with libtpms; 0 on success. */
int nvram_register(void);
/* Bytes currently held in all blobs. */
size_t nvram_bytes(void);

#endif
