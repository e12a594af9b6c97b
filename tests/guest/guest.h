/*
 * The test guest (tests/guest/README.md): a freestanding program that is a
 * guest, not a Keel task. It sees Keel only as an SNP guest sees an SVSM:
 * a secrets page, a calling area, the GHCB MSR and VMGEXIT (docs/guest.md).
 */
#ifndef KEEL_TEST_GUEST_H
#define KEEL_TEST_GUEST_H

#include <stddef.h>
#include <stdint.h>

#define GUEST_PAGE 4096u
#define GUEST_MEM_BASE 0x100000ull /* guest memory starts here (docs/guest.md) */
#define GHCB_MSR 0xc0010130u
#define GHCB_MSR_VMPL_REQ 0x016ull
#define GHCB_MSR_VMPL_RESP 0x017ull

/* SNP secrets page, SVSM fields (SEV-SNP ABI; Linux struct snp_secrets_page). */
#define SECRETS_SVSM_BASE 0x140u
#define SECRETS_SVSM_SIZE 0x148u
#define SECRETS_SVSM_CAA 0x150u
#define SECRETS_SVSM_MAX_VERSION 0x158u
#define SECRETS_SVSM_GUEST_VMPL 0x15cu

/* SVSM calling area (SVSM spec #58019 §3). */
struct svsm_ca {
	volatile uint8_t call_pending;
	volatile uint8_t mem_available;
	uint8_t reserved[6];
	uint8_t buffer[4088];
};

struct svsm_call {
	uint64_t rax, rcx, rdx, r8, r9; /* in: RAX = protocol << 32 | call; out: results */
	uint64_t ghcb_resp;             /* the GHCB MSR after VMGEXIT */
	int pending_left;               /* call_pending was still set afterwards */
};

/* io.c */
static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
void con_puts(const char *s);
void con_hex(uint64_t v);
void con_dec(uint64_t v);
/* bench_report.c: the bench modes' call count from the mode's argument
 * (decimal; none or 0: BENCH_DEFAULT; at most BENCH_MAX), and the BENCH line
 * (sorts cycles[0..n) first). */
#define BENCH_MAX 2000u
#define BENCH_DEFAULT 200u
unsigned bench_count(const char *arg);
void bench_report(const char *name, uint64_t *cycles, unsigned n);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int str_eq(const char *a, const char *b);
int str_starts(const char *s, const char *prefix);

/* svsm.c */
extern struct svsm_ca *guest_ca;
extern uint64_t guest_mem_top; /* first GPA past guest memory */
uint64_t ghcb_rdmsr(void);
void ghcb_wrmsr(uint64_t v);
/* A call the way Linux makes it (svsm_perform_msr_protocol). 0, or -1 if the protocol failed. */
int svsm_call(struct svsm_call *c);
/* The same with `gap` instructions between the VMPL request and VMGEXIT. */
int svsm_call_gap(struct svsm_call *c, unsigned gap);
/* The same with VMPL `vmpl` requested, or with call_pending left 0. */
int svsm_call_variant(struct svsm_call *c, uint8_t vmpl, uint8_t pending);

/* The vTPM protocol page (apps/vtpm/vtpm_protocol.h). 0 and the TPM response, or the SVSM error. */
uint64_t vtpm_cmd(uint64_t page_gpa, uint8_t locality, const uint8_t *cmd, uint32_t size, uint8_t *rsp,
		  uint32_t cap, uint32_t *rsp_len);

/* com2.c: the polled second UART, the passthrough modes' link to the host. */
void com2_init(void);
uint8_t com2_get(void);
void com2_put(uint8_t c);
void com2_write(const uint8_t *p, uint32_t n);

/* uefi.c: SVSM_UEFI_MM_REQUEST (protocol 4, call 1) on a page-aligned buffer; the SVSM's RAX, or ~0 if the call failed. */
#define UEFI_BUF_MAX (256u * 1024u)
extern uint8_t uefi_buf[UEFI_BUF_MAX];
uint64_t uefi_mm_request(uint64_t size);
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return (uint64_t)hi << 32 | lo;
}

int selftest(void);
int demo(void);
int passthrough(void);
int uefi_passthrough(void);               /* uefipass.c */
int uefi_bench(const char *arg);          /* uefibench.c */
int svsm_bench(const char *arg);          /* svsmbench.c */
int svsm_bench_vtpm(const char *arg);     /* svsmbench.c */
unsigned demo_uefi(void);                 /* demo_uefi.c: the demo's UEFI variable step, failures */
int guest_fault(const char *mode);

#endif
