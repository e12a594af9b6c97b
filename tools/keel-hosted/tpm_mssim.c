/*
 * The TCG reference simulator's TCP protocol (TpmTcpProtocol.h, TcpServer.c
 * of the reference implementation), as tpm2-tss's mssim TCTI speaks it:
 * every command-port op is acknowledged with u32 0 after its own reply,
 * every platform-port op with u32 0 (1 when it failed). TPM commands go to
 * the vtpm as SVSM_VTPM_CMD calls, platform ops as VTPM_OP_PLATFORM signals.
 */
#include "tpm_frontend.h"
#include "vtpm_protocol.h"
#include "vtpm_router.h"

#define SERVER_VERSION 1u
/* TpmTcpProtocol.h TpmEndPointInfo: tpmPlatformAvailable | tpmInRawMode | tpmSupportsPP */
#define SERVER_FLAGS (0x01u | 0x04u | 0x08u)

static int send_command(struct tpm_frontend *fe, struct tpm_conn *c, const struct tpm_frame *f)
{
	uint8_t rsp[VTPM_ROUTER_RSP_MAX + 8];
	uint32_t n = 0;
	tpm_fe_route_command(fe, c, f->locality, f->data, f->data_len, rsp + 4, &n);
	tpm_put_be32(rsp, n);
	tpm_put_be32(rsp + 4 + n, 0);
	return tpm_conn_send(c, rsp, n + 8) ? -1 : 0;
}

int tpm_mssim_command(struct tpm_frontend *fe, struct tpm_conn *c, const struct tpm_frame *f)
{
	switch (f->op) {
	case TPM_SEND_COMMAND:
		return send_command(fe, c, f);
	case TPM_REMOTE_HANDSHAKE:
		if (f->arg == 0) {
			tpm_conn_log(c, "remote handshake with client version 0 (unsupported)");
			return -1;
		}
		if (tpm_conn_send_u32(c, SERVER_VERSION) || tpm_conn_send_u32(c, SERVER_FLAGS))
			return -1;
		break;
	case TPM_SIGNAL_HASH_START:
	case TPM_SIGNAL_HASH_DATA:
	case TPM_SIGNAL_HASH_END:
		tpm_conn_log(c, "DRTM hash signal %u ignored (no locality-4 hashing in Keel)",
			     (unsigned)f->op);
		break;
	case TPM_SET_ALTERNATIVE_RESULT:
		break; /* not applicable, as in the simulator */
	case TPM_SESSION_END:
		return 1;
	case TPM_STOP:
		tpm_conn_log(c, "TPM_STOP: connection closed; keel-hosted keeps serving (SIGTERM stops it)");
		return 1;
	}
	return tpm_conn_send_u32(c, 0) ? -1 : 0;
}

/* The vtpm signal for a platform op, 0 for ops acknowledged without one. */
static uint32_t platform_signal(uint32_t op)
{
	switch (op) {
	case TPM_SIGNAL_POWER_ON: return VTPM_SIGNAL_POWER_ON;
	case TPM_SIGNAL_POWER_OFF: return VTPM_SIGNAL_POWER_OFF;
	case TPM_SIGNAL_PHYS_PRES_ON: return VTPM_SIGNAL_PHYS_PRES_ON;
	case TPM_SIGNAL_PHYS_PRES_OFF: return VTPM_SIGNAL_PHYS_PRES_OFF;
	case TPM_SIGNAL_CANCEL_ON: return VTPM_SIGNAL_CANCEL_ON;
	case TPM_SIGNAL_CANCEL_OFF: return VTPM_SIGNAL_CANCEL_OFF;
	case TPM_SIGNAL_NV_ON: return VTPM_SIGNAL_NV_ON;
	case TPM_SIGNAL_NV_OFF: return VTPM_SIGNAL_NV_OFF;
	case TPM_SIGNAL_RESET:
	case TPM_SIGNAL_RESTART: return VTPM_SIGNAL_RESET;
	default: return 0;
	}
}

int tpm_mssim_platform(struct tpm_frontend *fe, struct tpm_conn *c, const struct tpm_frame *f)
{
	static const uint8_t sizes[4 + 16] = {0, 0, 0, 16}; /* CommandResponseSizes, not tracked */
	uint32_t sig = platform_signal(f->op);
	switch (f->op) {
	case TPM_SESSION_END:
		return 1;
	case TPM_STOP:
		tpm_conn_log(c, "TPM_STOP: connection closed; keel-hosted keeps serving (SIGTERM stops it)");
		return 1;
	case TPM_TEST_FAILURE_MODE:
		tpm_conn_log(c, "TPM_TEST_FAILURE_MODE refused (not offered)");
		return tpm_conn_send_u32(c, 1) ? -1 : 0;
	case TPM_GET_COMMAND_RESPONSE_SIZES:
		if (tpm_conn_send(c, sizes, sizeof(sizes)))
			return -1;
		break;
	}
	if (sig && tpm_fe_signal(fe, c, sig))
		return tpm_conn_send_u32(c, 1) ? -1 : 0;
	return tpm_conn_send_u32(c, 0) ? -1 : 0;
}
