/*
 * The client side of storaged (storaged_client.h): whole objects moved in
 * STORAGED_CHUNK_MAX pieces over the client's channel. Every answer is
 * checked (framing, op, status, lengths) before its bytes are used; a
 * failed call or a malformed answer is STORAGED_EIO.
 */
#include <stdlib.h>
#include <string.h>

#include <keel/syscall.h>

#include "storaged_client.h"

struct call {
	uint8_t *req, *rsp;
	struct storaged_rsp r; /* the answer's header, checked */
	size_t data;           /* bytes after it */
};

static int call_open(struct call *c)
{
	c->req = malloc(sizeof(struct storaged_req) + STORAGED_CHUNK_MAX);
	c->rsp = malloc(sizeof(struct storaged_rsp) + STORAGED_CHUNK_MAX);
	if (!c->req || !c->rsp) {
		free(c->req);
		free(c->rsp);
		c->req = c->rsp = NULL;
		return STORAGED_ENOMEM;
	}
	return STORAGED_OK;
}

/* Both buffers may hold secret state (a vTPM's): wiped before they go. */
static void call_close(struct call *c)
{
	if (c->req)
		explicit_bzero(c->req, sizeof(struct storaged_req) + STORAGED_CHUNK_MAX);
	if (c->rsp)
		explicit_bzero(c->rsp, sizeof(struct storaged_rsp) + STORAGED_CHUNK_MAX);
	free(c->req);
	free(c->rsp);
}

/* Fills a request header; the name must fit (checked by name_fits). */
static void call_req(struct call *c, uint32_t op, const char *name, uint64_t offset,
                     uint64_t length, size_t data)
{
	struct storaged_req q;
	memset(&q, 0, sizeof(q));
	q.hdr.op = op;
	q.hdr.len = (uint32_t)(sizeof(q) - sizeof(q.hdr) + data);
	if (name)
		strcpy(q.name, name);
	q.offset = offset;
	q.length = length;
	memcpy(c->req, &q, sizeof(q));
}

/* One call; the answer's status (after its framing is checked), or STORAGED_EIO. */
static int call_do(keel_handle_t h, struct call *c, size_t data)
{
	uint32_t op = ((struct keel_msg *)c->req)->op;
	long n = keel_chan_call(h, c->req, sizeof(struct storaged_req) + data, c->rsp,
	                        sizeof(struct storaged_rsp) + STORAGED_CHUNK_MAX);
	if (n < (long)sizeof(c->r) || keel_msg_check(c->rsp, (size_t)n))
		return STORAGED_EIO;
	memcpy(&c->r, c->rsp, sizeof(c->r));
	if (c->r.hdr.op != op)
		return STORAGED_EIO;
	c->data = (size_t)n - sizeof(c->r);
	if (c->r.status != STORAGED_OK && c->data)
		return STORAGED_EIO;
	return c->r.status;
}

static int name_fits(const char *name)
{
	return name && strlen(name) < STORAGED_NAME_MAX;
}

/* The chunks of one object into *data; STORAGED_EIO if the answers disagree about its size. */
static int get_chunks(keel_handle_t h, struct call *c, const char *name, uint8_t **data,
                      size_t *len)
{
	uint8_t *buf = NULL;
	uint64_t size = 0, got = 0;
	do {
		call_req(c, STORAGED_OP_READ, name, got, STORAGED_CHUNK_MAX, 0);
		int rc = call_do(h, c, 0);
		if (rc == STORAGED_OK && got == 0) {
			size = c->r.size;
			if (size > STORAGED_OBJECT_MAX)
				rc = STORAGED_EIO;
			else if (size && !(buf = malloc((size_t)size)))
				rc = STORAGED_ENOMEM;
		}
		if (rc == STORAGED_OK &&
		    (c->r.size != size || c->data > size - got || (c->data == 0 && got < size)))
			rc = STORAGED_EIO;
		if (rc != STORAGED_OK) {
			if (buf) /* what arrived may be secret */
				explicit_bzero(buf, (size_t)got);
			free(buf);
			return rc;
		}
		if (c->data) /* an empty object has no buffer */
			memcpy(buf + got, c->rsp + sizeof(c->r), c->data);
		got += c->data;
	} while (got < size);
	*data = buf;
	*len = (size_t)size;
	return STORAGED_OK;
}

