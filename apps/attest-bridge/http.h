/*
 * A small HTTP/1.1 client for the broker: one request at a time on a
 * keep-alive connection, Content-Length or chunked response bodies,
 * bounded sizes (HTTP_HEAD_MAX, HTTP_BODY_MAX), a timeout per read, and
 * the one cookie the protocol uses (kbs-session-id). The response parser
 * is a pure function (http_parse) so it can be fuzzed.
 */
#ifndef ATTEST_HTTP_H
#define ATTEST_HTTP_H

#include <stddef.h>

#include "transport.h"

#define HTTP_HEAD_MAX 8192
#define HTTP_BODY_MAX 32768
#define HTTP_BUF_MAX (HTTP_HEAD_MAX + HTTP_BODY_MAX + 4096) /* chunk framing */
#define HTTP_COOKIE_MAX 80
#define HTTP_REQ_MAX 16384 /* the broker refuses bodies over 16 KiB */
#define HTTP_TIMEOUT_MS 15000

struct http_rsp {
	int status;
	int close;                    /* Connection: close */
	char cookie[HTTP_COOKIE_MAX]; /* kbs-session-id value, "" if none set */
	char body[HTTP_BODY_MAX + 1]; /* NUL-terminated for convenience */
	size_t body_len;
};

/*
 * Parse a response from the start of `buf`: 0 complete (*used bytes),
 * 1 incomplete (read more), -1 malformed or over a bound (`err` says why).
 */
int http_parse(const char *buf, size_t len, struct http_rsp *r, size_t *used, char *err,
               size_t errlen);

struct http_client {
	struct transport *t;
	int connected;
	char cookie[HTTP_COOKIE_MAX];
	char buf[HTTP_BUF_MAX];
	size_t have;
};

/*
 * Send one request (body may be NULL for GET) and read its response into
 * *r. The session cookie a response sets is kept and sent from then on.
 * 0, or -1 with `err` set, or HTTP_ECLOSED (`err` set too): a new
 * connection was closed before any byte of the response, so the broker
 * may never have seen the request (a TLS server that gave up on a slow
 * handshake looks like that to a TLS 1.3 client).
 */
#define HTTP_ECLOSED (-2)
int http_request(struct http_client *c, const char *method, const char *path, const char *body,
                 size_t body_len, struct http_rsp *r, char *err, size_t errlen);

#endif
