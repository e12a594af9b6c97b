/*
 * One SVSM call as the router sees it (docs/svsm-routing.md): the guest's
 * registers in, the result registers out; and what the router needs from
 * the rest of the kernel (guest memory, the calling area, the service
 * channels). Those hooks are implemented by kernel/task/guest.c and
 * kernel/svsm/service.c, and by fakes in tests/unit/kernel/, so the router
 * logic (router.c, core.c, buffer.c, forward.c) is host-tested.
 */
#ifndef KEEL_SVSM_CALL_H
#define KEEL_SVSM_CALL_H

#include <stddef.h>
#include <stdint.h>

struct svsm_regs {
	uint64_t rax, rcx, rdx, r8, r9; /* in: RAX = (protocol << 32) | call; out: RAX = result */
};

/* Perform one SVSM call: core protocol here, other protocols to their service. */
void svsm_handle_call(struct svsm_regs *regs);

/* Hooks. Guest physical addresses; each returns 0 or -1 (range not guest memory). */
int svsm_gmem_check(uint64_t gpa, uint64_t len);
int svsm_gmem_read(uint64_t gpa, void *dst, size_t len);
int svsm_gmem_write(uint64_t gpa, const void *src, size_t len);
/* Move the guest's calling area (REMAP_CA, already validated). */
void svsm_set_calling_area(uint64_t gpa);
/*
 * Call the service of `protocol` on its router slot with a kernel buffer;
 * the reply length, or a negative KEEL_E* (service gone, reply too big).
 */
long svsm_service_call(uint32_t protocol, const void *req, size_t req_len, void *rsp, size_t rsp_cap);

#endif
