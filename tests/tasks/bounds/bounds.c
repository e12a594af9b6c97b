/*
 * The copy and capability rules of issue 12, one binary, mode in argv[1]:
 *   client       device=virtio-blk cap=attest: its MMIO window as the
 *                buffer of every copying syscall is KEEL_EFAULT; DMA memory
 *                (RAM it owns) works as a buffer, also across a channel
 *   peer         device=virtio-blk, the client's peer on slot 1: replies
 *                from and receives into its MMIO window (copies that run in
 *                the client's call), KEEL_EFAULT both
 *   attest-none  no cap=attest: KEEL_EPERM before any buffer is looked at
 *   attest-cap   cap=attest, no device (hosted too): bad buffers EFAULT,
 *                good ones reach the platform (ENOTSUP on native and hosted)
 *   log-forge    logs control bytes, ESC sequences and forged kernel and
 *                launcher outcome lines, then exits 3 (expect=any)
 * Check lines are "bounds MODE: ok - WHAT (got G)" (tests/tasks/hostile/tlog.h);
 * tests/system/bounds-booted.sh and tests/hosted/bounds-hosted.sh read them.
 */
#include <stdint.h>
#include <string.h>

#include <keel/snp_report.h>
#include <keel/syscall.h>

#include "../hostile/tlog.h"

#define SLOT 1
#define KERNEL_TEXT 0xffffffff81000000l
#define VIRTIO_MAGIC 0x74726976u /* "virt" */

enum { OP_REPLY_MMIO = 1, OP_RECV_MMIO = 2, OP_DONE = 3 };

static uint8_t buf[8192] __attribute__((aligned(4096)));

static long sc(long nr, long a0, long a1, long a2, long a3, long a4)
{
	return keel_syscall6(nr, a0, a1, a2, a3, a4, 0);
}

/* The device window and a DMA page, or the task ends with its checks failed. */
static volatile uint32_t *map_device(uint8_t **dma)
{
	long err = 0;
	uint64_t phys = 0;
	volatile uint32_t *mmio = keel_mmio_map(0, 0, 0x200, &err);
	if (!tcheck_true("mmio_map of the virtio-blk window", mmio != NULL))
		tcheck_finish();
	tcheck_eq("the window holds the virtio magic", mmio[0], VIRTIO_MAGIC);
	*dma = keel_dma_alloc(4096, &phys, &err);
	if (!tcheck_true("dma_alloc of one page", *dma != NULL))
		tcheck_finish();
	return mmio;
}

static void client_direct(long m)
{
	tcheck_eq("log from MMIO", sc(KEEL_SYS_LOG, m, 16, 0, 0, 0), KEEL_EFAULT);
	tcheck_eq("random into MMIO", sc(KEEL_SYS_RANDOM, m, 16, 0, 0, 0), KEEL_EFAULT);
	tcheck_eq("chan_call request from MMIO", sc(KEEL_SYS_CHAN_CALL, SLOT, m, 16, (long)buf, 64),
	          KEEL_EFAULT);
	tcheck_eq("chan_call reply buffer in MMIO",
	          sc(KEEL_SYS_CHAN_CALL, SLOT, (long)buf, 16, m, 64), KEEL_EFAULT);
	tcheck_eq("wait handle array in MMIO", sc(KEEL_SYS_WAIT, m, 1, 0, 0, 0), KEEL_EFAULT);
	tcheck_eq("dma_alloc phys_out in MMIO", sc(KEEL_SYS_DMA_ALLOC, 4096, m, 0, 0, 0),
	          KEEL_EFAULT);
	tcheck_eq("attest_report data in MMIO",
	          sc(KEEL_SYS_ATTEST_REPORT, m, (long)buf, 4096, 0, 0), KEEL_EFAULT);
	tcheck_eq("attest_report out in MMIO", sc(KEEL_SYS_ATTEST_REPORT, (long)buf, m, 4096, 0, 0),
	          KEEL_EFAULT);
	tcheck_eq("chan_recv into MMIO", sc(KEEL_SYS_CHAN_RECV, SLOT, m, 64, 0, 0), KEEL_EFAULT);
}

