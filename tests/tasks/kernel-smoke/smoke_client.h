/* kernel-smoke client role: included by smoke.c only. */
extern __thread int tls_var, tls_zero;

static void client_basics(const char *name)
{
	uint64_t canary;
	__asm__ volatile("mov %%fs:0x28, %0" : "=r"(canary));
	check(seq(name, "smoke-client"), "argv[0] is the task name");
	check(tls_var == 42 && tls_zero == 0, "TLS: .tdata copied, .tbss zeroed");
	check(canary != 0, "TLS: stack canary at %fs:0x28");
	long t0 = sc(KEEL_SYS_TIME, KEEL_CLOCK_MONOTONIC, 0, 0, 0, 0);
	long t1 = sc(KEEL_SYS_TIME, KEEL_CLOCK_MONOTONIC, 0, 0, 0, 0);
	long rt = sc(KEEL_SYS_TIME, KEEL_CLOCK_REALTIME, 0, 0, 0, 0);
	check(t0 > 0 && t1 >= t0, "TIME monotonic");
	check(rt > 1600000000L * 1000000000L, "TIME realtime after 2020");
	check(sc(KEEL_SYS_TIME, 9, 0, 0, 0, 0) == KEEL_EINVAL, "TIME bad clock -> EINVAL");
	uint64_t r[4] = {0};
	check(sc(KEEL_SYS_RANDOM, (long)r, sizeof(r), 0, 0, 0) == sizeof(r) && (r[0] | r[1] | r[2] | r[3]),
	      "RANDOM fills the buffer");
	check(sc(KEEL_SYS_RANDOM, (long)r, KEEL_RANDOM_MAX + 1, 0, 0, 0) == KEEL_EINVAL, "RANDOM too long");
	check(sc(999, 0, 0, 0, 0, 0) == KEEL_ENOSYS, "unknown syscall -> ENOSYS");
	check(sc(KEEL_SYS_LOG, 0xffffffff81000000L, 8, 0, 0, 0) == KEEL_EFAULT, "LOG kernel pointer -> EFAULT");
	check(sc(KEEL_SYS_LOG, 16, 8, 0, 0, 0) == KEEL_EFAULT, "LOG unmapped pointer -> EFAULT");
	check(sc(KEEL_SYS_LOG, (long)"x", KEEL_LOG_MAX + 1, 0, 0, 0) == KEEL_EINVAL, "LOG too long");
	check(sc(KEEL_SYS_SET_TLS, (long)0xffff800000000000ull, 0, 0, 0, 0) == KEEL_EINVAL, "SET_TLS kernel address");
	/* native: the emulated report (docs/attestation-report.md), version 2 */
	check(sc(KEEL_SYS_ATTEST_REPORT, (long)req, (long)rsp, 1184, 0, 0) == 1184 && rsp[0] == 2,
	      "ATTEST native -> the emulated 1184-byte report");
	check(sc(KEEL_SYS_ATTEST_REPORT, (long)req, (long)rsp, 1183, 0, 0) == KEEL_ETOOBIG,
	      "ATTEST cap 1183 -> ETOOBIG");
	check(sc(KEEL_SYS_MMIO_MAP, 0, 0, 4096, 0, 0) == KEEL_EPERM, "MMIO_MAP without device -> EPERM");
	check(sc(KEEL_SYS_DMA_ALLOC, 4096, (long)r, 0, 0, 0) == KEEL_EPERM, "DMA_ALLOC without device -> EPERM");
}

static void client_memory(void)
{
	long p = sc(KEEL_SYS_MEM_MAP, 3 * 4096, KEEL_PROT_READ | KEEL_PROT_WRITE, 0, 0, 0);
	check(p > 0, "MEM_MAP 3 pages");
	if (p > 0) {
		volatile uint8_t *m = (volatile uint8_t *)p;
		int zero = m[0] == 0 && m[3 * 4096 - 1] == 0;
		m[0] = 1, m[8191] = 2;
		check(zero && m[0] == 1 && m[8191] == 2, "MEM_MAP memory is zeroed and writable");
		check(sc(KEEL_SYS_MEM_UNMAP, p, 3 * 4096, 0, 0, 0) == 0, "MEM_UNMAP");
		check(sc(KEEL_SYS_MEM_UNMAP, p, 4096, 0, 0, 0) == KEEL_EINVAL, "MEM_UNMAP twice -> EINVAL");
	}
	check(sc(KEEL_SYS_MEM_MAP, 4096, 7, 0, 0, 0) == KEEL_EINVAL, "MEM_MAP W+X refused");
	check(sc(KEEL_SYS_MEM_MAP, 64L << 20, 3, 0, 0, 0) == KEEL_ENOMEM, "MEM_MAP past the limit -> ENOMEM");
}

