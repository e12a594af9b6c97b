/*
 * echo-server: answers KEEL_OP_PING and ECHO_OP_ECHO on its channel until
 * the client goes away (KEEL_EPEERCLOSED), then exits 0.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "echo.h"

static uint8_t buf[KEEL_MSG_MAX];

static void say(const char *s)
{
	keel_log(s, strlen(s));
}

/* Builds the answer to the request in buf[0..n) in place; returns its length. */
static size_t answer(size_t n)
{
	struct keel_msg *m = (struct keel_msg *)buf;
	int32_t status = KEEL_EINVAL;
	if (keel_msg_check(buf, n) == 0 && m->op == ECHO_OP_ECHO)
		return n; /* same op, same payload */
	if (keel_msg_check(buf, n) == 0 && m->op == KEEL_OP_PING) {
		m->len = 0;
		return sizeof(*m);
	}
	m->op = KEEL_OP_ERROR;
	m->len = sizeof(status);
	memcpy(buf + sizeof(*m), &status, sizeof(status));
	return sizeof(*m) + sizeof(status);
}

int main(void)
{
	char line[96];
	unsigned long served = 0;
	for (;;) {
		long n = keel_chan_recv(ECHO_HANDLE, buf, sizeof(buf));
		long r;
		if (n == KEEL_EPEERCLOSED)
			break;
		if (n < 0) {
			snprintf(line, sizeof(line), "recv failed: %ld", n);
			say(line);
			/* Only KEEL_ETOOBIG fails one call (its caller was told too);
			 * any other error would repeat on every recv: stop, don't spin. */
			if (n != KEEL_ETOOBIG)
				return 1;
			continue;
		}
		r = keel_chan_reply(ECHO_HANDLE, buf, answer((size_t)n));
		if (r == KEEL_EPEERCLOSED)
			break;
		if (r < 0) {
			snprintf(line, sizeof(line), "reply failed: %ld", r);
			say(line);
		}
		served++;
	}
	snprintf(line, sizeof(line), "client gone after %lu requests; exiting", served);
	say(line);
	return 0;
}
