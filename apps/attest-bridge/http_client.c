/*
 * The HTTP/1.1 client (http.h). A request goes out whole; the response is
 * read until http_parse says complete, never past HTTP_BUF_MAX. A reused
 * keep-alive connection that the broker already closed (EOF before any
 * response byte) is reopened once and the request sent again; a new one
 * closed like that is HTTP_ECLOSED for the flow to judge (flow.c).
 */
#include <stdio.h>
#include <string.h>

#include "http.h"

static int fail(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -1;
}

/* Head and body in one write: two would meet Nagle and delayed ACK (40 ms a request). */
static int send_request(struct http_client *c, const char *method, const char *path,
                        const char *body, size_t body_len)
{
	static char req[HTTP_REQ_MAX];
	if (!body)
		body_len = 0;
	int n = snprintf(req, sizeof(req),
	                 "%s %s HTTP/1.1\r\nHost: kbs\r\nAccept: application/json\r\n"
	                 "Connection: keep-alive\r\n%s%s%s"
	                 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
	                 method, path, c->cookie[0] ? "Cookie: kbs-session-id=" : "", c->cookie,
	                 c->cookie[0] ? "\r\n" : "", body_len);
	if (n < 0 || (size_t)n + body_len > sizeof(req))
		return -1;
	if (body_len)
		memcpy(req + n, body, body_len);
	return c->t->write(c->t, req, (size_t)n + body_len, HTTP_TIMEOUT_MS);
}

/* 0 complete, -1 error, HTTP_ECLOSED the connection closed before any byte. */
static int read_response(struct http_client *c, struct http_rsp *r, char *err, size_t errlen)
{
	size_t used;
	c->have = 0;
	for (;;) {
		if (c->have) {
			int p = http_parse(c->buf, c->have, r, &used, err, errlen);
			if (p == 0)
				return used == c->have ? 0 : fail(err, errlen, "bytes after the response");
			if (p < 0)
				return -1;
		}
		if (c->have == sizeof(c->buf))
			return fail(err, errlen, "the response is over the size limit");
		long n = c->t->read(c->t, c->buf + c->have, sizeof(c->buf) - c->have,
		                    HTTP_TIMEOUT_MS);
		if (n == TRANSPORT_ETIMEDOUT)
			return fail(err, errlen, "timed out waiting for the broker");
		if (n == 0 && c->have == 0)
			return HTTP_ECLOSED;
		if (n == 0)
			return fail(err, errlen, "the connection closed in the middle of a response");
		if (n < 0)
			return fail(err, errlen, "reading from the broker failed");
		c->have += (size_t)n;
	}
}

int http_request(struct http_client *c, const char *method, const char *path, const char *body,
                 size_t body_len, struct http_rsp *r, char *err, size_t errlen)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		int reused = c->connected;
		if (!c->connected) {
			if (c->t->connect(c->t))
				return fail(err, errlen, "cannot connect to the broker");
			c->connected = 1;
		}
		int rc = send_request(c, method, path, body, body_len);
		if (rc == 0)
			rc = read_response(c, r, err, errlen);
		else if (!reused)
			rc = fail(err, errlen, "sending to the broker failed");
		else
			rc = HTTP_ECLOSED;
		if (rc == 0) {
			if (r->cookie[0])
				memcpy(c->cookie, r->cookie, sizeof(c->cookie));
			if (r->close) {
				c->t->close(c->t);
				c->connected = 0;
			}
			return 0;
		}
		c->t->close(c->t);
		c->connected = 0;
		if (rc == HTTP_ECLOSED && !reused)
			return fail(err, errlen, "the broker closed the connection before answering"),
			       HTTP_ECLOSED;
		if (rc != HTTP_ECLOSED)
			return -1;
	}
	return fail(err, errlen, "the broker closed the connection");
}
