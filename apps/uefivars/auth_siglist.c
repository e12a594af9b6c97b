/*
 * EFI_SIGNATURE_LIST (UEFI 2.10 §32.4.1), the value of PK, KEK, db, dbx,
 * dbt and dbr: lists of { type GUID, u32 SignatureListSize, u32
 * SignatureHeaderSize, u32 SignatureSize, header, entries }, each entry
 * an owner GUID followed by SignatureSize - 16 bytes of data. Every field
 * is checked against the buffer before use (edk2 trusts stored lists;
 * Keel's may come from an imported store).
 */
#include <string.h>

#include "auth.h"

/* edk2 AuthService.c mSupportSigItem: the types accepted and their data sizes (0 = any). */
static const struct {
	efi_guid type;
	uint32_t data_size;
} sig_types[] = {
    {EFI_GUID_INIT(0xc1c41626, 0x504c, 0x4092, 0xac, 0xa9, 0x41, 0xf9, 0x36, 0x93, 0x43, 0x28),
     32}, /* SHA256 */
    {EFI_GUID_INIT(0x3c5766e8, 0x269c, 0x4e34, 0xaa, 0x14, 0xed, 0x77, 0x6e, 0x85, 0xb3, 0xb6),
     256}, /* RSA2048 */
    {EFI_GUID_INIT(0xe2b36190, 0x879b, 0x4a3d, 0xad, 0x8d, 0xf2, 0xe7, 0xbb, 0xa3, 0x27, 0x84),
     256}, /* RSA2048_SHA256 */
    {EFI_GUID_INIT(0x826ca512, 0xcf10, 0x4ac9, 0xb1, 0x87, 0xbe, 0x01, 0x49, 0x66, 0x31, 0xbd),
     20}, /* SHA1 */
    {EFI_GUID_INIT(0x67f8444f, 0x8743, 0x48f1, 0xa3, 0x28, 0x1e, 0xaa, 0xb8, 0x73, 0x60, 0x80),
     256}, /* RSA2048_SHA1 */
    {EFI_GUID_INIT(0xa5c059a1, 0x94e4, 0x4aa7, 0x87, 0xb5, 0xab, 0x15, 0x5c, 0x2b, 0xf0, 0x72),
     0}, /* X509 */
    {EFI_GUID_INIT(0x0b6e5233, 0xa65c, 0x44c9, 0x94, 0x07, 0xd9, 0xab, 0x83, 0xbf, 0xc8, 0xbd),
     28}, /* SHA224 */
    {EFI_GUID_INIT(0xff3e5307, 0x9fd0, 0x48c9, 0x85, 0xf1, 0x8a, 0xd5, 0x6c, 0x70, 0x1e, 0x01),
     48}, /* SHA384 */
    {EFI_GUID_INIT(0x093e0fae, 0xa6c4, 0x4f50, 0x9f, 0x1b, 0xd4, 0x1e, 0x2b, 0x89, 0xc1, 0x9a),
     64}, /* SHA512 */
    {EFI_GUID_INIT(0x3bd2a492, 0x96c0, 0x4079, 0xb4, 0x20, 0xfc, 0xf9, 0x8e, 0xf1, 0x03, 0xed),
     48}, /* X509_SHA256 */
    {EFI_GUID_INIT(0x7076876e, 0x80c2, 0x4ee6, 0xaa, 0xd2, 0x28, 0xb3, 0x49, 0xa6, 0x86, 0x5b),
     64}, /* X509_SHA384 */
    {EFI_GUID_INIT(0x446dbf63, 0x2502, 0x4cda, 0xbc, 0xfa, 0x24, 0x65, 0xd2, 0xb0, 0xfe, 0x9d),
     80}, /* X509_SHA512 */
};

const efi_guid siglist_supported[4] = {
    EFI_GUID_INIT(0x826ca512, 0xcf10, 0x4ac9, 0xb1, 0x87, 0xbe, 0x01, 0x49, 0x66, 0x31,
                  0xbd), /* SHA1 */
    EFI_GUID_INIT(0xc1c41626, 0x504c, 0x4092, 0xac, 0xa9, 0x41, 0xf9, 0x36, 0x93, 0x43,
                  0x28), /* SHA256 */
    EFI_GUID_INIT(0x3c5766e8, 0x269c, 0x4e34, 0xaa, 0x14, 0xed, 0x77, 0x6e, 0x85, 0xb3,
                  0xb6), /* RSA2048 */
    EFI_GUID_INIT(0xa5c059a1, 0x94e4, 0x4aa7, 0x87, 0xb5, 0xab, 0x15, 0x5c, 0x2b, 0xf0,
                  0x72), /* X509 */
};

