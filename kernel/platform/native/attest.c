/*
 * Attestation on the native platform (docs/attestation-report.md): there is
 * no PSP, so the kernel EMULATES one. The report has the SEV-SNP layout and
 * is signed by the committed, insecure emulated VCEK (emulated-platform/);
 * the measurement is the launch digest the HOST supplies through fw_cfg
 * (keel-qemu computes it with igvm-measure), since nothing measures a
 * native boot. A verifier can trust such a report no more than the host:
 * hence the broker's --allow-emulated.
 */
#include "arch/x86_64/random.h"
#include "crypto/emulated_report.h"
#include "keel/errors.h"
#include "keel/hex.h"
#include "lib/kprintf.h"
#include "lib/kstring.h"
#include "platform/native/emulated_vcek.h"
#include "platform/native/fw_cfg.h"
#include "platform/platform.h"

#define DIGEST_FILE "opt/keel/launch-digest"

static uint8_t measurement[48], report_id[32];
static int prepared;

/* The host's launch digest: 96 hex digits (a trailing newline allowed); else zeros. */
static void read_launch_digest(void)
{
	char hex[100];
	long n = fw_cfg_read_file(DIGEST_FILE, hex, sizeof(hex));
	if (n == 97 && (hex[96] == '\n' || hex[96] == 0))
		n = 96;
	if (n != 96)
		goto none;
	for (int i = 0; i < 48; i++) {
		int hi = keel_hexval(hex[2 * i]), lo = keel_hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			goto none;
		measurement[i] = (uint8_t)(hi << 4 | lo);
	}
	return;
none:
	memset(measurement, 0, sizeof(measurement));
	kprintf("keel: attest: no launch digest from the host (fw_cfg " DIGEST_FILE "): measurement is zero\n");
}

long platform_attest_report(const uint8_t report_data[64], void *out, size_t cap)
{
	struct snp_report *r = out;
	if (cap < sizeof(*r))
		return KEEL_ETOOBIG;
	if (!prepared) {
		/* report_id: random per boot, as the PSP makes one per launch. */
		if (random_fill(report_id, sizeof(report_id)))
			return KEEL_ENOTSUP;
		read_launch_digest();
		prepared = 1;
	}
	emulated_report_fill(r, report_data, measurement, report_id);
	if (emulated_report_sign(r, emulated_vcek_scalar))
		return KEEL_ENOTSUP;
	return (long)sizeof(*r);
}
