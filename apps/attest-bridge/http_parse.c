/* The HTTP/1.1 response parser (http.h): strict, bounded, never trusts a length. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http.h"

#define HEADERS_MAX 64
#define CHUNK_LINE_MAX 32 /* a chunk-size line with its extensions, before the CRLF */

static int bad(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -1;
}

/* The end of the line starting at p (at the '\r' of "\r\n"), or NULL. */
static const char *line_end(const char *p, const char *end)
{
	for (; p + 1 < end; p++)
		if (p[0] == '\r' && p[1] == '\n')
			return p;
	return NULL;
}

/*
 * The head line starting at p: 1 with *e at its CRLF if it ends within
 * HTTP_HEAD_MAX bytes of the response, 0 if it still may, -1 if it cannot.
 * The head (through its empty line) must fit in HTTP_HEAD_MAX bytes, and
 * the verdict never depends on where the reads split the bytes.
 */
static int head_line(const char *buf, const char *p, const char *end, const char **e)
{
	*e = line_end(p, end);
	if (*e)
		return (size_t)(*e + 2 - buf) <= HTTP_HEAD_MAX ? 1 : -1;
	return (size_t)(end - buf) >= HTTP_HEAD_MAX ? -1 : 0;
}

static int parse_decimal(const char *p, size_t n, size_t limit, size_t *out)
{
	size_t v = 0;
	if (n == 0 || n > 9)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (size_t)(p[i] - '0');
	}
	if (v > limit)
		return -1;
	*out = v;
	return 0;
}

static int header_is(const char *name, size_t nlen, const char *want)
{
	return nlen == strlen(want) && !strncasecmp(name, want, nlen);
}

/* Set-Cookie: kbs-session-id=VALUE[; attrs]. Other cookies are ignored. */
static int take_cookie(const char *v, size_t vlen, struct http_rsp *r)
{
	static const char name[] = "kbs-session-id=";
	if (vlen < sizeof(name) - 1 || strncmp(v, name, sizeof(name) - 1))
		return 0;
	v += sizeof(name) - 1;
	vlen -= sizeof(name) - 1;
	size_t n = 0;
	while (n < vlen && v[n] != ';')
		n++;
	if (n == 0 || n >= sizeof(r->cookie))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'z') ||
		      (v[i] >= 'A' && v[i] <= 'Z') || v[i] == '-' || v[i] == '_'))
			return -1;
	memcpy(r->cookie, v, n);
	r->cookie[n] = 0;
	return 0;
}

struct head {
	int have_len, chunked;
	size_t clen;
};

static int parse_header(const char *p, const char *e, struct head *h, struct http_rsp *r,
                        char *err, size_t errlen)
{
	const char *colon = memchr(p, ':', (size_t)(e - p));
	if (!colon || colon == p)
		return bad(err, errlen, "a header line without a name");
	for (const char *q = p; q < colon; q++)
		if (*q <= ' ' || *q >= 0x7f)
			return bad(err, errlen, "a bad header name");
	const char *v = colon + 1, *ve = e;
	while (v < ve && (*v == ' ' || *v == '\t'))
		v++;
	while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
		ve--;
	size_t nlen = (size_t)(colon - p), vlen = (size_t)(ve - v);
	for (const char *q = v; q < ve; q++)
		if ((unsigned char)*q < 0x20 && *q != '\t')
			return bad(err, errlen, "a control character in a header value");
	if (header_is(p, nlen, "Content-Length")) {
		size_t n;
		if (parse_decimal(v, vlen, HTTP_BODY_MAX, &n))
			return bad(err, errlen, "a bad or oversized Content-Length");
		if (h->have_len && n != h->clen)
			return bad(err, errlen, "two different Content-Lengths");
		h->have_len = 1;
		h->clen = n;
	} else if (header_is(p, nlen, "Transfer-Encoding")) {
		if (vlen != 7 || strncasecmp(v, "chunked", 7))
			return bad(err, errlen, "a Transfer-Encoding other than chunked");
		h->chunked = 1;
	} else if (header_is(p, nlen, "Connection")) {
		if (vlen == 5 && !strncasecmp(v, "close", 5))
			r->close = 1;
	} else if (header_is(p, nlen, "Set-Cookie")) {
		if (take_cookie(v, vlen, r))
			return bad(err, errlen, "a malformed kbs-session-id cookie");
	}
	return 0;
}

