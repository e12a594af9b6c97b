/* The emulated platform's report: fill and sign (emulated_report.h). */
#include "crypto/emulated_report.h"
#include <bearssl.h>
#include <string.h>

void emulated_report_fill(struct snp_report *r, const uint8_t report_data[64],
                          const uint8_t measurement[48], const uint8_t report_id[32])
{
	memset(r, 0, sizeof(*r));
	r->version = SNP_REPORT_VERSION;
	r->policy = SNP_POLICY_SMT | SNP_POLICY_RSVD1; /* debug off: nobody can read the guest */
	r->vmpl = 0;
	r->signature_algo = SNP_SIG_ALGO_ECDSA_P384_SHA384;
	memcpy(r->report_data, report_data, sizeof(r->report_data));
	memcpy(r->measurement, measurement, sizeof(r->measurement));
	memcpy(r->report_id, report_id, sizeof(r->report_id));
	memcpy(r->chip_id, SNP_EMULATED_CHIP_ID, sizeof(SNP_EMULATED_CHIP_ID) - 1);
}

/* BearSSL's raw signature is r||s big-endian; the report wants each little-endian. */
static void put_le(uint8_t dst[72], const uint8_t *be, size_t n)
{
	memset(dst, 0, 72);
	for (size_t i = 0; i < n; i++)
		dst[i] = be[n - 1 - i];
}

int emulated_report_sign(struct snp_report *r, const uint8_t scalar[48])
{
	br_sha384_context h;
	uint8_t digest[48], sig[96];
	br_ec_private_key sk = {BR_EC_secp384r1, (unsigned char *)scalar, 48};
	size_t n;
	br_sha384_init(&h);
	br_sha384_update(&h, r, SNP_REPORT_SIGNED_LEN);
	br_sha384_out(&h, digest);
	n = br_ecdsa_i31_sign_raw(&br_ec_prime_i31, &br_sha384_vtable, digest, &sk, sig);
	if (n != sizeof(sig))
		return -1;
	put_le(r->sig_r, sig, 48);
	put_le(r->sig_s, sig + 48, 48);
	return 0;
}
