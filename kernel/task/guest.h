/*
 * The guest on the native platform (docs/architecture.md §5, docs/guest.md): a
 * manifest task with `kind=guest`, in its own address space at CPL3, with
 * no syscalls. Its memory is identity-mapped: guest virtual = guest
 * "physical" address, GUEST_BASE .. GUEST_BASE + memory. It talks to Keel
 * only through the emulated VMPL switch (GHCB MSR + VMGEXIT, trapped by
 * platform/native/guest_trap.c), COM1/COM2 port I/O and its exit (HLT).
 */
#ifndef KEEL_TASK_GUEST_H
#define KEEL_TASK_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "task/task.h"

#define GUEST_BASE 0x100000ul            /* first guest physical address */
#define GUEST_MEM_MIN (64ull << 10)      /* room for image, stack and the three fixed pages */
#define GUEST_MEM_MAX (1ull << 30)
#define GUEST_STACK_MIN (16ull << 10)    /* kept free between the image and the fixed pages */
/* The fixed pages at the top of guest memory, counted down from the end. */
#define GUEST_SECRETS_FROM_TOP 1u /* secrets-page-like page: SVSM fields (SNP layout) */
#define GUEST_CA_FROM_TOP 2u      /* the initial SVSM calling area */
#define GUEST_BOOT_FROM_TOP 3u    /* the command line (manifest arg), NUL-terminated */

/* SNP secrets page offsets of the SVSM fields (SEV-SNP ABI, #56860, secrets page). */
#define SECRETS_VERSION 0x000u
#define SECRETS_SVSM_BASE 0x140u
#define SECRETS_SVSM_SIZE 0x148u
#define SECRETS_SVSM_CAA 0x150u
#define SECRETS_SVSM_MAX_VERSION 0x158u
#define SECRETS_SVSM_GUEST_VMPL 0x15cu

#define GUEST_LINE_MAX 160

struct guest {
	struct task *task;
	uint64_t base, size;
	uint64_t ghcb_msr;      /* the emulated GHCB MSR (0xC0010130) */
	uint64_t caa;           /* the calling area's GPA */
	unsigned step_left;     /* single steps left while looking for VMGEXIT; 0 = not stepping */
	uint64_t calls;         /* SVSM calls performed */
	uint64_t via_step, via_ud, via_lookahead; /* how each VMGEXIT was caught */
	size_t line_len;        /* COM1 output, printed a line at a time */
	char line[GUEST_LINE_MAX];
};

/*
 * Load the guest image for `t` (its address space exists): ELF segments,
 * the rest of guest memory zeroed, the fixed pages. Entry registers:
 * *rdi = secrets page GPA, *rsi = command line GPA, *rsp = stack top.
 * 0, or -1 with the reason in err.
 */
int guest_load(struct task *t, const void *elf, size_t size, uint64_t *entry, uint64_t *rsp,
	       uint64_t *rdi, uint64_t *rsi, char *err, size_t err_len);
/* The guest of the current task, or 0 if it is not the guest. */
/* Only guest.c sets t->guest, to the one guest: inline, it runs on every syscall. */
static inline struct guest *guest_of(struct task *t)
{
	return t ? t->guest : 0;
}
/* The guest task, or 0 when the manifest has none. */
struct task *guest_task(void);

#endif