static int parse_chunked(const char *p, const char *end, struct http_rsp *r, size_t *used,
                         const char *start, char *err, size_t errlen)
{
	for (;;) {
		const char *e = line_end(p, end);
		/* Too long once even a CRLF next could not end it within the
		 * limit: the same verdict however the line was split. */
		if (!e)
			return (size_t)(end - p) > CHUNK_LINE_MAX + 1
			           ? bad(err, errlen, "a chunk size line too long")
			           : 1;
		if ((size_t)(e - p) > CHUNK_LINE_MAX)
			return bad(err, errlen, "a chunk size line too long");
		size_t n = 0, digits = 0;
		const char *q = p;
		for (; q < e && *q != ';'; q++, digits++) {
			int d = (*q >= '0' && *q <= '9')   ? *q - '0'
			        : (*q >= 'a' && *q <= 'f') ? *q - 'a' + 10
			        : (*q >= 'A' && *q <= 'F') ? *q - 'A' + 10
			                                   : -1;
			if (d < 0 || digits >= 8)
				return bad(err, errlen, "a bad chunk size");
			n = n * 16 + (size_t)d;
		}
		if (digits == 0)
			return bad(err, errlen, "a bad chunk size");
		if (n > HTTP_BODY_MAX - r->body_len)
			return bad(err, errlen, "a chunked body over the size limit");
		p = e + 2;
		if (n == 0) { /* trailers (ignored) up to an empty line */
			for (;;) {
				e = line_end(p, end);
				if (!e)
					return 1;
				if (e == p) {
					*used = (size_t)(e + 2 - start);
					r->body[r->body_len] = 0;
					return 0;
				}
				p = e + 2;
			}
		}
		if ((size_t)(end - p) < n + 2)
			return 1;
		if (p[n] != '\r' || p[n + 1] != '\n')
			return bad(err, errlen, "a chunk not followed by CRLF");
		memcpy(r->body + r->body_len, p, n);
		r->body_len += n;
		p += n + 2;
	}
}

int http_parse(const char *buf, size_t len, struct http_rsp *r, size_t *used, char *err,
               size_t errlen)
{
	const char *p = buf, *end = buf + len;
	struct head h = {0, 0, 0};
	memset(r, 0, offsetof(struct http_rsp, body));
	r->body[0] = 0;
	r->body_len = 0;
	const char *e;
	int got = head_line(buf, p, end, &e);
	if (got <= 0)
		return got < 0 ? bad(err, errlen, "a status line too long") : 1;
	/* "HTTP/1.1 200 OK" (or HTTP/1.0): exactly three digits. */
	if (e - p < 12 || (strncmp(p, "HTTP/1.1 ", 9) && strncmp(p, "HTTP/1.0 ", 9)) ||
	    p[9] < '1' || p[9] > '5' || p[10] < '0' || p[10] > '9' || p[11] < '0' || p[11] > '9' ||
	    (e - p > 12 && p[12] != ' '))
		return bad(err, errlen, "not an HTTP/1.x status line");
	r->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	if (p[7] == '0')
		r->close = 1;
	p = e + 2;
	for (int n = 0;; n++) {
		got = head_line(buf, p, end, &e);
		if (got <= 0)
			return got < 0
			           ? bad(err, errlen, "the response head is over the size limit")
			           : 1;
		if (e == p)
			break;
		if (n == HEADERS_MAX)
			return bad(err, errlen, "too many header lines");
		if (parse_header(p, e, &h, r, err, errlen))
			return -1;
		p = e + 2;
	}
	p += 2;
	if (h.chunked && h.have_len)
		return bad(err, errlen, "both Content-Length and chunked");
	if (h.chunked)
		return parse_chunked(p, end, r, used, buf, err, errlen);
	if (!h.have_len) {
		if (r->status == 204 || r->status == 304 || r->status < 200) {
			*used = (size_t)(p - buf);
			return 0;
		}
		return bad(err, errlen, "no Content-Length and not chunked");
	}
	if ((size_t)(end - p) < h.clen)
		return 1;
	memcpy(r->body, p, h.clen);
	r->body_len = h.clen;
	r->body[h.clen] = 0;
	*used = (size_t)(p + h.clen - buf);
	return 0;
}
