/* The broker's HTTPS (docs/kbs.md "HTTPS"): OpenSSL terminates TLS and
 * libmicrohttpd serves the plaintext. Each accepted TCP connection gets a
 * thread that runs the handshake under a deadline, then hands MHD one end
 * of a socketpair (MHD_add_connection) and relays bytes between the TLS
 * session and the other end. MHD's keep-alive, body limits and connection
 * timeout apply unchanged; a stalled or garbage handshake holds only its
 * own thread.
 *
 *   tls_ctx.c     the server identity: certificate, key, chain, checked
 *   tls_server.c  listener, per-connection threads, handshake, hand-off
 *   tls_relay.c   the byte relay between a TLS session and MHD's socket */
#ifndef KBS_TLS_H
#define KBS_TLS_H

#include <netinet/in.h>
#include <stddef.h>

#define KBS_TLS_CONN_MAX 256          /* concurrent TLS connections (MHD's limit too) */
#define KBS_TLS_HANDSHAKE_MS 10000    /* the same 10 s as MHD's connection timeout */
#define KBS_TLS_IDLE_MS 30000         /* relay without progress: MHD's 10 s ends it first */

struct ssl_ctx_st;
struct ssl_st;
struct MHD_Daemon;
struct kbs_tls_server;

/* An SSL_CTX for a TLS 1.2+ server from PEM files: cert (a leaf, optionally
 * followed by its intermediates), key (must match cert), chain (optional:
 * more intermediates). NULL with a reason naming the option in err. */
struct ssl_ctx_st *kbs_tls_ctx_load(const char *cert, const char *key, const char *chain, char *err,
				    size_t errlen);

/* Listens on addr and feeds each handshaken connection to http (started
 * with kbs_http_start(s, NULL)). Takes ctx. NULL with a reason in err. */
struct kbs_tls_server *kbs_tls_server_start(struct ssl_ctx_st *ctx, const struct sockaddr_in *addr,
					    struct MHD_Daemon *http, char *err, size_t errlen);
/* Stops accepting, ends every connection thread, frees. Call before
 * stopping the MHD daemon. */
void kbs_tls_server_stop(struct kbs_tls_server *t);

/* Relays between ssl (on the non-blocking TCP socket net) and the
 * non-blocking socket plain until either side closes, an error, stop_fd
 * turns readable, or KBS_TLS_IDLE_MS pass without progress. Returns 0 on
 * a clean end, -1 otherwise (the caller closes everything). */
int kbs_tls_relay(struct ssl_st *ssl, int net, int plain, int stop_fd);

#endif
