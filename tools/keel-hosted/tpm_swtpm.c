/*
 * swtpm's socket protocol, as tpm2-tss's swtpm TCTI and QEMU speak it: raw
 * TPM commands on the data port (the TPM header gives the size), control
 * commands (swtpm tpm_ioctl.h, "Control Channel Specification") on the
 * control port: u32 CMD_* then its fixed payload; the answer starts with a
 * u32 TPM 1.2-style result (CMD_GET_CAPABILITY: just the u64 capabilities).
 */
#include <string.h>

#include "tpm_frontend.h"
#include "vtpm_protocol.h"
#include "vtpm_router.h"

/* tpm_ioctl.h capability bits offered. */
#define PTM_CAP_INIT (1u << 0)
#define PTM_CAP_SHUTDOWN (1u << 1)
#define PTM_CAP_GET_TPMESTABLISHED (1u << 2)
#define PTM_CAP_SET_LOCALITY (1u << 3)
#define PTM_CAP_CANCEL_TPM_CMD (1u << 5)
#define PTM_CAP_RESET_TPMESTABLISHED (1u << 7)
#define PTM_CAP_STOP (1u << 10)
#define PTM_CAP_GET_CONFIG (1u << 11)
#define PTM_CAP_SET_DATAFD (1u << 12)
#define PTM_CAP_SET_BUFFERSIZE (1u << 13)
#define PTM_CAP_GET_INFO (1u << 14)
#define PTM_CAP_LOCK_STORAGE (1u << 16)

/* TPM 1.2 result codes swtpm uses on the control channel. */
#define TPM_SUCCESS 0u
#define TPM_BAD_PARAMETER 3u
#define TPM_FAIL 9u
#define TPM_BAD_ORDINAL 10u
#define TPM_BAD_LOCALITY 0x3du

int tpm_swtpm_data(struct tpm_frontend *fe, struct tpm_conn *c, const struct tpm_frame *f)
{
	uint8_t rsp[VTPM_ROUTER_RSP_MAX];
	uint32_t n = 0;
	/* Locality 0 always: CMD_SET_LOCALITY admits nothing else (the vtpm's rule). */
	tpm_fe_route_command(fe, c, 0, f->data, f->data_len, rsp, &n);
	return tpm_conn_send(c, rsp, n) ? -1 : 0;
}

static int send_words(struct tpm_conn *c, const uint32_t *w, unsigned n)
{
	uint8_t b[16];
	unsigned i;
	for (i = 0; i < n; i++)
		tpm_put_be32(b + 4 * i, w[i]);
	return tpm_conn_send(c, b, 4 * n) ? -1 : 0;
}

/*
 * The vtpm's I/O buffer is fixed: the SVSM page minus its header, which is
 * also what libtpms reports as TPM_PT_MAX_COMMAND/RESPONSE_SIZE. A client
 * that asks for another size (QEMU's CRB asks for 3968) gets the size in
 * effect, min = max = it, as swtpm answers with the size TPMLIB_SetBufferSize
 * clamped to; reporting the requested size would let the client trust a
 * limit the TPM does not enforce.
 */
static int ctrl_buffersize(struct tpm_conn *c, uint32_t want)
{
	uint32_t w[4] = {TPM_SUCCESS, TPM_FRAME_CMD_MAX, TPM_FRAME_CMD_MAX, TPM_FRAME_CMD_MAX};
	if (want && want != TPM_FRAME_CMD_MAX)
		tpm_conn_log(c, "CMD_SET_BUFFERSIZE %u: the buffer is fixed at %u bytes", (unsigned)want,
			     TPM_FRAME_CMD_MAX);
	return send_words(c, w, 4);
}

/* CMD_GET_INFO: libtpms' JSON in swtpm; none here. Lengths count the NUL, as swtpm's. */
static int ctrl_info(struct tpm_conn *c, uint32_t offset)
{
	static const char info[] = "{}";
	uint32_t tot = sizeof(info), len = offset < tot ? tot - offset : 0;
	uint32_t w[3] = {TPM_SUCCESS, tot, len};
	if (offset >= tot - 1) {
		w[0] = TPM_BAD_PARAMETER;
		return send_words(c, w, 1);
	}
	if (send_words(c, w, 3))
		return -1;
	return tpm_conn_send(c, info + offset, len) ? -1 : 0;
}

/* Power-cycle style commands go to the vtpm as platform signals. */
static int ctrl_signal(struct tpm_frontend *fe, struct tpm_conn *c, uint32_t sig)
{
	uint32_t r = tpm_fe_signal(fe, c, sig) ? TPM_FAIL : TPM_SUCCESS;
	if (sig == VTPM_SIGNAL_POWER_OFF)
		fe->tpm_stopped = 1; /* off even if the vtpm complained */
	else if (!r)
		fe->tpm_stopped = 0;
	return send_words(c, &r, 1);
}

