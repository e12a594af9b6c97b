/*
 * One variable as a storaged object (docs/uefivars.md, "Records"): named
 * "v-" + 40 hex digits of SHA-256(guid || name), holding a versioned
 * record, all fields little-endian:
 *
 *   0  u32 magic "KUVR"   4  u32 version (1)    8  u64 seq
 *  16  u32 attrs         20  u32 name_size     24  u32 data_size
 *  28  u8 has_digest, 3 reserved (0)           32  EFI_TIME (16)
 *  48  digest (32)       80  guid (16)         96  name, then data
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "uv_int.h"

#define REC_MAGIC 0x5256554bu /* "KUVR" */
#define REC_VERSION 1u
#define REC_HDR 96u

bool persist_object_name(const efi_guid *guid, const uint16_t *name, size_t name_size,
                         char out[PERSIST_NAME_MAX])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t md[EVP_MAX_MD_SIZE];
	memset(md, 0, sizeof(md));
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	bool ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) &&
	          EVP_DigestUpdate(c, guid->b, sizeof(guid->b)) &&
	          EVP_DigestUpdate(c, name, name_size) && EVP_DigestFinal_ex(c, md, NULL);
	EVP_MD_CTX_free(c);
	if (!ok)
		return false;
	out[0] = 'v';
	out[1] = '-';
	for (int i = 0; i < 20; i++) {
		out[2 + 2 * i] = hex[md[i] >> 4];
		out[3 + 2 * i] = hex[md[i] & 15];
	}
	out[42] = 0;
	return true;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

uint8_t *persist_record_encode(const struct uv_var *v, size_t *len)
{
	size_t n = REC_HDR + v->name_size + v->size;
	uint8_t *r = calloc(1, n);
	if (!r)
		return NULL;
	put32(r, REC_MAGIC);
	put32(r + 4, REC_VERSION);
	memcpy(r + 8, &v->seq, 8);
	put32(r + 16, v->attrs);
	put32(r + 20, (uint32_t)v->name_size);
	put32(r + 24, (uint32_t)v->size);
	r[28] = v->has_digest;
	memcpy(r + 32, &v->time, 16);
	memcpy(r + 48, v->digest, 32);
	memcpy(r + 80, v->guid.b, 16);
	memcpy(r + REC_HDR, v->name, v->name_size);
	if (v->size)
		memcpy(r + REC_HDR + v->name_size, v->data, v->size);
	*len = n;
	return r;
}

struct uv_var *persist_record_decode(const uint8_t *rec, size_t len, const char **why)
{
	*why = "shorter than a record header";
	if (!rec || len < REC_HDR)
		return NULL;
	*why = "bad magic";
	if (get32(rec) != REC_MAGIC)
		return NULL;
	*why = "unknown record version";
	if (get32(rec + 4) != REC_VERSION)
		return NULL;
	uint32_t ns = get32(rec + 20), ds = get32(rec + 24);
	*why = "sizes do not match the record";
	if ((uint64_t)REC_HDR + ns + ds != len)
		return NULL;
	struct uv_update u = {.op = UV_WRITE,
	                      .attrs = get32(rec + 16),
	                      .name_size = ns,
	                      .data = rec + REC_HDR + ns,
	                      .size = ds,
	                      .has_digest = rec[28] != 0};
	uint64_t seq;
	memcpy(&seq, rec + 8, 8);
	memcpy(&u.time, rec + 32, 16);
	memcpy(u.digest, rec + 48, 32);
	memcpy(u.guid.b, rec + 80, 16);
	uint16_t *name = uv_name_copy(rec + REC_HDR, ns);
	*why = "out of memory";
	if (!name)
		return NULL;
	u.name = name;
	struct uv_var *v = NULL;
	*why = "bad name, attributes or flags";
	if (uv_name_valid(name, ns) && ns > 2 && (u.attrs & EFI_VARIABLE_NON_VOLATILE) &&
	    !(u.attrs & ~(uint32_t)EFI_VARIABLE_ATTRIBUTES_MASK) && rec[28] <= 1 && ds > 0 &&
	    !rec[29] && !rec[30] && !rec[31])
		v = uv_var_from_update(&u, seq);
	free(name);
	return v;
}
