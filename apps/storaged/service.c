/*
 * One request in, one reply out (storaged_protocol.h). Decode and check
 * the whole request first, then act. A request's name is relative to the
 * channel's namespace and becomes "namespace/name" here, so a client can
 * name nothing outside its namespace: names are 1..47 of [a-z0-9_.-], no
 * "..", NUL-padded (nothing hides after the NUL).
 */
#include <stdlib.h>
#include <string.h>

#include "storaged.h"

struct reply {
	uint8_t *buf;
	size_t cap, len; /* len: the data after struct storaged_rsp */
	struct storaged_rsp rsp;
};

/* The name's length, or -1 unless it is a valid name ("" only if allow_empty). */
static int name_check(const char name[STORAGED_NAME_MAX], int allow_empty)
{
	size_t len = strnlen(name, STORAGED_NAME_MAX);
	if (len == STORAGED_NAME_MAX || (len == 0 && !allow_empty))
		return -1;
	for (size_t i = len; i < STORAGED_NAME_MAX; i++)
		if (name[i])
			return -1;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-'))
			return -1;
	}
	if (!strcmp(name, ".") || strstr(name, ".."))
		return -1;
	return (int)len;
}

/* "namespace/name" into full (STORE_NAME_MAX always fits: 15 + 1 + 47 + NUL). */
static void full_name(const struct storaged_chan *ch, const char *name, char full[STORE_NAME_MAX])
{
	_Static_assert(STORAGED_NS_MAX - 1 + 1 + STORAGED_NAME_MAX - 1 + 1 <= STORE_NAME_MAX,
	               "namespace/name fits a store name");
	size_t ns = strlen(ch->ns), len = strlen(name);
	memcpy(full, ch->ns, ns);
	full[ns] = '/';
	memcpy(full + ns + 1, name, len + 1);
}

static void snapshot_drop(struct storaged_chan *ch)
{
	if (ch->rdata) {
		explicit_bzero(ch->rdata, ch->rlen);
		free(ch->rdata);
	}
	ch->rdata = NULL;
	ch->rlen = 0;
	ch->rvalid = 0;
}

void storaged_chan_reset(struct storaged_chan *ch)
{
	storaged_stage_drop(ch);
	snapshot_drop(ch);
}

static int op_read(struct storaged *sd, struct storaged_chan *ch, const struct storaged_req *q,
                   struct reply *r)
{
	char full[STORE_NAME_MAX];
	if (name_check(q->name, 0) < 0)
		return STORAGED_EINVAL;
	full_name(ch, q->name, full);
	if (q->offset == 0 || !ch->rvalid || strcmp(ch->rname, full)) {
		snapshot_drop(ch);
		int rc = store_get(sd->store, full, &ch->rdata, &ch->rlen);
		if (rc != STORAGED_OK)
			return rc;
		strcpy(ch->rname, full);
		ch->rvalid = 1;
	}
	r->rsp.size = ch->rlen;
	if (q->offset > ch->rlen) {
		snapshot_drop(ch);
		return STORAGED_EINVAL;
	}
	size_t n = ch->rlen - (size_t)q->offset;
	if (n > q->length)
		n = (size_t)q->length;
	if (n > r->cap - sizeof(struct storaged_rsp))
		n = r->cap - sizeof(struct storaged_rsp);
	if (n) /* an empty object has no buffer at all */
		memcpy(r->buf + sizeof(struct storaged_rsp), ch->rdata + q->offset, n);
	r->len = n;
	if (q->offset + n >= ch->rlen)
		snapshot_drop(ch); /* read to the end: let the memory go */
	return STORAGED_OK;
}

/* Bytes staged on every channel together. */
static uint64_t staged_total(const struct storaged *sd)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < sd->nchans; i++)
		total += sd->chans[i].staged_bytes;
	return total;
}

static int op_write(struct storaged *sd, struct storaged_chan *ch, const struct storaged_req *q,
                    const uint8_t *data, size_t len, struct reply *r)
{
	char full[STORE_NAME_MAX];
	if (name_check(q->name, 0) < 0 || len > STORAGED_CHUNK_MAX)
		return STORAGED_EINVAL;
	/* All channels share storaged's memory: a new object must fit the
	 * total too (counted before an object it restarts is dropped). */
	if (q->offset == 0 && q->length <= STORAGED_OBJECT_MAX &&
	    staged_total(sd) + q->length > STORAGED_STAGE_TOTAL_MAX)
		return STORAGED_ETOOBIG;
	full_name(ch, q->name, full);
	return storaged_stage_write(ch, full, q->offset, q->length, data, len, &r->rsp.size);
}

static int op_delete(struct storaged_chan *ch, const struct storaged_req *q)
{
	char full[STORE_NAME_MAX];
	if (name_check(q->name, 0) < 0)
		return STORAGED_EINVAL;
	full_name(ch, q->name, full);
	return storaged_stage_delete(ch, full);
}

static int op_commit(struct storaged *sd, struct storaged_chan *ch, struct reply *r)
{
	snapshot_drop(ch);
	int rc = storaged_stage_commit(ch, sd->store);
	r->rsp.size = store_generation(sd->store);
	return rc;
}

struct list_ctx {
	const char *after;
	size_t prefix;
	uint8_t *out;
	size_t room, used;
	uint64_t entries;
	int full;
};

