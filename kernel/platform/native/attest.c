/* Attestation on the native platform: there is no PSP, so no report (docs/abi.md, keel_attest_report). */
#include "keel/errors.h"
#include "platform/platform.h"

long platform_attest_report(const uint8_t report_data[64], void *out, size_t cap)
{
	(void)report_data;
	(void)out;
	(void)cap;
	return KEEL_ENOTSUP;
}
