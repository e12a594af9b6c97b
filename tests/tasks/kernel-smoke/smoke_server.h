/* kernel-smoke server role: included by smoke.c only. */

static void server(void)
{
	int toobig_seen = 0, served = 0;
	keel_handle_t hs[1] = {CHAN};
	for (;;) {
		long w = sc(KEEL_SYS_WAIT, (long)hs, 1, (long)KEEL_WAIT_FOREVER, 0, 0);
		long n = sc(KEEL_SYS_CHAN_RECV, CHAN, (long)req, sizeof(req), 0, 0);
		if (n == KEEL_EPEERCLOSED) {
			check(w == 0, "WAIT reports the closed peer as ready");
			break;
		}
		if (n < (long)sizeof(struct keel_msg)) {
			check(0, "server: short or failed receive");
			break;
		}
		if (((struct keel_msg *)req)->op == OP_TOOBIG) {
			toobig_seen += sc(KEEL_SYS_CHAN_REPLY, CHAN, (long)rsp, 100, 0, 0) == KEEL_ETOOBIG;
			continue;
		}
		for (long i = 0; i < n; i++)
			rsp[i] = (uint8_t)(req[i] + 1);
		if (sc(KEEL_SYS_CHAN_REPLY, CHAN, (long)rsp, n, 0, 0) != 0)
			check(0, "server: reply failed");
		served++;
	}
	check(toobig_seen == 1, "server: oversized reply failed on this side too");
	check(served >= 60, "server: served every round trip");
	check(sc(KEEL_SYS_CHAN_RECV, CHAN, (long)req, 8, 0, 0) == KEEL_EPEERCLOSED, "RECV after peer exit");
	finish();
}