int storaged_get(keel_handle_t h, const char *name, uint8_t **data, size_t *len)
{
	struct call c;
	if (!name_fits(name))
		return STORAGED_EINVAL;
	int rc = call_open(&c);
	if (rc == STORAGED_OK)
		rc = get_chunks(h, &c, name, data, len);
	call_close(&c);
	return rc;
}

int storaged_put(keel_handle_t h, const char *name, const void *data, size_t len)
{
	struct call c;
	size_t off = 0;
	if (!name_fits(name) || (len && !data))
		return STORAGED_EINVAL;
	if (len > STORAGED_OBJECT_MAX)
		return STORAGED_ETOOBIG;
	int rc = call_open(&c);
	do {
		size_t n = len - off < STORAGED_CHUNK_MAX ? len - off : STORAGED_CHUNK_MAX;
		if (rc != STORAGED_OK)
			break;
		call_req(&c, STORAGED_OP_WRITE, name, off, len, n);
		if (n)
			memcpy(c.req + sizeof(struct storaged_req), (const uint8_t *)data + off, n);
		rc = call_do(h, &c, n);
		off += n;
	} while (off < len);
	call_close(&c);
	return rc;
}

/* A request with no data and no answer data. */
static int simple(keel_handle_t h, uint32_t op, const char *name, uint64_t *size)
{
	struct call c;
	int rc = call_open(&c);
	if (rc != STORAGED_OK)
		return rc;
	call_req(&c, op, name, 0, 0, 0);
	rc = call_do(h, &c, 0);
	if (rc == STORAGED_OK && c.data)
		rc = STORAGED_EIO;
	if (rc == STORAGED_OK && size)
		*size = c.r.size;
	call_close(&c);
	return rc;
}

int storaged_delete(keel_handle_t h, const char *name)
{
	return name_fits(name) ? simple(h, STORAGED_OP_DELETE, name, NULL) : STORAGED_EINVAL;
}

int storaged_commit(keel_handle_t h, uint64_t *generation)
{
	return simple(h, STORAGED_OP_COMMIT, NULL, generation);
}

int storaged_abort(keel_handle_t h)
{
	return simple(h, STORAGED_OP_ABORT, NULL, NULL);
}

/* One LIST answer's entries to fn; the last name into `after`. 1 when fn stopped. */
static int list_entries(struct call *c, char after[STORAGED_NAME_MAX],
                        int (*fn)(void *arg, const char *name, uint64_t size), void *arg)
{
	const uint8_t *p = c->rsp + sizeof(c->r), *end = p + c->data;
	for (uint64_t i = 0; i < c->r.size; i++) {
		uint64_t size;
		uint8_t nlen;
		if (end - p < 9)
			return STORAGED_EIO;
		memcpy(&size, p, 8);
		nlen = p[8];
		if (nlen == 0 || nlen >= STORAGED_NAME_MAX || end - p - 9 < nlen)
			return STORAGED_EIO;
		memcpy(after, p + 9, nlen);
		after[nlen] = '\0';
		p += 9 + nlen;
		if (fn(arg, after, size))
			return 1;
	}
	return p == end ? STORAGED_OK : STORAGED_EIO;
}

int storaged_list(keel_handle_t h, int (*fn)(void *arg, const char *name, uint64_t size), void *arg)
{
	struct call c;
	char after[STORAGED_NAME_MAX] = "";
	int rc = call_open(&c);
	while (rc == STORAGED_OK) {
		call_req(&c, STORAGED_OP_LIST, after, 0, 0, 0);
		rc = call_do(h, &c, 0);
		if (rc != STORAGED_OK || c.r.size == 0)
			break;
		rc = list_entries(&c, after, fn, arg);
	}
	call_close(&c);
	return rc == 1 ? STORAGED_OK : rc;
}