/*
 * CMD_SET_LOCALITY. swtpm keeps one locality for its one client and hands
 * it to libtpms; keel-hosted serves many clients and its vtpm serves
 * locality 0 only (docs/vtpm.md: SVSM_VTPM_CMD with another locality is
 * refused), so 0 is acknowledged and every other locality refused with
 * TPM_BAD_LOCALITY (swtpm's answer for one it does not take). Nothing is
 * stored: no client's choice reaches another client's commands.
 */
static int ctrl_locality(struct tpm_conn *c, uint8_t loc)
{
	uint32_t r = TPM_SUCCESS;
	if (loc != 0) {
		tpm_conn_log(c, "CMD_SET_LOCALITY %u refused (TPM_BAD_LOCALITY): only locality 0 is served",
			     (unsigned)loc);
		r = TPM_BAD_LOCALITY;
	}
	return send_words(c, &r, 1);
}

int tpm_swtpm_ctrl(struct tpm_frontend *fe, struct tpm_conn *c, const struct tpm_frame *f)
{
	const uint32_t caps = PTM_CAP_INIT | PTM_CAP_SHUTDOWN | PTM_CAP_GET_TPMESTABLISHED |
			      PTM_CAP_SET_LOCALITY | PTM_CAP_CANCEL_TPM_CMD |
			      PTM_CAP_RESET_TPMESTABLISHED | PTM_CAP_STOP | PTM_CAP_GET_CONFIG |
			      (c->local ? PTM_CAP_SET_DATAFD : 0) | PTM_CAP_SET_BUFFERSIZE |
			      PTM_CAP_GET_INFO | PTM_CAP_LOCK_STORAGE;
	uint32_t w[2] = {TPM_SUCCESS, 0};
	/* As swtpm: these need a running TPM (after CMD_STOP, until CMD_INIT, TPM_BAD_ORDINAL). */
	if (fe->tpm_stopped && (f->op == CMD_GET_TPMESTABLISHED || f->op == CMD_RESET_TPMESTABLISHED ||
				f->op == CMD_CANCEL_TPM_CMD)) {
		w[0] = TPM_BAD_ORDINAL;
		return send_words(c, w, 1);
	}
	switch (f->op) {
	case CMD_GET_CAPABILITY:
		w[0] = 0;
		w[1] = caps;
		return send_words(c, w, 2);
	case CMD_INIT:
		return ctrl_signal(fe, c, VTPM_SIGNAL_RESET);
	case CMD_STOP:
		return ctrl_signal(fe, c, VTPM_SIGNAL_POWER_OFF);
	case CMD_SHUTDOWN:
		tpm_conn_log(c, "CMD_SHUTDOWN: keel-hosted keeps serving (SIGTERM stops it)");
		return send_words(c, w, 1);
	case CMD_GET_TPMESTABLISHED:
		return send_words(c, w, 2); /* result, then the bit (0: no DRTM) and padding */
	case CMD_SET_LOCALITY:
		return ctrl_locality(c, f->locality);
	case CMD_RESET_TPMESTABLISHED:
		/* libtpms resets the flag from locality 3 or 4 only; it is never set here (no DRTM). */
		if (f->locality != 3 && f->locality != 4)
			w[0] = TPM_BAD_LOCALITY;
		return send_words(c, w, 1);
	case CMD_GET_CONFIG:
		return send_words(c, w, 2);
	case CMD_SET_DATAFD:
		w[0] = c->local ? tpm_fe_adopt_datafd(fe, c) : TPM_BAD_PARAMETER;
		if (!c->local)
			tpm_conn_log(c, "CMD_SET_DATAFD needs the Unix control socket (--ctrl-path)");
		return send_words(c, w, 1);
	case CMD_SET_BUFFERSIZE:
		return ctrl_buffersize(c, f->arg);
	case CMD_GET_INFO:
		return ctrl_info(c, f->arg);
	case CMD_LOCK_STORAGE:
		return send_words(c, w, 1);
	case CMD_CANCEL_TPM_CMD:
		/* Nothing to cancel: the front end runs one command at a time to completion. */
		return send_words(c, w, 1);
	default: /* hashing (DRTM) and volatile-state storing are not offered */
		tpm_conn_log(c, "control command 0x%x not offered", (unsigned)f->op);
		w[0] = TPM_BAD_ORDINAL;
		return send_words(c, w, 1);
	}
}
