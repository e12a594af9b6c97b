/*
 * storaged's request handler (apps/storaged/service.c, storaged_handle)
 * driven by fuzzed message sequences over a RAM device: two client
 * channels (namespaces alpha and beta) and the key channel. Each record
 * of the input is one message:
 *   u8 channel (mod 3), u8 kind, then either
 *   kind & 0x80: u16 length + that many raw bytes (any framing at all), or
 *   a well-formed request: op = SERVICE_BASE + kind % 0x12, a name from
 *   the input (48 bytes, or one of a few good ones), u8 offset/length
 *   selectors and a data length (WRITE).
 * Checked after every message: the reply is well framed, fits the buffer,
 * carries a known status; at the end: the store holds nothing outside
 * alpha/ and beta/, and everything is freed (ASan's leak check).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "storaged.h"

#define RAM_BLOCKS 128u /* 512 KiB: room for a few objects, quick to format */

void keel_logf(const char *fmt, ...)
{
	(void)fmt;
}

struct input {
	const uint8_t *p;
	size_t left;
};

static uint8_t take(struct input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static const char *const good_names[] = {"a", "permall", "obj.1", "x-y_z", "zz"};
static const uint64_t sizes[] = {0,
                                 1,
                                 100,
                                 4095,
                                 4096,
                                 4097,
                                 32768,
                                 40000,
                                 70000,
                                 STORAGED_OBJECT_MAX,
                                 STORAGED_OBJECT_MAX + 1ull,
                                 UINT64_MAX};

/* Builds one message from the input into msg; returns its length. */
static size_t build(struct input *in, uint8_t kind, uint8_t *msg, size_t cap)
{
	if (kind & 0x80) {
		size_t n = take(in) | (size_t)take(in) << 8;
		if (n > in->left)
			n = in->left;
		if (n > cap)
			n = cap;
		memcpy(msg, in->p, n);
		in->p += n;
		in->left -= n;
		return n;
	}
	struct storaged_req q;
	memset(&q, 0, sizeof(q));
	q.hdr.op = KEEL_OP_SERVICE_BASE + kind % 0x12;
	uint8_t sel = take(in);
	if (sel < 0xf0) {
		strcpy(q.name, good_names[sel % 5]);
	} else {
		for (size_t i = 0; i < sizeof(q.name); i++)
			q.name[i] = (char)take(in);
	}
	q.offset = sizes[take(in) % 12] + (take(in) & 3);
	q.length = sizes[take(in) % 12];
	size_t data = (size_t)sizes[take(in) % 9];
	if (q.hdr.op == STORAGED_OP_UNLOCK) {
		struct storaged_unlock u;
		memset(&u, 0, sizeof(u));
		u.hdr.op = q.hdr.op;
		u.hdr.len = sizeof(u) - sizeof(u.hdr);
		memset(u.key, sel & 1 ? 0x11 : 0x22,
		       sizeof(u.key)); /* the good key or a wrong one */
		u.min_generation = sel & 2 ? 0 : sel;
		memcpy(msg, &u, sizeof(u));
		return sizeof(u);
	}
	if (q.hdr.op != STORAGED_OP_WRITE || data > cap - sizeof(q))
		data = 0;
	q.hdr.len = (uint32_t)(sizeof(q) - sizeof(q.hdr) + data);
	memcpy(msg, &q, sizeof(q));
	memset(msg + sizeof(q), sel, data);
	return sizeof(q) + data;
}

static void check_reply(const uint8_t *rsp, size_t n)
{
	struct storaged_rsp r;
	if (n == sizeof(struct keel_msg))
		return; /* PING */
	if (n < sizeof(r) || n > STORAGED_RSP_MAX || keel_msg_check(rsp, n))
		abort();
	memcpy(&r, rsp, sizeof(r));
	if (r.status < STORAGED_ENODEV || r.status > STORAGED_ABSENT)
		abort();
	if (r.status != STORAGED_OK && n != sizeof(r))
		abort();
}

static int only_namespaces(void *arg, const char *name, uint64_t size)
{
	(void)arg;
	(void)size;
	if (strncmp(name, "alpha/", 6) && strncmp(name, "beta/", 5))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t msg[KEEL_MSG_MAX], rsp[STORAGED_RSP_MAX];
	static struct storaged sd;
	struct input in = {data, size};
	memset(&sd, 0, sizeof(sd));
	if (store_ramdev_init(&sd.dev, RAM_BLOCKS) != STORAGED_OK)
		return 0;
	strcpy(sd.chans[0].ns, "alpha");
	strcpy(sd.chans[1].ns, "beta");
	sd.chans[2].is_key = 1;
	sd.nchans = 3;
	for (unsigned i = 0; i < 3; i++)
		sd.chans[i].open = 1;
	for (unsigned count = 0; in.left && count < 64; count++) {
		struct storaged_chan *ch = &sd.chans[take(&in) % 3];
		size_t n = build(&in, take(&in), msg, sizeof(msg));
		check_reply(rsp, storaged_handle(&sd, ch, msg, n, rsp, sizeof(rsp)));
	}
	if (sd.store) /* a store error is fine here; a name outside the namespaces aborts */
		(void)store_list(sd.store, "", only_namespaces, NULL);
	for (unsigned i = 0; i < 3; i++)
		storaged_chan_reset(&sd.chans[i]);
	if (sd.store)
		store_close(sd.store);
	store_ramdev_free(&sd.dev);
	return 0;
}
