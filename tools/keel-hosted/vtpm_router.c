/*
 * The launcher side of the vtpm router channel (vtpm_router.h). Messages go
 * out exactly as the kernel router sends them booted: the whole page, with
 * the request header little-endian (SVSM spec, vTPM protocol). Replies are
 * checked for framing, op, lengths and the SVSM result before use.
 */
#include <stdio.h>
#include <string.h>

#include <keel/errors.h>
#include <keel/svsm.h>

#include "hosted.h"
#include "vtpm_protocol.h"
#include "vtpm_router.h"

#define REPLY_MAX (sizeof(struct keel_svsm_result) + VTPM_BUFFER_SIZE)

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The request being built: message header, then (for commands) the page. */
static uint8_t req[sizeof(struct keel_svsm_call) + VTPM_BUFFER_SIZE];

/*
 * One call: req[0..len) out, reply into `reply`, through the hosted channel
 * library (its mailbox, size rules and checks). Returns the reply message
 * length (header included), or -1 with `err`.
 */
static ssize_t router_call(size_t len, uint8_t *reply, char *err, size_t err_len, int fd)
{
	long n = hosted_chan_call_fd(fd, req, len, reply, REPLY_MAX);
	if (n < 0) {
		snprintf(err, err_len, "vtpm service call failed: %s",
			 n == KEEL_EPEERCLOSED ? "channel closed (service gone)"
			 : n == KEEL_ETOOBIG   ? "reply too large"
						: "channel error");
		return -1;
	}
	if (keel_msg_check(reply, (size_t)n)) {
		snprintf(err, err_len, "vtpm service reply: bad message framing (%ld bytes)", n);
		return -1;
	}
	return (ssize_t)n;
}

static int result_check(const struct keel_svsm_result *r, size_t n, char *err, size_t err_len)
{
	if (r->hdr.op != KEEL_OP_SVSM_CALL || n < sizeof(*r) ||
	    r->buf_len != n - sizeof(*r) || r->buf_len > VTPM_BUFFER_SIZE) {
		snprintf(err, err_len, "vtpm service reply malformed (op %u, %zu bytes, buf_len %u)",
			 (unsigned)r->hdr.op, n, (unsigned)r->buf_len);
		return -1;
	}
	if (r->rax != SVSM_SUCCESS) {
		snprintf(err, err_len, "vtpm service refused the command: SVSM result 0x%llx",
			 (unsigned long long)r->rax);
		return -1;
	}
	return 0;
}

void vtpm_router_follow_client(int client_fd)
{
	hosted_follow_client(client_fd);
}

int vtpm_router_command(int fd, uint8_t locality, const uint8_t *cmd, uint32_t len,
			uint8_t *rsp, uint32_t *rsp_len, char *err, size_t err_len)
{
	static uint8_t reply[REPLY_MAX];
	const struct keel_svsm_result *r = (const struct keel_svsm_result *)reply;
	struct keel_svsm_call c;
	uint8_t *page = req + sizeof(c);
	uint32_t size;
	ssize_t n;
	if (len > VTPM_BUFFER_SIZE - VTPM_REQUEST_HEADER) {
		snprintf(err, err_len, "TPM command of %u bytes does not fit the page", (unsigned)len);
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.hdr.op = KEEL_OP_SVSM_CALL;
	c.hdr.len = (uint32_t)(sizeof(c) - sizeof(c.hdr) + VTPM_BUFFER_SIZE);
	c.call = SVSM_VTPM_CMD;
	c.buf_len = VTPM_BUFFER_SIZE;
	memcpy(req, &c, sizeof(c));
	/* the whole page, as the kernel router sends it booted: header, command, zeros */
	put_le32(page, SVSM_VTPM_PLATFORM_SEND_COMMAND);
	page[4] = locality;
	put_le32(page + 5, len);
	memcpy(page + VTPM_REQUEST_HEADER, cmd, len);
	memset(page + VTPM_REQUEST_HEADER + len, 0, VTPM_BUFFER_SIZE - VTPM_REQUEST_HEADER - len);
	n = router_call(sizeof(c) + VTPM_BUFFER_SIZE, reply, err, err_len, fd);
	if (n < 0 || result_check(r, (size_t)n, err, err_len))
		return -1;
	size = r->buf_len >= VTPM_RESPONSE_HEADER ? get_le32(reply + sizeof(*r)) : UINT32_MAX;
	if (size > r->buf_len - VTPM_RESPONSE_HEADER || r->buf_len < VTPM_RESPONSE_HEADER) {
		snprintf(err, err_len, "vtpm response size %u exceeds the %u bytes returned",
			 (unsigned)size, (unsigned)r->buf_len);
		return -1;
	}
	memcpy(rsp, reply + sizeof(*r) + VTPM_RESPONSE_HEADER, size);
	*rsp_len = size;
	return 0;
}

int vtpm_router_signal(int fd, uint32_t signal, int32_t *status, char *err, size_t err_len)
{
	struct {
		struct keel_msg hdr;
		uint32_t signal;
	} m = {{VTPM_OP_PLATFORM, 4}, signal};
	uint8_t reply[REPLY_MAX];
	struct keel_msg *h = (struct keel_msg *)reply;
	ssize_t n;
	memcpy(req, &m, sizeof(m));
	n = router_call(sizeof(m), reply, err, err_len, fd);
	if (n < 0)
		return -1;
	if ((size_t)n != sizeof(*h) + 4) {
		snprintf(err, err_len, "vtpm platform reply malformed (%zd bytes)", n);
		return -1;
	}
	if (h->len != 4 || (h->op != VTPM_OP_PLATFORM && h->op != KEEL_OP_ERROR)) {
		snprintf(err, err_len, "vtpm platform reply malformed (op 0x%x, %u bytes)",
			 (unsigned)h->op, (unsigned)h->len);
		return -1;
	}
	memcpy(status, reply + sizeof(*h), 4);
	return 0;
}

void vtpm_error_response(uint8_t out[10], uint32_t rc)
{
	out[0] = 0x80; /* TPM_ST_NO_SESSIONS */
	out[1] = 0x01;
	out[2] = out[3] = out[4] = 0;
	out[5] = 10;
	out[6] = (uint8_t)(rc >> 24);
	out[7] = (uint8_t)(rc >> 16);
	out[8] = (uint8_t)(rc >> 8);
	out[9] = (uint8_t)rc;
}
