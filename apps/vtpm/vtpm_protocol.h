/*
 * What reaches the vtpm service on its router handle (KEEL_HANDLE_ROUTER),
 * besides routed SVSM calls (keel/svsm.h, protocol SVSM_VTPM_PROTOCOL):
 * platform signals from the host side. Only a hosted front end (the TPM
 * simulator / swtpm protocols of keel-hosted) sends them; the booted kernel
 * never does (a booted power cycle is a reboot).
 *
 * SVSM_VTPM_CMD buffer (SVSM spec, vTPM protocol, one 4 KiB page), packed:
 *   request  { u32 cmd = SVSM_VTPM_PLATFORM_SEND_COMMAND; u8 locality; u32 size; u8 command[size]; }
 *   response { u32 size; u8 response[size]; }       (same page, little-endian)
 */
#ifndef KEEL_VTPM_PROTOCOL_H
#define KEEL_VTPM_PROTOCOL_H

#include <keel/svsm.h>

#define VTPM_BUFFER_SIZE 4096u
#define VTPM_REQUEST_HEADER 9u  /* u32 cmd + u8 locality + u32 size */
#define VTPM_RESPONSE_HEADER 4u /* u32 size */

/* Platform signal: payload u32 signal; reply payload i32 status (0 = done). */
#define VTPM_OP_PLATFORM (KEEL_OP_SERVICE_BASE + 0u)

/*
 * The EK public, for guest attestation (attest-bridge, SVSM protocol 1),
 * on the vtpm's handle slot VTPM_HANDLE_EKPUB (manifest: channel
 * attest-bridge:3 vtpm:2). Request: no payload. Reply: op VTPM_OP_EKPUB,
 * payload the RSA-2048 EK's TPMT_PUBLIC (TPM 2.0 Part 2, big-endian, no
 * TPM2B size; at most VTPM_EKPUB_MAX bytes); or KEEL_OP_ERROR with an
 * int32 KEEL_E* (KEEL_ENOTSUP: no EK provisioned).
 */
#define VTPM_OP_EKPUB (KEEL_OP_SERVICE_BASE + 1u)
#define VTPM_HANDLE_EKPUB 2u
#define VTPM_EKPUB_MAX 512u

/* Signal numbers follow the TPM simulator's platform port (TpmTcpProtocol.h). */
#define VTPM_SIGNAL_POWER_ON 1u
#define VTPM_SIGNAL_POWER_OFF 2u
#define VTPM_SIGNAL_PHYS_PRES_ON 3u
#define VTPM_SIGNAL_PHYS_PRES_OFF 4u
#define VTPM_SIGNAL_CANCEL_ON 9u
#define VTPM_SIGNAL_CANCEL_OFF 10u
#define VTPM_SIGNAL_NV_ON 11u
#define VTPM_SIGNAL_NV_OFF 12u
#define VTPM_SIGNAL_RESET 17u /* power off + power on: a power cycle */

#endif
