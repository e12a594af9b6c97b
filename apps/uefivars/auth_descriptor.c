/*
 * EFI_VARIABLE_AUTHENTICATION_2 (UEFI 2.10 §8.2.2): the descriptor in
 * front of every time-based authenticated write. Parsed here once, into
 * struct auth2; the rest of auth works on that struct.
 *
 *   EFI_TIME TimeStamp;                       16
 *   WIN_CERTIFICATE_UEFI_GUID AuthInfo {
 *     u32 dwLength; u16 wRevision; u16 wCertificateType;   8
 *     EFI_GUID CertType;                       16
 *     u8 CertData[dwLength - 24];  }           PKCS#7
 *   u8 payload[];                              the new value
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"

/* 2.16.840.1.101.3.4.2.1, the DER body of the SHA-256 OID (edk2 mSha256OidValue). */
static const uint8_t sha256_oid[9] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};
/* ContentInfo's contentType for SignedData: 06 09 1.2.840.113549.1.7.2 */
static const uint8_t signed_data_oid[11] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                            0xf7, 0x0d, 0x01, 0x07, 0x02};

efi_status auth2_split(const uint8_t *data, size_t size, struct auth2 *out)
{
	uint32_t dw_length;

	memset(out, 0, sizeof(*out));
	if (data == NULL || size < AUTH2_CERT_DATA_OFFSET)
		return EFI_SECURITY_VIOLATION;
	memcpy(&out->time, data, sizeof(out->time));
	memcpy(&dw_length, data + AUTH2_WIN_CERT_OFFSET, 4);
	memcpy(&out->revision, data + AUTH2_WIN_CERT_OFFSET + 4, 2);
	memcpy(&out->cert_type, data + AUTH2_WIN_CERT_OFFSET + 6, 2);
	memcpy(&out->cert_guid, data + AUTH2_WIN_CERT_OFFSET + 8, 16);
	/* edk2 Variable.c: dwLength covers the 24-byte header and must fit in what follows the
	 * time. */
	if (dw_length < AUTH2_WIN_CERT_HDR_SIZE || dw_length > size - AUTH2_WIN_CERT_OFFSET)
		return EFI_SECURITY_VIOLATION;
	out->sig = data + AUTH2_CERT_DATA_OFFSET;
	out->sig_len = dw_length - AUTH2_WIN_CERT_HDR_SIZE;
	out->payload = out->sig + out->sig_len;
	out->payload_len = size - AUTH2_WIN_CERT_OFFSET - dw_length;
	return EFI_SUCCESS;
}

/*
 * The SignedData inside the blob: the blob itself when bare (what efitools
 * writes), or after the ContentInfo header edk2 recognises (30 82 LL LL
 * 06 09 <signedData> A0 82 LL LL; what sbvarsign writes).
 */
static const uint8_t *signed_data_of(const uint8_t *sig, size_t len, size_t *sd_len)
{
	if (len >= 19 && sig[0] == 0x30 && sig[1] == 0x82 &&
	    memcmp(sig + 4, signed_data_oid, sizeof(signed_data_oid)) == 0 && sig[15] == 0xa0 &&
	    sig[16] == 0x82) {
		*sd_len = len - 19;
		return sig + 19;
	}
	*sd_len = len;
	return sig;
}

efi_status auth2_check(const struct auth2 *a)
{
	const uint8_t *sd;
	size_t sd_len;

	if (a->time.pad1 != 0 || a->time.nanosecond != 0 || a->time.timezone != 0 ||
	    a->time.daylight != 0 || a->time.pad2 != 0)
		return EFI_SECURITY_VIOLATION;
	/* edk2 checks type and GUID; the revision is checked too (UEFI §8.2.2 says 0x0200). */
	if (a->cert_type != WIN_CERT_TYPE_EFI_GUID || a->revision != WIN_CERT_REVISION_2_0 ||
	    !efi_guid_eq(&a->cert_guid, &efi_cert_type_pkcs7_guid))
		return EFI_SECURITY_VIOLATION;
	/*
	 * Only SHA-256 (§8.2.2): edk2 reads the first digestAlgorithms OID at
	 * its fixed offset 13 of a SignedData with two-byte lengths. Applied
	 * to the inner SignedData, so a ContentInfo-wrapped blob is held to
	 * the same rule (edk2 itself would refuse the wrapped form here).
	 */
	sd = signed_data_of(a->sig, a->sig_len, &sd_len);
	if (sd_len >= 13 + sizeof(sha256_oid) &&
	    (sd[1] != 0x82 || memcmp(sd + 13, sha256_oid, sizeof(sha256_oid)) != 0))
		return EFI_SECURITY_VIOLATION;
	return EFI_SUCCESS;
}

bool auth_time_after(const struct efi_time *a, const struct efi_time *b)
{
	if (a->year != b->year)
		return a->year > b->year;
	if (a->month != b->month)
		return a->month > b->month;
	if (a->day != b->day)
		return a->day > b->day;
	if (a->hour != b->hour)
		return a->hour > b->hour;
	if (a->minute != b->minute)
		return a->minute > b->minute;
	return a->second > b->second;
}

efi_status auth2_signed_bytes(const struct uv_set_req *req, const struct auth2 *a, uint8_t **out,
                              size_t *out_len)
{
	size_t name_len = req->name_size - 2; /* without the NUL */
	size_t n = name_len + 16 + 4 + sizeof(struct efi_time) + a->payload_len;
	uint8_t *buf = malloc(n ? n : 1);
	uint8_t *p = buf;

	if (buf == NULL)
		return EFI_OUT_OF_RESOURCES;
	memcpy(p, req->name, name_len);
	p += name_len;
	memcpy(p, &req->guid, 16);
	p += 16;
	memcpy(p, &req->attrs, 4); /* as given, APPEND_WRITE included (edk2 signs Attributes) */
	p += 4;
	memcpy(p, &a->time, sizeof(a->time));
	p += sizeof(a->time);
	if (a->payload_len)
		memcpy(p, a->payload, a->payload_len);
	*out = buf;
	*out_len = n;
	return EFI_SUCCESS;
}
