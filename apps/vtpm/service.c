/*
 * Router messages (service.h): decode with request.c, then act. Statuses
 * are listed in docs/vtpm.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel/errors.h>

#include "provision.h"
#include "publish.h"
#include "request.h"
#include "service.h"
#include "state.h"
#include "tpm.h"

static uint8_t tpm_rsp[VTPM_BUFFER_SIZE];

/*
 * A permanent state without the "provisioned" marker cannot come from
 * this vtpm (the manufacture commits both at once) but from an older
 * layout or a hand-edited image; it was never handed to a client with its
 * EK certificates, so it is discarded (staged) and manufactured again.
 */
static int discard_unfinished_manufacture(void)
{
	uint8_t *d = NULL;
	size_t n = 0;
	int r = vtpm_state_load(VTPM_PROVISIONED_BLOB, &d, &n);
	free(d);
	if (r != VTPM_STATE_ABSENT)
		return r == VTPM_STATE_OK ? 0 : -1;
	r = vtpm_state_load("permall", &d, &n);
	if (d)
		explicit_bzero(d, n);
	free(d);
	if (r == VTPM_STATE_ABSENT)
		return 0;
	printf("vtpm: stored state was never fully provisioned: manufacturing again\n");
	return vtpm_state_remove("permall") == VTPM_STATE_OK ? 0 : -1;
}

/* Power on; on a first start manufacture (one commit), then power on for the client. */
static int power_on(void)
{
	int fresh = 0;
	if (discard_unfinished_manufacture() != 0 || vtpm_tpm_power_on(&fresh) != 0) {
		vtpm_state_abort();
		return -1;
	}
	if (fresh) {
		printf("vtpm: no stored state: manufacturing a new TPM\n");
		if (vtpm_manufacture() != 0 || vtpm_tpm_power_on(&fresh) != 0)
			return -1;
	}
	/* libtpms may rewrite permall at power-on (e.g. a state format upgrade). */
	if (vtpm_state_commit() != VTPM_STATE_OK) {
		vtpm_tpm_power_off();
		return -1;
	}
	static int published;
	if (!published) /* once per task start: a RESET or POWER_ON changes nothing there */
		published = vtpm_publish_ek() == 0;
	return 0;
}

int vtpm_service_start(void)
{
	if (vtpm_tpm_setup() != 0) {
		printf("vtpm: libtpms set-up failed\n");
		return -1;
	}
	if (power_on() != 0)
		return -1;
	printf("vtpm: TPM powered on\n");
	return 0;
}

static size_t reply_error(uint8_t *out, int32_t status)
{
	struct keel_msg h = {KEEL_OP_ERROR, sizeof(status)};
	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), &status, sizeof(status));
	return sizeof(h) + sizeof(status);
}

static int32_t platform_signal(uint32_t signal)
{
	switch (signal) {
	case VTPM_SIGNAL_POWER_ON:
		return power_on() == 0 ? KEEL_OK : KEEL_EINVAL;
	case VTPM_SIGNAL_POWER_OFF:
		vtpm_tpm_power_off();
		return KEEL_OK;
	case VTPM_SIGNAL_RESET:
		vtpm_tpm_power_off();
		return power_on() == 0 ? KEEL_OK : KEEL_EINVAL;
	case VTPM_SIGNAL_PHYS_PRES_ON:
	case VTPM_SIGNAL_PHYS_PRES_OFF:
		vtpm_tpm_physical_presence(signal == VTPM_SIGNAL_PHYS_PRES_ON);
		return KEEL_OK;
	case VTPM_SIGNAL_CANCEL_ON:
	case VTPM_SIGNAL_CANCEL_OFF:
		vtpm_tpm_cancel(signal == VTPM_SIGNAL_CANCEL_ON);
		return KEEL_OK;
	case VTPM_SIGNAL_NV_ON:
	case VTPM_SIGNAL_NV_OFF:
		return KEEL_OK; /* NV is always available (docs/vtpm.md) */
	default:
		return KEEL_EINVAL;
	}
}

