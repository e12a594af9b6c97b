/*
 * The INSECURE development key (manifest word dev-key): SHA-256 of the
 * fixed label STORAGED_DEV_KEY_LABEL, so anyone can compute it. It exists
 * so that a machine with no key broker keeps state at all; what it stores
 * is protected against nothing but accidents (docs/storaged.md).
 */
#include <openssl/sha.h>

#include "storaged.h"

void storaged_dev_key(uint8_t key[STORAGED_KEY_LEN])
{
	_Static_assert(STORAGED_KEY_LEN == SHA256_DIGEST_LENGTH, "the dev key is one SHA-256");
	SHA256((const unsigned char *)STORAGED_DEV_KEY_LABEL, sizeof(STORAGED_DEV_KEY_LABEL) - 1, key);
}
