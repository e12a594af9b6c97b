/* kbs: Keel's key broker (docs/kbs.md).
 *   kbs --listen 127.0.0.1:PORT --db FILE|postgresql://... --identity-key FILE
 *       [--snp-chain DIR] [--emulated-chain DIR] [--allow-emulated] [--boot-window S]
 *       [--session-ttl S] [--tls-cert FILE --tls-key FILE [--tls-chain FILE]]
 * With --tls-cert/--tls-key it serves HTTPS (tls.h), else plain HTTP. */
#include <arpa/inet.h>
#include <getopt.h>
#include <microhttpd.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "log.h"
#include "server.h"
#include "tls.h"

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static int parse_listen(const char *s, struct sockaddr_in *a)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	return (*end || port < 1 || port > 65535 || inet_pton(AF_INET, host, &a->sin_addr) != 1) ? -1 : 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: kbs --listen ADDR:PORT --db FILE|postgresql://... --identity-key FILE\n"
			"           [--snp-chain DIR] [--emulated-chain DIR] [--allow-emulated]\n"
			"           [--boot-window S] [--session-ttl S]\n"
			"           [--tls-cert FILE --tls-key FILE [--tls-chain FILE]]\n");
	return 2;
}

static long num(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return (*end || v < 0) ? -1 : v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", 1, 0, 'l'}, {"db", 1, 0, 'd'}, {"identity-key", 1, 0, 'i'},
		{"snp-chain", 1, 0, 's'}, {"emulated-chain", 1, 0, 'e'}, {"allow-emulated", 0, 0, 'a'},
		{"boot-window", 1, 0, 'b'}, {"session-ttl", 1, 0, 't'}, {"tls-cert", 1, 0, 'C'},
		{"tls-key", 1, 0, 'K'}, {"tls-chain", 1, 0, 'H'}, {0, 0, 0, 0},
	};
	struct kbs_server s = {.boot_window = 60, .session_ttl = KBS_SESSION_TTL};
	const char *listen = NULL, *db = NULL, *idkey = NULL, *snp = NULL, *emu = NULL;
	const char *tls_cert = NULL, *tls_key = NULL, *tls_chain = NULL;
	char err[512];
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen = optarg; break;
		case 'd': db = optarg; break;
		case 'i': idkey = optarg; break;
		case 's': snp = optarg; break;
		case 'e': emu = optarg; break;
		case 'a': s.allow_emulated = true; break;
		case 'b': if ((s.boot_window = num(optarg)) < 0) return usage(); break;
		case 't': if ((s.session_ttl = num(optarg)) <= 0) return usage(); break;
		case 'C': tls_cert = optarg; break;
		case 'K': tls_key = optarg; break;
		case 'H': tls_chain = optarg; break;
		default: return usage();
		}
	}
	struct sockaddr_in addr;
	if (!listen || !db || !idkey || optind != argc || parse_listen(listen, &addr))
		return usage();
	if (!snp && !emu) {
		fprintf(stderr, "kbs: need --snp-chain and/or --emulated-chain\n");
		return 2;
	}
	if ((tls_cert || tls_chain) && !tls_key) {
		fprintf(stderr, "kbs: --tls-cert%s needs --tls-key\n", tls_cert ? "" : "/--tls-chain");
		return 2;
	}
	if (tls_key && !tls_cert) {
		fprintf(stderr, "kbs: --tls-key needs --tls-cert\n");
		return 2;
	}
	SSL_CTX *tls = NULL;
	if (tls_cert && !(tls = kbs_tls_ctx_load(tls_cert, tls_key, tls_chain, err, sizeof(err)))) {
		fprintf(stderr, "kbs: %s\n", err);
		return 1;
	}
	if (kbs_identity_load(idkey, &s.id, err, sizeof(err)) ||
	    (snp && snp_chain_load(snp, false, &s.snp, err, sizeof(err))) ||
	    (emu && snp_chain_load(emu, true, &s.emu, err, sizeof(err)))) {
		fprintf(stderr, "kbs: %s\n", err);
		SSL_CTX_free(tls);
		return 1;
	}
	s.have_snp = snp != NULL;
	s.have_emu = emu != NULL;
	s.db = kbs_db_open(db, err, sizeof(err));
	if (!s.db) {
		fprintf(stderr, "kbs: database: %s\n", err);
		SSL_CTX_free(tls);
		return 1;
	}
	/* SIGINT/SIGTERM stay blocked except inside sigsuspend (no lost wake-up);
	 * the server's threads, started after this, inherit the block. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = kbs_http_start(&s, tls ? NULL : &addr);
	struct kbs_tls_server *ts = NULL;
	if (d && tls && !(ts = kbs_tls_server_start(tls, &addr, d, err, sizeof(err)))) {
		fprintf(stderr, "kbs: %s on %s\n", err, listen); /* tls was freed */
		MHD_stop_daemon(d);
		return 1;
	}
	if (!d) {
		fprintf(stderr, "kbs: cannot listen on %s\n", listen);
		SSL_CTX_free(tls);
		return 1;
	}
	if (s.allow_emulated)
		kbs_log("WARNING: --allow-emulated: reports signed by the EMULATED chain (%s) are accepted. "
			"Its key is public: this broker is INSECURE, for tests and development only.",
			emu ? emu : "none configured");
	kbs_log("listening on %s (%s), identity pin %s, boot window %llds", listen, ts ? "https" : "http",
		s.id.pin, (long long)s.boot_window);
	while (!stop)
		sigsuspend(&old);
	if (ts)
		kbs_tls_server_stop(ts); /* before MHD: its threads hand connections to d */
	MHD_stop_daemon(d);
	kbs_db_close(s.db);
	kbs_identity_free(&s.id);
	snp_chain_free(&s.snp);
	snp_chain_free(&s.emu);
	kbs_log("stopped");
	return 0;
}