int siglist_next(const uint8_t *data, size_t size, size_t *off, struct siglist *out)
{
	const uint8_t *p;
	size_t left, body;

	if (*off >= size)
		return 0;
	left = size - *off;
	p = data + *off;
	if (left < SIGLIST_HDR_SIZE)
		return -1;
	memcpy(&out->type, p, 16);
	memcpy(&out->list_size, p + 16, 4);
	memcpy(&out->header_size, p + 20, 4);
	memcpy(&out->sig_size, p + 24, 4);
	if (out->list_size < SIGLIST_HDR_SIZE || out->list_size > left)
		return -1;
	body = out->list_size - SIGLIST_HDR_SIZE;
	/* An entry is at least its owner GUID; the body is a header then whole entries. */
	if (out->header_size > body || out->sig_size <= 16 ||
	    (body - out->header_size) % out->sig_size != 0)
		return -1;
	out->entries = p + SIGLIST_HDR_SIZE + out->header_size;
	out->count = (body - out->header_size) / out->sig_size;
	*off += out->list_size;
	return 1;
}

static bool is_sig_var(const efi_guid *guid, const uint16_t *name, size_t name_size, bool *is_pk)
{
	enum sb_var v = sb_classify(guid, name, name_size);

	*is_pk = v == SB_PK;
	return v == SB_PK || v == SB_KEK || v == SB_DB;
}

static efi_status check_one(const struct siglist *l)
{
	size_t i, t;

	for (t = 0; t < sizeof(sig_types) / sizeof(sig_types[0]); t++)
		if (efi_guid_eq(&l->type, &sig_types[t].type))
			break;
	if (t == sizeof(sig_types) / sizeof(sig_types[0]))
		return EFI_INVALID_PARAMETER; /* an undefined signature type */
	/* edk2: every defined type has SignatureHeaderSize 0. */
	if (l->header_size != 0)
		return EFI_INVALID_PARAMETER;
	if (sig_types[t].data_size != 0 && l->sig_size - 16 != sig_types[t].data_size)
		return EFI_INVALID_PARAMETER;
	if (efi_guid_eq(&l->type, &efi_cert_x509_guid))
		for (i = 0; i < l->count; i++)
			if (!auth_x509_parses(l->entries + i * l->sig_size + 16, l->sig_size - 16))
				return EFI_INVALID_PARAMETER;
	return EFI_SUCCESS;
}

efi_status siglist_check_format(const efi_guid *guid, const uint16_t *name, size_t name_size,
                                const uint8_t *data, size_t size)
{
	struct siglist l;
	size_t off = 0, count = 0;
	bool is_pk;
	int r;

	if (size == 0 || !is_sig_var(guid, name, name_size, &is_pk))
		return EFI_SUCCESS;
	while ((r = siglist_next(data, size, &off, &l)) == 1) {
		efi_status st = check_one(&l);

		if (st != EFI_SUCCESS)
			return st;
		count += l.count;
	}
	if (r < 0)
		return EFI_INVALID_PARAMETER;
	if (is_pk && count > 1)
		return EFI_INVALID_PARAMETER;
	return EFI_SUCCESS;
}

/* Is this entry (sig_size bytes, owner GUID included) already in old? */
static bool entry_present(const uint8_t *old, size_t old_size, const struct siglist *nl,
                          const uint8_t *entry)
{
	struct siglist ol;
	size_t off = 0, i;

	while (siglist_next(old, old_size, &off, &ol) == 1) {
		if (!efi_guid_eq(&ol.type, &nl->type) || ol.sig_size != nl->sig_size)
			continue;
		for (i = 0; i < ol.count; i++)
			if (memcmp(ol.entries + i * ol.sig_size, entry, ol.sig_size) == 0)
				return true;
	}
	return false;
}

size_t siglist_filter(const uint8_t *old, size_t old_size, const uint8_t *add, size_t add_size,
                      uint8_t *out)
{
	struct siglist nl;
	size_t off = 0, len = 0, i;

	while (siglist_next(add, add_size, &off, &nl) == 1) {
		size_t start = len, kept = 0;
		uint32_t list_size;

		for (i = 0; i < nl.count; i++) {
			const uint8_t *e = nl.entries + i * nl.sig_size;

			if (entry_present(old, old_size, &nl, e))
				continue;
			if (kept++ == 0) {
				/* The list header (and its SignatureHeader) once, for the
				 * survivors. */
				memcpy(out + len, add + off - nl.list_size,
				       SIGLIST_HDR_SIZE + nl.header_size);
				len += SIGLIST_HDR_SIZE + nl.header_size;
			}
			memcpy(out + len, e, nl.sig_size);
			len += nl.sig_size;
		}
		if (kept) {
			list_size = (uint32_t)(len - start);
			memcpy(out + start + 16, &list_size, 4);
		}
	}
	return len;
}

bool siglist_first_x509(const uint8_t *data, size_t size, const uint8_t **der, size_t *len)
{
	struct siglist l;
	size_t off = 0;

	while (siglist_next(data, size, &off, &l) == 1)
		if (efi_guid_eq(&l.type, &efi_cert_x509_guid) && l.count > 0) {
			*der = l.entries + 16;
			*len = l.sig_size - 16;
			return true;
		}
	return false;
}
