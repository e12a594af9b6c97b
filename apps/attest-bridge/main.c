/*
 * attest-bridge: reads its configuration, runs one attestation (flow.c)
 * and, whatever its outcome, serves SVSM protocol 1 on the router handle
 * (attest_guest_handle, guest_attest.h) if the manifest gave it one.
 * A refusal leaves storaged locked; the bridge does not retry on its own
 * (a retry is a new boot: the broker counts boots). The one exception is
 * a connection closed unanswered before the resource step (flow.c).
 */
#include <stdio.h>
#include <string.h>

#include <keel/errors.h>
#include <keel/svsm.h>
#include <keel/syscall.h>
#include <keel/task_data.h>

#include "bridge.h"
#include "flow.h"
#include "guest_attest.h"
#include "guest_ekpub.h"
#include "tls.h"

static struct bridge_config cfg;
static struct http_client hc;
static struct transport tr;
static struct tls_transport tls;
static uint8_t in[KEEL_MSG_MAX], out[KEEL_MSG_MAX];

static void serve_guests(void)
{
	for (;;) {
		long n = keel_chan_recv(KEEL_HANDLE_ROUTER, in, sizeof(in));
		if (n == KEEL_EBADHANDLE || n == KEEL_EPEERCLOSED)
			return; /* no protocol=1 in the manifest, or the router went away */
		if (n < 0)
			continue;
		size_t len = attest_guest_handle(in, (size_t)n, out, sizeof(out));
		keel_chan_reply(KEEL_HANDLE_ROUTER, out, len);
	}
}

/* tls=NAME: TLS over `tr`, the CA certificate(s) from the measured data file. */
static int tls_setup(void)
{
	const void *ca;
	size_t len;
	char err[160];
	int r = keel_task_data(&ca, &len);
	if (r) {
		keel_logf("attest-bridge: bad configuration: tls=%s needs the broker's CA certificate(s) "
		          "(PEM) as the task's data= file (%s); staying locked", cfg.tls_name,
		          r == KEEL_ENOENT ? "the manifest names none" : "it cannot be read");
		return -1;
	}
	if (transport_tls_init(&tls, &tr, cfg.tls_name, ca, len, err, sizeof(err))) {
		keel_logf("attest-bridge: bad configuration: tls=%s: %s; staying locked", cfg.tls_name,
		          err);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char err[160];
	struct flow_result res;
	if (bridge_config_parse(argc > 1 ? argv[1] : "", &cfg, err, sizeof(err))) {
		keel_logf("attest-bridge: bad configuration (manifest arg=): %s", err);
		return 2;
	}
	if (cfg.have_stream) {
		transport_stream_init(&tr, cfg.stream);
	} else if (cfg.have_net) {
		transport_stream_init_named(&tr, cfg.net, "net"); /* netstack: consdev's protocol */
	} else if (transport_tcp_init(&tr, cfg.kbs_host, cfg.kbs_port)) {
		keel_logf("attest-bridge: kbs=HOST:PORT is hosted only; booted Keel uses stream=SLOT "
		          "or net=SLOT");
		return 2;
	}
	if (cfg.have_vtpm)
		attest_guest_set_vtpm(cfg.vtpm); /* protocol 1 asks the vtpm for its EK */
	if (cfg.have_tls && tls_setup())
		return 2;
	hc.t = cfg.have_tls ? &tls.t : &tr;
	keel_logf("attest-bridge: transport=%s%s%s vm=%s", tr.name, cfg.have_tls ? " tls=" : "",
	          cfg.tls_name, cfg.vm);
	if (flow_run(&cfg, &hc, &res) == 0) {
		keel_logf("attest-bridge: unlocked: boot %llu, generation %llu acknowledged",
		           (unsigned long long)res.boot, (unsigned long long)res.generation);
		keel_logf("attest-bridge: time: report %lld us, network %lld us, crypto %lld us",
		           (long long)(res.t.report_ns / 1000), (long long)(res.t.network_ns / 1000),
		           (long long)(res.t.crypto_ns / 1000));
	}
	if (hc.connected)
		hc.t->close(hc.t);
	if (cfg.have_tls)
		transport_tls_free(&tls);
	serve_guests();
	return 0;
}