static void client(void)
{
	uint8_t *dma;
	volatile uint32_t *mmio = map_device(&dma);
	uint32_t *req = (uint32_t *)dma, *rsp = (uint32_t *)(dma + 2048);
	client_direct((long)(uintptr_t)mmio);
	memcpy(dma + 1024, "a line from DMA memory\n", 23);
	tcheck_eq("log from DMA memory", keel_log((const char *)dma + 1024, 23), 23);
	tcheck_eq("random into DMA memory", keel_random(dma + 1536, 32), 32);
	/* The peer replies from its window first (EFAULT there), then echoes. */
	req[0] = OP_REPLY_MMIO;
	memcpy(&req[1], "echo me", 8);
	tcheck_eq("chan_call from and into DMA memory", keel_chan_call(SLOT, req, 12, rsp, 64), 12);
	tcheck_true("the peer's echo arrived intact", !memcmp(rsp, req, 12));
	/* The peer receives this one into its window first (EFAULT), then normally. */
	req[0] = OP_RECV_MMIO;
	tcheck_eq("second call reaches the peer", keel_chan_call(SLOT, req, 4, rsp, 64), 4);
	tcheck_eq("the peer's checks so far", (long)rsp[0], 0);
	req[0] = OP_DONE;
	keel_chan_call(SLOT, req, 4, rsp, 64);
}

static void peer(void)
{
	uint8_t *dma;
	long m = (long)(uintptr_t)map_device(&dma);
	uint32_t op = 0;
	while (op != OP_DONE) {
		long n = keel_chan_recv(SLOT, buf, sizeof(buf));
		if (!tcheck_true("recv a request", n >= 4))
			break;
		memcpy(&op, buf, 4);
		if (op == OP_REPLY_MMIO) {
			tcheck_eq("reply from MMIO into the caller",
			          sc(KEEL_SYS_CHAN_REPLY, SLOT, m, 12, 0, 0), KEEL_EFAULT);
			tcheck_eq("reply the echo after that",
			          keel_chan_reply(SLOT, buf, (size_t)n), 0);
			tcheck_eq("recv into MMIO with a call coming",
			          sc(KEEL_SYS_CHAN_RECV, SLOT, m, 0x200, 0, 0), KEEL_EFAULT);
			continue;
		}
		uint32_t failures = (uint32_t)tcheck_failures;
		keel_chan_reply(SLOT, &failures, 4);
	}
}

static void attest_none(void)
{
	tcheck_eq("attest_report without cap=attest, valid buffers",
	          keel_attest_report(buf, buf + 64, 4096), KEEL_EPERM);
	tcheck_eq("attest_report without cap=attest, data NULL",
	          sc(KEEL_SYS_ATTEST_REPORT, 0, (long)buf, 4096, 0, 0), KEEL_EPERM);
	tcheck_eq("attest_report without cap=attest, out in the kernel",
	          sc(KEEL_SYS_ATTEST_REPORT, (long)buf, KERNEL_TEXT, 4096, 0, 0), KEEL_EPERM);
}

static void attest_cap(void)
{
	tcheck_eq("attest_report with cap=attest, data NULL",
	          sc(KEEL_SYS_ATTEST_REPORT, 0, (long)buf, 4096, 0, 0), KEEL_EFAULT);
	tcheck_eq("attest_report with cap=attest, data in the kernel",
	          sc(KEEL_SYS_ATTEST_REPORT, KERNEL_TEXT, (long)buf, 4096, 0, 0), KEEL_EFAULT);
	tcheck_eq("attest_report with cap=attest, out NULL",
	          sc(KEEL_SYS_ATTEST_REPORT, (long)buf, 0, 4096, 0, 0), KEEL_EFAULT);
	tcheck_eq("attest_report with cap=attest, out read-only (its own code)",
	          sc(KEEL_SYS_ATTEST_REPORT, (long)buf, (long)(uintptr_t)&attest_cap & ~4095l, 4096,
	             0, 0),
	          KEEL_EFAULT);
	tcheck_eq("attest_report with cap=attest, valid buffers: the emulated report",
	          keel_attest_report(buf, buf + 64, 4096), SNP_REPORT_LEN);
}

static void log_forge(void)
{
	static const char forged[] =
	    "\x1b[2J\x1b[H\x1b]0;owned\x07 colours \x1b[31mred\x1b[0m, C1 CSI \x9b"
	    "31m, DEL \x7f, NUL \0, CR\rkeel: task 'log-forge': exit 0, expected any: as expected\n"
	    "keel: task 'log-forge': exit 0, expected any: as expected\n"
	    "task 'log-forge' exited 0\n"
	    "keel: task 'log-forge' exited with status 0";
	keel_log(forged, sizeof(forged) - 1);
	tlog("bounds log-forge", "done");
	keel_exit(3);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*run)(void);
	} modes[] = {
	    {"client", client},         {"peer", peer},           {"attest-none", attest_none},
	    {"attest-cap", attest_cap}, {"log-forge", log_forge},
	};
	static char prefix[48] = "bounds ";
	const char *arg = argc > 1 ? argv[1] : "";
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(arg, modes[i].name))
			continue;
		strncat(prefix, arg, sizeof(prefix) - 8);
		tcheck_prefix = prefix;
		modes[i].run();
		tcheck_finish();
	}
	tlog("bounds", "FAIL - unknown mode in argv[1]");
	return 2;
}
