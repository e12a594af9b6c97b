/*
 * The TPM front ends' adapter (vtpm_router.h). A command is built in a
 * one-page window exactly as a guest builds it (SVSM spec, vTPM protocol:
 * little-endian request header, command, zeros) and goes through
 * svsm_port_call: the same router code, buffer rule and reply checks as a
 * booted guest's SVSM_VTPM_CMD. The response is read from the window as a
 * guest reads it.
 */
#include <stdio.h>
#include <string.h>

#include <keel/errors.h>
#include <keel/svsm.h>

#include "hosted.h"
#include "svsm_port.h"
#include "vtpm_protocol.h"
#include "vtpm_router.h"

/* Where the adapter's page sits in its "guest memory" (any page-aligned GPA). */
#define WINDOW_GPA 0x1000u

static uint32_t tpm_protocol = SVSM_VTPM_PROTOCOL;
static uint8_t page[VTPM_BUFFER_SIZE] __attribute__((aligned(64)));

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

void vtpm_router_set_protocol(uint32_t protocol)
{
	tpm_protocol = protocol;
}

uint32_t vtpm_router_protocol(void)
{
	return tpm_protocol;
}

void vtpm_router_follow_client(int client_fd)
{
	hosted_follow_client(client_fd);
}

int vtpm_router_command(uint8_t locality, const uint8_t *cmd, uint32_t len,
			uint8_t *rsp, uint32_t *rsp_len, char *err, size_t err_len)
{
	struct svsm_regs r = {((uint64_t)tpm_protocol << 32) | SVSM_VTPM_CMD, WINDOW_GPA, 0, 0, 0};
	uint32_t size;
	if (len > VTPM_BUFFER_SIZE - VTPM_REQUEST_HEADER) {
		snprintf(err, err_len, "TPM command of %u bytes does not fit the page", (unsigned)len);
		return -1;
	}
	put_le32(page, SVSM_VTPM_PLATFORM_SEND_COMMAND);
	page[4] = locality;
	put_le32(page + 5, len);
	memcpy(page + VTPM_REQUEST_HEADER, cmd, len);
	memset(page + VTPM_REQUEST_HEADER + len, 0, VTPM_BUFFER_SIZE - VTPM_REQUEST_HEADER - len);
	svsm_port_call(&r, WINDOW_GPA, page, sizeof(page));
	if (r.rax != SVSM_SUCCESS) {
		snprintf(err, err_len, "vtpm service refused the command: SVSM result 0x%llx%s",
			 (unsigned long long)r.rax,
			 r.rax == SVSM_ERR_INVALID_REQUEST ? " (service gone or malformed reply)"
			 : r.rax == SVSM_ERR_UNSUPPORTED_PROTOCOL ? " (no task serves the protocol)"
								  : "");
		return -1;
	}
	size = get_le32(page);
	if (size > VTPM_BUFFER_SIZE - VTPM_RESPONSE_HEADER) {
		snprintf(err, err_len, "vtpm response size %u exceeds the page", (unsigned)size);
		return -1;
	}
	memcpy(rsp, page + VTPM_RESPONSE_HEADER, size);
	*rsp_len = size;
	return 0;
}

int vtpm_router_signal(int fd, uint32_t signal, int32_t *status, char *err, size_t err_len)
{
	struct {
		struct keel_msg hdr;
		uint32_t signal;
	} m = {{VTPM_OP_PLATFORM, 4}, signal};
	uint8_t reply[sizeof(struct keel_msg) + 4] = {0};
	struct keel_msg *h = (struct keel_msg *)reply;
	long n = fd < 0 ? KEEL_EBADHANDLE : hosted_chan_call_fd(fd, &m, sizeof(m), reply, sizeof(reply));
	if (n < 0) {
		snprintf(err, err_len, "vtpm service call failed: %s",
			 n == KEEL_EPEERCLOSED ? "channel closed (service gone)"
			 : n == KEEL_ETOOBIG   ? "reply too large"
			 : n == KEEL_EBADHANDLE ? "no task serves the protocol"
						: "channel error");
		return -1;
	}
	if ((size_t)n != sizeof(reply) || keel_msg_check(reply, (size_t)n) || h->len != 4 ||
	    (h->op != VTPM_OP_PLATFORM && h->op != KEEL_OP_ERROR)) {
		snprintf(err, err_len, "vtpm platform reply malformed (op 0x%x, %ld bytes)",
			 (unsigned)h->op, n);
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
