/*
 * The store's cryptography (docs/storage-format.md, "Keys"): HKDF-SHA256
 * key derivation, AES-256-GCM sealing, the development key, CRC-32.
 * OpenSSL EVP interfaces only (they work in booted tasks through
 * libcrypto.a as in apps/vtpm).
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include "store_int.h"

#define DEV_KEY_LABEL "keel insecure development key v1"

void store_dev_key(uint8_t out[STORE_KEY_LEN])
{
	unsigned int len = STORE_KEY_LEN;

	if (EVP_Digest(DEV_KEY_LABEL, strlen(DEV_KEY_LABEL), out, &len, EVP_sha256(), NULL) != 1)
		memset(out, 0, STORE_KEY_LEN); /* cannot happen with a working libcrypto */
}

static int hkdf(const uint8_t key[STORE_KEY_LEN], const uint8_t uuid[STORE_UUID_LEN],
                const char *label, uint8_t *out, size_t outlen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	int ok = ctx != NULL && EVP_PKEY_derive_init(ctx) == 1 &&
	         EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256()) == 1 &&
	         EVP_PKEY_CTX_set1_hkdf_salt(ctx, uuid, STORE_UUID_LEN) == 1 &&
	         EVP_PKEY_CTX_set1_hkdf_key(ctx, key, STORE_KEY_LEN) == 1 &&
	         EVP_PKEY_CTX_add1_hkdf_info(ctx, (const unsigned char *)label,
	                                     (int)strlen(label)) == 1 &&
	         EVP_PKEY_derive(ctx, out, &outlen) == 1;

	EVP_PKEY_CTX_free(ctx); /* OpenSSL clears the HKDF state it frees */
	return ok ? 0 : -1;
}

int store_kdf(const uint8_t key[STORE_KEY_LEN], const uint8_t uuid[STORE_UUID_LEN],
              struct store_keys *out)
{
	if (hkdf(key, uuid, "keel store v1 superblock", out->super, sizeof(out->super)) != 0 ||
	    hkdf(key, uuid, "keel store v1 blocks", out->block, sizeof(out->block)) != 0 ||
	    hkdf(key, uuid, "keel store v1 key check", out->kcv, sizeof(out->kcv)) != 0) {
		store_keys_wipe(out);
		return -1;
	}
	return 0;
}

void store_keys_wipe(struct store_keys *k)
{
	explicit_bzero(k, sizeof(*k));
}

int store_random(void *buf, size_t len)
{
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -1;
}

static int gcm(int enc, const uint8_t key[32], const uint8_t *aad, size_t aadlen, const uint8_t *in,
               uint8_t *out, size_t len, const uint8_t nonce[STORE_NONCE_LEN],
               uint8_t tag[STORE_TAG_LEN])
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, ok;

	ok = c != NULL && EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, key, nonce, enc) == 1 &&
	     EVP_CipherUpdate(c, NULL, &n, aad, (int)aadlen) == 1 &&
	     EVP_CipherUpdate(c, out, &n, in, (int)len) == 1;
	if (ok && !enc)
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, STORE_TAG_LEN, tag) == 1;
	ok = ok && EVP_CipherFinal_ex(c, out + n, &n) == 1;
	if (ok && enc)
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, STORE_TAG_LEN, tag) == 1;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

int store_gcm_seal(const uint8_t key[32], const uint8_t *aad, size_t aadlen, const uint8_t *in,
                   uint8_t *out, size_t len, uint8_t nonce[STORE_NONCE_LEN],
                   uint8_t tag[STORE_TAG_LEN])
{
	if (store_random(nonce, STORE_NONCE_LEN) != 0)
		return -1;
	return gcm(1, key, aad, aadlen, in, out, len, nonce, tag);
}

int store_gcm_open(const uint8_t key[32], const uint8_t *aad, size_t aadlen, const uint8_t *in,
                   uint8_t *out, size_t len, const uint8_t nonce[STORE_NONCE_LEN],
                   const uint8_t tag[STORE_TAG_LEN])
{
	uint8_t t[STORE_TAG_LEN];

	memcpy(t, tag, sizeof(t));
	if (gcm(0, key, aad, aadlen, in, out, len, nonce, t) != 0) {
		memset(out, 0, len); /* never hand out unauthenticated plaintext */
		return -1;
	}
	return 0;
}

/* CRC-32 (IEEE 802.3, reflected): tells a torn superblock from a wrong key. */
uint32_t store_crc32(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

int store_mem_is_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i])
			return 0;
	return 1;
}
