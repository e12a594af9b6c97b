/*
 * What ties the report and the ack to this session (docs/kbs.md):
 * report_data = SHA-384 of the runtime data in RFC 8785 form (sorted
 * keys, no white space; the base64 strings need no escaping) padded with
 * 16 zero bytes, and the ack's HMAC.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto.h"

int binding_report_data(const char *nonce, const struct tee_key *k, uint8_t rd[64])
{
	char jcs[512];
	unsigned int n = 0;
	int len = snprintf(jcs, sizeof(jcs),
	                   "{\"additional-evidence\":\"\",\"nonce\":\"%s\",\"tee-pubkey\":"
	                   "{\"alg\":\"ECDH-ES+A256KW\",\"crv\":\"P-256\",\"kty\":\"EC\","
	                   "\"x\":\"%s\",\"y\":\"%s\"}}",
	                   nonce, k->x, k->y);
	if (len < 0 || (size_t)len >= sizeof(jcs))
		return -1;
	memset(rd, 0, 64);
	return EVP_Digest(jcs, (size_t)len, rd, &n, EVP_sha384(), NULL) && n == 48 ? 0 : -1;
}

int binding_ack_mac(const uint8_t ack_key[32], uint64_t boot, uint64_t generation,
                    uint8_t mac[32])
{
	uint8_t msg[24] = "keel-ack";
	unsigned int n = 0;
	for (int i = 0; i < 8; i++) {
		msg[8 + i] = (uint8_t)(boot >> (56 - 8 * i));
		msg[16 + i] = (uint8_t)(generation >> (56 - 8 * i));
	}
	return HMAC(EVP_sha256(), ack_key, 32, msg, sizeof(msg), mac, &n) && n == 32 ? 0 : -1;
}