static int round_trip(size_t len, uint32_t seed)
{
	struct keel_msg *m = (struct keel_msg *)req;
	if (len < sizeof(*m))
		len = sizeof(*m);
	m->op = KEEL_OP_SERVICE_BASE;
	m->len = (uint32_t)(len - sizeof(*m));
	for (size_t i = sizeof(*m); i < len; i++)
		req[i] = (uint8_t)(seed + i * 31);
	long r = sc(KEEL_SYS_CHAN_CALL, CHAN, (long)req, (long)len, (long)rsp, sizeof(rsp));
	if (r != (long)len)
		return 0;
	for (size_t i = sizeof(*m); i < len; i++)
		if (rsp[i] != (uint8_t)(req[i] + 1))
			return 0;
	return 1;
}

static void client_channel(void)
{
	int ok = 1, n = 0;
	double want = sse_work(500);
	for (size_t len = 0; len <= KEEL_MSG_MAX; len += 997, n++)
		ok &= round_trip(len, (uint32_t)n);
	ok &= round_trip(KEEL_MSG_MAX, 7);
	check(ok, "CHAN_CALL round trips 8 B .. 64 KiB, payload transformed by the server");
	check(sse_work(500) == want, "FPU state intact across IPC switches");
	check(sc(KEEL_SYS_CHAN_CALL, CHAN, (long)req, KEEL_MSG_MAX + 1, (long)rsp, sizeof(rsp)) == KEEL_ETOOBIG,
	      "CHAN_CALL > KEEL_MSG_MAX -> ETOOBIG");
	((struct keel_msg *)req)->op = OP_TOOBIG;
	check(sc(KEEL_SYS_CHAN_CALL, CHAN, (long)req, 8, (long)rsp, 16) == KEEL_ETOOBIG,
	      "reply larger than rsp_cap -> ETOOBIG");
	check(sc(KEEL_SYS_CHAN_CALL, CHAN, (long)req, 8, 0xffffffff81000000L, 16) == KEEL_EFAULT,
	      "CHAN_CALL kernel rsp buffer -> EFAULT");
	check(sc(KEEL_SYS_CHAN_CALL, 5, (long)req, 8, (long)rsp, 16) == KEEL_EBADHANDLE, "unknown handle");
	check(sc(KEEL_SYS_CHAN_REPLY, CHAN, (long)req, 8, 0, 0) == KEEL_EINVAL, "REPLY with no request -> EINVAL");
	keel_handle_t hs[1] = {CHAN};
	check(sc(KEEL_SYS_WAIT, (long)hs, 1, 0, 0, 0) == KEEL_EAGAIN, "WAIT poll -> EAGAIN");
	long t0 = sc(KEEL_SYS_TIME, KEEL_CLOCK_MONOTONIC, 0, 0, 0, 0);
	check(sc(KEEL_SYS_WAIT, (long)hs, 1, 20000000, 0, 0) == KEEL_ETIMEDOUT &&
		      sc(KEEL_SYS_TIME, KEEL_CLOCK_MONOTONIC, 0, 0, 0, 0) - t0 >= 20000000,
	      "WAIT 20 ms -> ETIMEDOUT after 20 ms");
	check(sc(KEEL_SYS_HANDLE_CLOSE, CHAN, 0, 0, 0, 0) == 0, "HANDLE_CLOSE");
	check(sc(KEEL_SYS_CHAN_CALL, CHAN, (long)req, 8, (long)rsp, 16) == KEEL_EBADHANDLE, "closed handle");
}

static void client(const char *name)
{
	client_basics(name);
	client_memory();
	client_channel();
	finish();
}