/*
 * What the command changed in the permanent state must be durable before
 * its response leaves: one storaged commit per changing command. If that
 * fails the response must not claim success, and the TPM in memory is now
 * ahead of the disk: it is powered off, so nothing answers from state
 * that was never stored; the next power-on (hosted POWER_ON, or a reboot)
 * reloads the last committed state.
 */
static void commit_or_fail(uint8_t *rsp, uint32_t *rsp_len)
{
	if (!vtpm_state_pending() || vtpm_state_commit() == VTPM_STATE_OK)
		return;
	vtpm_tpm_power_off();
	vtpm_state_abort();
	explicit_bzero(rsp, *rsp_len);
	vtpm_tpm_error_response(rsp, VTPM_TPM_RC_FAILURE);
	*rsp_len = VTPM_TPM_RESPONSE_HEADER;
	printf("vtpm: the command's state change could not be committed: answered "
	       "TPM_RC_FAILURE, the TPM is off until the next power-on\n");
	fflush(stdout); /* hosted stdout is a buffered pipe: the line must not wait */
}

/* SVSM_VTPM_CMD: the page comes back with {u32 size; response}. */
static uint32_t svsm_cmd(const struct vtpm_msg *m, uint8_t *page, uint32_t *page_len)
{
	struct vtpm_cmd c;
	uint32_t rsp_len = 0;
	uint32_t rc = vtpm_cmd_parse(m->buf, m->buf_len, &c);
	*page_len = 0;
	if (rc != SVSM_SUCCESS)
		return rc;
	vtpm_tpm_execute(c.command, c.size, tpm_rsp, VTPM_MAX_RESPONSE, &rsp_len);
	commit_or_fail(tpm_rsp, &rsp_len);
	*page_len = (uint32_t)vtpm_rsp_encode(page, VTPM_BUFFER_SIZE, tpm_rsp, rsp_len);
	explicit_bzero(tpm_rsp, rsp_len); /* responses may carry unsealed secrets */
	return SVSM_SUCCESS;
}

static size_t svsm_call(const struct vtpm_msg *m, uint8_t *out)
{
	struct keel_svsm_result res;
	memset(&res, 0, sizeof(res));
	switch (m->call) {
	case SVSM_VTPM_QUERY:
		res.rax = SVSM_SUCCESS;
		res.rcx = 1ull << SVSM_VTPM_PLATFORM_SEND_COMMAND; /* supported platform commands */
		res.rdx = 0;                                         /* features: must be zero */
		break;
	case SVSM_VTPM_CMD:
		res.rax = svsm_cmd(m, out + sizeof(res), &res.buf_len);
		break;
	default:
		res.rax = SVSM_ERR_UNSUPPORTED_CALL;
	}
	res.hdr.op = KEEL_OP_SVSM_CALL;
	res.hdr.len = (uint32_t)(sizeof(res) - sizeof(res.hdr) + res.buf_len);
	memcpy(out, &res, sizeof(res));
	return sizeof(res) + res.buf_len;
}

size_t vtpm_service_handle(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	struct vtpm_msg m;
	if (cap < sizeof(struct keel_svsm_result) + VTPM_BUFFER_SIZE)
		return 0;
	if (vtpm_msg_decode(in, n, &m) != 0)
		return reply_error(out, KEEL_EINVAL);
	if (m.kind == VTPM_MSG_SVSM_CALL)
		return svsm_call(&m, out);
	if (m.kind == VTPM_MSG_PING) {
		struct keel_msg h = {KEEL_OP_PING, 0};
		memcpy(out, &h, sizeof(h));
		return sizeof(h);
	}
	int32_t status = platform_signal(m.signal);
	if (vtpm_state_pending() && vtpm_state_commit() != VTPM_STATE_OK) {
		vtpm_tpm_power_off();
		status = KEEL_EINVAL;
		fflush(stdout);
	}
	struct keel_msg h = {VTPM_OP_PLATFORM, sizeof(status)};
	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), &status, sizeof(status));
	return sizeof(h) + sizeof(status);
}
