/*
 * attest-bridge: the KBS client side of attestation (docs/attestation.md).
 * It gets the platform's report, runs the key broker protocol
 * (docs/kbs.md) over an untrusted byte stream, checks the broker against
 * the pinned identity key, unwraps the state key and hands it to storaged
 * (UNLOCK on the key channel), then acknowledges the generation storaged
 * reached. Afterwards it serves SVSM protocol 1 on the router handle
 * (slot 0) through attest_guest_handle (guest_attest.h).
 */
#ifndef ATTEST_BRIDGE_H
#define ATTEST_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#include <keel/syscall.h> /* keel_logf: the log lines */
#include <keel/types.h>

#include "tls.h" /* TLS_NAME_MAX */

#define BRIDGE_VM_MAX 64     /* vm= names: 1..63 of [A-Za-z0-9_.-] */
#define BRIDGE_HOST_MAX 64   /* kbs=HOST:PORT, hosted only */
#define BRIDGE_PIN_LEN 32    /* SHA-256 of the broker's DER SPKI */

struct bridge_config {
	int have_stream;            /* stream=SLOT (booted: consdev + keel-proxy, "proxy") */
	keel_handle_t stream;
	int have_net;               /* net=SLOT (booted: netstack, "net") */
	keel_handle_t net;
	int have_kbs;               /* kbs=HOST:PORT (hosted: TCP) */
	char kbs_host[BRIDGE_HOST_MAX];
	uint16_t kbs_port;
	int have_tls;               /* tls=NAME: TLS, the CA from the data file (tls.h) */
	char tls_name[TLS_NAME_MAX];
	keel_handle_t key;          /* key=SLOT: storaged's key channel */
	int have_vtpm;
	keel_handle_t vtpm;         /* vtpm=SLOT (optional) */
	char vm[BRIDGE_VM_MAX];     /* vm=NAME, default "default" */
	uint8_t pin[BRIDGE_PIN_LEN];/* kbs-pin=HEX64 */
};

/*
 * Strict: every word known and given once, slots 0..63 distinct, exactly
 * one of stream=, net= and kbs=, key= and kbs-pin= required. 0 or -1 with `err`
 * naming the word.
 */
int bridge_config_parse(const char *arg, struct bridge_config *c, char *err, size_t errlen);

/* Console log line ("attest-bridge: ..."), newline added. */

#endif