static int list_one(void *arg, const char *name, uint64_t size)
{
	struct list_ctx *c = arg;
	const char *rel = name + c->prefix;
	size_t len = strlen(rel);
	if (strcmp(rel, c->after) <= 0)
		return 0;
	if (len == 0 || len >= STORAGED_NAME_MAX)
		return 0; /* not a name a client could have made */
	if (c->room - c->used < sizeof(size) + 1 + len) {
		c->full = 1;
		return 1;
	}
	uint8_t nlen = (uint8_t)len;
	memcpy(c->out + c->used, &size, sizeof(size));
	memcpy(c->out + c->used + sizeof(size), &nlen, 1);
	memcpy(c->out + c->used + sizeof(size) + 1, rel, len);
	c->used += sizeof(size) + 1 + len;
	c->entries++;
	return 0;
}

static int op_list(struct storaged *sd, struct storaged_chan *ch, const struct storaged_req *q,
                   struct reply *r)
{
	char prefix[STORAGED_NS_MAX + 1];
	if (name_check(q->name, 1) < 0)
		return STORAGED_EINVAL;
	size_t ns = strlen(ch->ns);
	memcpy(prefix, ch->ns, ns);
	prefix[ns] = '/';
	prefix[ns + 1] = '\0';
	struct list_ctx c = {.after = q->name,
	                     .prefix = ns + 1,
	                     .out = r->buf + sizeof(struct storaged_rsp),
	                     .room = r->cap - sizeof(struct storaged_rsp)};
	int rc = store_list(sd->store, prefix, list_one, &c);
	if (rc < 0 && !c.full)
		return rc;
	r->len = c.used;
	r->rsp.size = c.entries;
	return STORAGED_OK;
}

/* Client operations: a checked storaged_req (+ WRITE's data). */
static int op_client(struct storaged *sd, struct storaged_chan *ch, uint32_t op, const uint8_t *req,
                     size_t n, struct reply *r)
{
	struct storaged_req q;
	if (ch->is_key)
		return STORAGED_EPERM; /* the key channel has no namespace */
	if (n < sizeof(q) || (op != STORAGED_OP_WRITE && n != sizeof(q)))
		return STORAGED_EINVAL;
	if (!sd->store)
		return STORAGED_ELOCKED;
	memcpy(&q, req, sizeof(q));
	switch (op) {
	case STORAGED_OP_READ:
		return op_read(sd, ch, &q, r);
	case STORAGED_OP_WRITE:
		return op_write(sd, ch, &q, req + sizeof(q), n - sizeof(q), r);
	case STORAGED_OP_DELETE:
		return op_delete(ch, &q);
	case STORAGED_OP_COMMIT:
		return op_commit(sd, ch, r);
	case STORAGED_OP_ABORT:
		storaged_stage_drop(ch);
		return STORAGED_OK;
	default:
		return op_list(sd, ch, &q, r);
	}
}

static int op_unlock(struct storaged *sd, struct storaged_chan *ch, const uint8_t *req, size_t n,
                     struct reply *r)
{
	struct storaged_unlock_boot u = {0};
	if (!ch->is_key)
		return STORAGED_EPERM;
	if (n != sizeof(u.u) && n != sizeof(u))
		return STORAGED_EINVAL;
	memcpy(&u, req, n);
	int rc = storaged_unlock(sd, u.u.key, u.u.min_generation);
	explicit_bzero(&u.u.key, sizeof(u.u.key));
	if (rc == STORAGED_OK && n == sizeof(u))
		rc = storaged_boot_marker(sd, u.boot);
	if (rc == STORAGED_OK) {
		r->rsp.size = store_generation(sd->store);
		keel_logf("keel: state unlocked (generation %llu)",
		             (unsigned long long)r->rsp.size);
	}
	return rc;
}

static int dispatch(struct storaged *sd, struct storaged_chan *ch, uint32_t op, const uint8_t *req,
                    size_t n, struct reply *r)
{
	switch (op) {
	case STORAGED_OP_READ:
	case STORAGED_OP_WRITE:
	case STORAGED_OP_DELETE:
	case STORAGED_OP_COMMIT:
	case STORAGED_OP_ABORT:
	case STORAGED_OP_LIST:
		return op_client(sd, ch, op, req, n, r);
	case STORAGED_OP_UNLOCK:
		return op_unlock(sd, ch, req, n, r);
	case STORAGED_OP_STATUS:
		if (n != sizeof(struct keel_msg) && n != sizeof(struct storaged_req))
			return STORAGED_EINVAL;
		r->rsp.size = sd->store ? store_generation(sd->store) : 0;
		return STORAGED_OK;
	default:
		return STORAGED_EINVAL;
	}
}

size_t storaged_handle(struct storaged *sd, struct storaged_chan *ch, const uint8_t *req, size_t n,
                       uint8_t *rsp, size_t cap)
{
	struct reply r = {.buf = rsp, .cap = cap};
	struct keel_msg m = {0, 0};
	if (n >= sizeof(m))
		memcpy(&m, req, sizeof(m));
	if (m.op == KEEL_OP_PING && keel_msg_check(req, n) == 0) {
		m.len = 0;
		memcpy(rsp, &m, sizeof(m));
		return sizeof(m);
	}
	if (cap < STORAGED_RSP_MAX) /* a caller's bug: say so rather than overrun */
		r.cap = sizeof(struct storaged_rsp);
	r.rsp.status =
	    keel_msg_check(req, n) ? STORAGED_EINVAL : dispatch(sd, ch, m.op, req, n, &r);
	if (r.rsp.status != STORAGED_OK)
		r.len = 0;
	r.rsp.flags = sd->flags;
	r.rsp.hdr.op = m.op;
	r.rsp.hdr.len = (uint32_t)(sizeof(r.rsp) - sizeof(r.rsp.hdr) + r.len);
	memcpy(rsp, &r.rsp, sizeof(r.rsp));
	return sizeof(r.rsp) + r.len;
}
