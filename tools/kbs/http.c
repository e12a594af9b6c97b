/* libmicrohttpd glue: collects a request body (bounded by KBS_BODY_MAX),
 * hands the complete request to kbs_route, sends its reply. */
#include "http.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

struct conn_ctx {
	char *buf;
	size_t len;
	bool too_large;
};

static enum MHD_Result send_reply(struct MHD_Connection *c, struct kbs_reply *r)
{
	const char *body = r->body ? r->body : "{}";
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "application/json");
	if (r->set_cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	enum MHD_Result rc = MHD_queue_response(c, r->status ? r->status : 500, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	(void)version;
	struct kbs_server *s = cls;
	struct conn_ctx *ctx = *con_cls;
	if (!ctx) {
		ctx = calloc(1, sizeof(*ctx));
		if (!ctx)
			return MHD_NO;
		*con_cls = ctx;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!ctx->too_large && ctx->len + *upload_size <= KBS_BODY_MAX) {
			char *nb = realloc(ctx->buf, ctx->len + *upload_size + 1);
			if (!nb)
				return MHD_NO;
			ctx->buf = nb;
			memcpy(ctx->buf + ctx->len, upload, *upload_size);
			ctx->len += *upload_size;
		} else {
			ctx->too_large = true; /* keep draining; answer 413 at the end */
		}
		*upload_size = 0;
		return MHD_YES;
	}
	struct kbs_reply r = {0};
	const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "kbs-session-id");
	kbs_route(s, method, url, cookie, ctx->buf ? ctx->buf : "", ctx->len, ctx->too_large, &r);
	enum MHD_Result rc = send_reply(c, &r);
	free(r.body);
	return rc;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	struct conn_ctx *ctx = *con_cls;
	if (ctx) {
		free(ctx->buf);
		free(ctx);
		*con_cls = NULL;
	}
}

/* MHD's messages for the HTTPS daemon. MHD applies TCP options to every
 * added connection and complains that the socketpair has none: those
 * lines are expected and dropped; the rest reach the log. */
static void fed_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof(line), fmt, ap);
	if (!strncmp(line, "Setting TCP_", 12) || !strncmp(line, "Failed to push the data", 23))
		return;
	line[strcspn(line, "\n")] = '\0';
	kbs_log("http: %s", line);
}

struct MHD_Daemon *kbs_http_start(struct kbs_server *s, const struct sockaddr_in *addr)
{
	struct MHD_OptionItem common[] = {
		{MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_done, NULL},
		{MHD_OPTION_CONNECTION_TIMEOUT, 10, NULL},
		{MHD_OPTION_CONNECTION_LIMIT, 256, NULL},
		{MHD_OPTION_CONNECTION_MEMORY_LIMIT, 64 * 1024, NULL},
		{MHD_OPTION_END, 0, NULL},
	};
	/* HTTPS: no listen socket; tls_server.c adds each connection after its
	 * handshake. MHD ignores a thread pool without a listen socket, so a
	 * thread per connection (the TLS side has one per connection too). */
	if (!addr)
		return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
						MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC | MHD_USE_ERROR_LOG,
					0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, fed_log, NULL,
					MHD_OPTION_ARRAY, common, MHD_OPTION_END);
	/* A small thread pool: the DB serialises calls on its handle anyway,
	 * but slow clients must not block each other. */
	return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, ntohs(addr->sin_port), NULL,
				NULL, on_request, s, MHD_OPTION_SOCK_ADDR, addr, MHD_OPTION_THREAD_POOL_SIZE, 4u,
				MHD_OPTION_ARRAY, common, MHD_OPTION_END);
}
