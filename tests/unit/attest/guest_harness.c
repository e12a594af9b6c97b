/* The fakes around router + guest attestation (guest_harness.h). */
#include <string.h>

#include <keel/errors.h>
#include <keel/msg.h>
#include <keel/svsm.h>
#include <keel/syscall.h>

#include "../../../apps/attest-bridge/guest_attest.h"
#include "../../../apps/vtpm/vtpm_protocol.h"
#include "guest_harness.h"
#include "svsm/router.h"
#include "task/manifest.h"

uint8_t h_gmem[H_GSIZE];
int h_vtpm_mode, h_report_mode, h_service_calls;
/* A stand-in TPMT_PUBLIC (the real one is checked in tests/unit/vtpm). */
const uint8_t h_ekpub[] = {0x00, 0x01, 0x00, 0x0b, 0x00, 0x03, 0x00, 0xb2, 'E', 'K', 'P', 'U', 'B'};
const size_t h_ekpub_len = sizeof(h_ekpub);

int svsm_gmem_check(uint64_t gpa, uint64_t len)
{
	return (!len || gpa < H_GBASE || gpa - H_GBASE > H_GSIZE ||
	        len > H_GSIZE - (gpa - H_GBASE))
	           ? -1
	           : 0;
}
int svsm_gmem_read(uint64_t gpa, void *dst, size_t len)
{
	if (svsm_gmem_check(gpa, len))
		return -1;
	memcpy(dst, h_gmem + (gpa - H_GBASE), len);
	return 0;
}
int svsm_gmem_write(uint64_t gpa, const void *src, size_t len)
{
	if (svsm_gmem_check(gpa, len))
		return -1;
	memcpy(h_gmem + (gpa - H_GBASE), src, len);
	return 0;
}
void svsm_set_calling_area(uint64_t gpa)
{
	(void)gpa;
}
void kmem_wipe(void *p, size_t n)
{
	memset(p, 0, n);
}

/* The kernel's channel call to attest-bridge's slot 0: the bridge's handler, directly. */
long svsm_service_call(uint32_t protocol, const void *req, size_t req_len, void *rsp,
                       size_t rsp_cap)
{
	(void)protocol;
	h_service_calls++;
	return (long)attest_guest_handle(req, req_len, rsp, rsp_cap);
}

/* The vtpm's slot 2 (apps/vtpm/ekpub_service.c's side). */
long keel_chan_call(keel_handle_t h, const void *req, size_t req_len, void *rsp, size_t rsp_cap)
{
	const struct keel_msg *m = (const struct keel_msg *)req;
	struct keel_msg r = {VTPM_OP_EKPUB, (uint32_t)h_ekpub_len};
	if (h != 3 || req_len != sizeof(*m) || m->op != VTPM_OP_EKPUB)
		return KEEL_EINVAL;
	if (h_vtpm_mode == 2)
		return KEEL_EPEERCLOSED;
	if (h_vtpm_mode == 1) {
		struct {
			struct keel_msg hdr;
			int32_t status;
		} e = {{KEEL_OP_ERROR, 4}, KEEL_ENOTSUP};
		memcpy(rsp, &e, sizeof(e));
		return sizeof(e);
	}
	if (rsp_cap < sizeof(r) + h_ekpub_len)
		return KEEL_ETOOBIG;
	memcpy(rsp, &r, sizeof(r));
	memcpy((uint8_t *)rsp + sizeof(r), h_ekpub, h_ekpub_len);
	return (long)(sizeof(r) + h_ekpub_len);
}

long keel_attest_report(const void *report_data64, void *out, size_t cap)
{
	if (h_report_mode == 1)
		return KEEL_ENOTSUP;
	if (cap < 1184)
		return KEEL_EFAULT;
	memset(out, 0x5e, 1184);
	memcpy((uint8_t *)out + 0x50, report_data64, 64);
	return 1184;
}

int h_setup(void)
{
	static struct manifest m;
	static const char *rules[] = {"0:rcx-desc:64@0,16,32,48", "1:rcx-desc:88@0,16,32,48"};
	memset(&m, 0, sizeof(m));
	m.ntasks = 1;
	m.tasks[0].protocol = 1;
	m.tasks[0].nbuffers = 2;
	for (unsigned i = 0; i < 2; i++)
		if (svsm_buffer_rule_parse(rules[i], strlen(rules[i]), &m.tasks[0].buffers[i], 0, 0))
			return -1;
	svsm_router_init(&m);
	h_vtpm_mode = h_report_mode = h_service_calls = 0;
	return 0;
}

struct svsm_regs h_call(uint32_t call, uint64_t rcx)
{
	struct svsm_regs r = {1ull << 32 | call, rcx, 0x1d1d, 0x8888, 0};
	svsm_handle_call(&r);
	return r;
}
