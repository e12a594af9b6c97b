/* SEV-SNP launch digest; see snp_measure.h. */
#include <string.h>

#include <openssl/evp.h>

#include "snp_measure.h"

static int sha384(const void *data, size_t len, uint8_t out[SNP_DIGEST_SIZE])
{
	unsigned int n = 0;
	if (EVP_Digest(data, len, out, &n, EVP_sha384(), NULL) != 1 || n != SNP_DIGEST_SIZE)
		return -1;
	return 0;
}

int snp_measure_step(uint8_t digest[SNP_DIGEST_SIZE], uint8_t page_type, uint64_t gpa,
		     const uint8_t *page)
{
	struct snp_page_info pi;

	memset(&pi, 0, sizeof(pi));
	memcpy(pi.digest_cur, digest, SNP_DIGEST_SIZE);
	if (page && sha384(page, IGVM_PAGE_SIZE_4K, pi.contents))
		return -1;
	pi.length = sizeof(pi);
	pi.page_type = page_type;
	pi.gpa = gpa;
	return sha384(&pi, sizeof(pi), digest);
}

struct measure_ctx {
	uint32_t mask;
	const struct snp_measure_opts *opts;
	uint8_t *digest;
	uint8_t zero[IGVM_PAGE_SIZE_4K];
};

static int step(struct measure_ctx *m, uint8_t type, uint64_t gpa, const uint8_t *page)
{
	if (m->opts && m->opts->on_page)
		m->opts->on_page(type, gpa, m->opts->ctx);
	return snp_measure_step(m->digest, type, gpa, page);
}

/* A PAGE_DATA: 4 KiB or 2 MiB, measured 4 KiB at a time. */
static int measure_page_data(struct measure_ctx *m, const struct igvm_directive *d)
{
	const IGVM_VHS_PAGE_DATA *p = &d->u.page;
	uint32_t pages = (uint32_t)(d->gpa_size / IGVM_PAGE_SIZE_4K);

	for (uint32_t i = 0; i < pages; i++) {
		uint64_t gpa = p->gpa + (uint64_t)i * IGVM_PAGE_SIZE_4K;
		const uint8_t *data = d->data ? d->data + (size_t)i * IGVM_PAGE_SIZE_4K : NULL;
		int rc;
		if (p->data_type == IGVM_PAGE_DATA_TYPE_SECRETS)
			rc = step(m, SNP_PAGE_TYPE_SECRETS, gpa, NULL);
		else if (p->data_type != IGVM_PAGE_DATA_TYPE_NORMAL)
			rc = step(m, SNP_PAGE_TYPE_CPUID, gpa, NULL); /* CPUID_DATA, CPUID_XF */
		else if (p->flags & IGVM_PAGE_DATA_FLAG_UNMEASURED)
			rc = step(m, SNP_PAGE_TYPE_UNMEASURED, gpa, NULL);
		else if (data)
			rc = step(m, SNP_PAGE_TYPE_NORMAL, gpa, data);
		else if (m->opts && m->opts->native_zero)
			rc = step(m, SNP_PAGE_TYPE_ZERO, gpa, NULL);
		else
			rc = step(m, SNP_PAGE_TYPE_NORMAL, gpa, m->zero);
		if (rc)
			return rc;
	}
	return 0;
}

/* igvmmeasure hashes the SevVmsa structure padded with zeroes to a page. */
static int measure_vmsa(struct measure_ctx *m, const struct igvm_directive *d)
{
	uint8_t page[IGVM_PAGE_SIZE_4K];

	memset(page, 0, sizeof(page));
	memcpy(page, d->data, sizeof(SEV_VMSA));
	return step(m, SNP_PAGE_TYPE_VMSA, d->gpa, page);
}

static int visit(const struct igvm_directive *d, void *ctx)
{
	struct measure_ctx *m = ctx;

	if (!(d->compatibility_mask & m->mask))
		return 0;
	switch (d->type) {
	case IGVM_VHT_PAGE_DATA:
		return measure_page_data(m, d);
	case IGVM_VHT_PARAMETER_INSERT:
		/* igvmmeasure: one unmeasured 4 KiB page at the insert GPA. */
		return step(m, SNP_PAGE_TYPE_UNMEASURED, d->gpa, NULL);
	case IGVM_VHT_VP_CONTEXT:
		if (d->vp_platform == IGVM_PLATFORM_TYPE_SEV_SNP)
			return measure_vmsa(m, d);
		return 0;
	}
	return 0;
}

int snp_measure(const struct igvm_file *f, const struct snp_measure_opts *opts,
		uint8_t digest[SNP_DIGEST_SIZE], const char **msg)
{
	struct measure_ctx m;

	memset(&m, 0, sizeof(m));
	m.mask = igvm_platform_mask(f, IGVM_PLATFORM_TYPE_SEV_SNP);
	if (!m.mask) {
		*msg = "the file declares no SEV_SNP platform";
		return -1;
	}
	m.opts = opts;
	m.digest = digest;
	memset(digest, 0, SNP_DIGEST_SIZE);
	if (igvm_for_each(f, visit, &m) != 0) {
		*msg = "SHA-384 failed";
		return -1;
	}
	return 0;
}

/* --check-kvm: what a QEMU/KVM SNP launch measures differently. */
struct kvm_ctx {
	uint32_t mask;
	uint32_t vmsas;
	const char *why;
};

static int kvm_visit(const struct igvm_directive *d, void *arg)
{
	struct kvm_ctx *k = arg;

	if (!(d->compatibility_mask & k->mask))
		return 0;
	if (d->type == IGVM_VHT_VP_CONTEXT && d->vp_platform == IGVM_PLATFORM_TYPE_SEV_SNP) {
		SEV_VMSA v;
		if (k->vmsas++) {
			k->why = "more than one VMSA: QEMU/KVM sets the VMSA of the first vCPU only";
			return 1;
		}
		if (d->u.vp.vp_index != 0) {
			k->why = "the VMSA is not for VP 0";
			return 1;
		}
		if (d->gpa != SNP_KVM_VMSA_GPA) {
			k->why = "VMSA gpa is not 0xFFFFFFFFF000, where KVM always places it";
			return 1;
		}
		memcpy(&v, d->data, sizeof(v));
		if (v.cr0 != 0x31 && v.cr0 != 0x30) {
			k->why = "VMSA CR0 is not 0x31/0x30: KVM measures its reset-compatible CR0, "
				 "so a VMSA in any other mode gives a different digest";
			return 1;
		}
		return 0;
	}
	if (k->vmsas && (d->type == IGVM_VHT_PAGE_DATA || d->type == IGVM_VHT_PARAMETER_INSERT)) {
		k->why = "a page or parameter directive follows the VMSA: QEMU/KVM measure the "
			 "VMSA when the launch finishes, after every page";
		return 1;
	}
	return 0;
}

int snp_check_kvm(const struct igvm_file *f, const char **msg)
{
	struct kvm_ctx k = { .mask = igvm_platform_mask(f, IGVM_PLATFORM_TYPE_SEV_SNP) };

	if (!k.mask) {
		*msg = "the file declares no SEV_SNP platform";
		return -1;
	}
	if (igvm_for_each(f, kvm_visit, &k) != 0) {
		*msg = k.why;
		return -1;
	}
	if (k.vmsas != 1) {
		*msg = "no SEV_SNP VMSA (VP_CONTEXT) in the file";
		return -1;
	}
	return 0;
}
