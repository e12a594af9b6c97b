/*
 * attest-bridge's HTTP/1.1 response parsing as the bytes arrive from the
 * network: in pieces whose boundaries TCP (or an attacker on the path)
 * chooses. The input is 4 bytes seeding the piece sizes, then the bytes
 * the broker sends.
 *
 * 1. http_parse on every growing prefix, each copied into a heap buffer of
 *    exactly its length (ASan catches a read past the input), with the
 *    invariants: a result in {-1, 0, 1}; on 0 a consumed length within the
 *    input, a body within HTTP_BODY_MAX and NUL-terminated, a status in
 *    100..599, a cookie of the allowed characters; on -1 an error message;
 *    and the answer never depends on the split: once a prefix is complete
 *    or malformed, every longer prefix (and the whole input) says the same
 *    with the same response.
 * 2. http_request (http_client.c) over a transport that hands out the same
 *    pieces, three requests on one keep-alive connection, so the client's
 *    buffering, "bytes after the response", reconnect and cookie handling
 *    run on the same input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

static void fail(const char *why)
{
	fprintf(stderr, "http-response: %s\n", why);
	abort();
}

/* xorshift32 from the input's first bytes: the piece sizes. */
static uint32_t rng;
static size_t piece(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	/* Mostly small pieces, sometimes up to 4 KiB. */
	return 1 + (rng >> 8) % (1u << (rng % 13));
}

static int parse_copy(const char *data, size_t len, struct http_rsp *r, size_t *used)
{
	char err[128];
	char *buf = malloc(len ? len : 1);
	if (!buf)
		abort();
	memcpy(buf, data, len);
	err[0] = 0;
	int rc = http_parse(buf, len, r, used, err, sizeof(err));
	free(buf);
	if (rc != -1 && rc != 0 && rc != 1)
		fail("a result outside -1, 0, 1");
	if (rc == -1 && (err[0] == 0 || !memchr(err, 0, sizeof(err))))
		fail("malformed without a reason");
	if (rc != 0)
		return rc;
	if (*used == 0 || *used > len)
		fail("a consumed length outside the input");
	if (r->body_len > HTTP_BODY_MAX || r->body[r->body_len] != 0)
		fail("a body over HTTP_BODY_MAX or not NUL-terminated");
	if (r->status < 100 || r->status > 599)
		fail("a status outside 100..599");
	size_t n = strnlen(r->cookie, sizeof(r->cookie));
	if (n == sizeof(r->cookie))
		fail("a cookie not NUL-terminated");
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_",
		            r->cookie[i]))
			fail("a cookie character outside [0-9A-Za-z_-]");
	return 0;
}

static int same(const struct http_rsp *a, const struct http_rsp *b)
{
	return a->status == b->status && a->close == b->close && !strcmp(a->cookie, b->cookie) &&
	       a->body_len == b->body_len && !memcmp(a->body, b->body, a->body_len);
}

static void incremental(const char *data, size_t size)
{
	static struct http_rsp first, r;
	size_t used, first_used = 0;
	int first_rc = 1;
	for (size_t have = 0; have < size;) {
		size_t p = piece();
		have = p > size - have ? size : have + p;
		int rc = parse_copy(data, have, first_rc == 1 ? &first : &r, &used);
		if (first_rc == 1) {
			first_rc = rc;
			first_used = used;
			continue;
		}
		if (rc != first_rc)
			fail("a longer prefix changed the verdict (the split decides)");
		if (rc == 0 && (used != first_used || !same(&first, &r)))
			fail("a longer prefix parsed to a different response");
	}
}

/* The transport: the input in pieces, then EOF on every read. */
struct feed {
	struct transport t;
	const char *data;
	size_t size, at;
	unsigned connects;
};

static int t_connect(struct transport *t)
{
	((struct feed *)t)->connects++;
	return 0;
}

static int t_write(struct transport *t, const void *buf, size_t len, unsigned timeout_ms)
{
	(void)t;
	(void)timeout_ms;
	if (len == 0 || len > HTTP_REQ_MAX || memcmp(buf, "GET ", 4))
		fail("a request that is empty, too long or not the method asked for");
	return 0;
}

static long t_read(struct transport *t, void *buf, size_t cap, unsigned timeout_ms)
{
	struct feed *f = (struct feed *)t;
	(void)timeout_ms;
	if (cap == 0)
		fail("a read of 0 bytes");
	size_t n = piece();
	if (n > cap)
		n = cap;
	if (n > f->size - f->at)
		n = f->size - f->at;
	memcpy(buf, f->data + f->at, n);
	f->at += n;
	return (long)n;
}

static void t_close(struct transport *t)
{
	(void)t;
}

static void client(const char *data, size_t size)
{
	static struct http_client c;
	static struct http_rsp r;
	static struct feed f;
	char err[128];
	memset(&c, 0, sizeof(c));
	memset(&f, 0, sizeof(f));
	f.t.name = "fuzz";
	f.t.connect = t_connect;
	f.t.write = t_write;
	f.t.read = t_read;
	f.t.close = t_close;
	f.data = data;
	f.size = size;
	c.t = &f.t;
	for (int i = 0; i < 3; i++) {
		size_t before = f.at;
		if (http_request(&c, "GET", "/kbs/v0/resource", NULL, 0, &r, err, sizeof(err)) != 0)
			break;
		if (r.body_len > HTTP_BODY_MAX || f.at == before)
			fail("a response read without consuming input, or over the body cap");
	}
	if (f.at > f.size || f.connects > 7)
		fail("read past the input, or reconnected without end");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	uint32_t seed = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
	                (uint32_t)data[3] << 24;
	rng = seed ? seed : 1;
	incremental((const char *)data + 4, size - 4);
	rng = seed ? seed : 1;
	client((const char *)data + 4, size - 4);
	return 0;
}
