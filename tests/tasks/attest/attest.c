/*
 * keel_attest_report from a task with cap=attest (tests/system/attest-booted.sh,
 * tests/hosted/attest-report-hosted.sh): asks for a report over a known 64-byte
 * report_data (byte i = i * 7 + 3), prints it as hex in 32-byte lines
 * "attest report: NN HEX" for the host to verify with openssl, and checks
 * the size rules. Ends with exit 0 when every check passed.
 */
#include "../hostile/tlog.h"
#include <keel/errors.h>
#include <keel/snp_report.h>
#include <keel/syscall.h>

static uint8_t report[SNP_REPORT_LEN + 64] __attribute__((aligned(4096)));

static void print_report(const uint8_t *r, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t off = 0; off < n; off += 32) {
		struct tline l;
		char h[65];
		size_t k = n - off < 32 ? n - off : 32;
		for (size_t i = 0; i < k; i++) {
			h[2 * i] = hx[r[off + i] >> 4];
			h[2 * i + 1] = hx[r[off + i] & 15];
		}
		h[2 * k] = 0;
		tl_init(&l, "attest report");
		tl_udec(&l, off / 32);
		tl_str(&l, " ");
		tl_str(&l, h);
		tl_emit(&l);
	}
}

int main(void)
{
	uint8_t data[64];
	long n;
	tcheck_prefix = "attest";
	for (int i = 0; i < 64; i++)
		data[i] = (uint8_t)(i * 7 + 3);
	tcheck_eq("a buffer one byte short -> ETOOBIG",
	          keel_attest_report(data, report, SNP_REPORT_LEN - 1), KEEL_ETOOBIG);
	int64_t t0 = keel_time(KEEL_CLOCK_MONOTONIC);
	n = keel_attest_report(data, report, sizeof(report));
	int64_t t1 = keel_time(KEEL_CLOCK_MONOTONIC);
	tcheck_eq("report length", n, SNP_REPORT_LEN);
	{
		/* The kernel signs with interrupts off: how long one report holds the CPU. */
		struct tline l;
		tl_init(&l, "attest");
		tl_str(&l, "one report took ");
		tl_udec(&l, (uint64_t)(t1 - t0) / 1000);
		tl_str(&l, " us");
		tl_emit(&l);
	}
	if (n == SNP_REPORT_LEN)
		print_report(report, SNP_REPORT_LEN);
	tcheck_eq("exactly SNP_REPORT_LEN bytes of room is enough",
	          keel_attest_report(data, report, SNP_REPORT_LEN), SNP_REPORT_LEN);
	tcheck_finish();
	return 0;
}
