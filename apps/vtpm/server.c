/*
 * vtpm: the vTPM service (protocol 2). Serves the router handle until the
 * router goes away, and, if the manifest connects slot 2
 * (VTPM_HANDLE_EKPUB), attest-bridge's EK-public requests on it (until
 * that peer goes); see apps/vtpm/README.md and docs/vtpm.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <keel/svsm.h>
#include <keel/syscall.h>

#include "ekpub_service.h"
#include "service.h"
#include "state.h"
#include "tpm.h"
#include "vtpm_protocol.h"

static uint8_t in[KEEL_MSG_MAX], out[KEEL_MSG_MAX];

/* One EK-public request on slot 2; 0, or -1 once that peer is gone (stop waiting on it). */
static int serve_ekpub(void)
{
	long n = keel_chan_recv(VTPM_HANDLE_EKPUB, in, sizeof(in));
	if (n == KEEL_EPEERCLOSED || n == KEEL_EBADHANDLE)
		return -1;
	if (n < 0)
		return 0;
	size_t len = vtpm_ekpub_handle(in, (size_t)n, out, sizeof(out));
	return keel_chan_reply(VTPM_HANDLE_EKPUB, out, len) == KEEL_EPEERCLOSED ? -1 : 0;
}

/*
 * Block until the router has a call; serve slot 2 meanwhile. Without a
 * channel on slot 2 this is a plain wait on the router, as before.
 */
static void wait_router(int *ekpub_open)
{
	keel_handle_t hs[2] = {KEEL_HANDLE_ROUTER, VTPM_HANDLE_EKPUB};
	while (*ekpub_open) {
		long r = keel_wait(hs, 2, KEEL_WAIT_FOREVER);
		if (r == 1) {
			if (serve_ekpub() != 0)
				*ekpub_open = 0;
		} else
			return; /* the router is ready, or the wait failed: recv tells */
	}
}

int main(void)
{
	unsigned long served = 0;
	keel_handle_t ek = VTPM_HANDLE_EKPUB;
	/* A slot the manifest did not connect would fail every keel_wait. */
	int ekpub_open = keel_wait(&ek, 1, KEEL_WAIT_POLL) != KEEL_EBADHANDLE;
	if (vtpm_service_start() != 0)
		printf("vtpm: the TPM is off; TPM commands get TPM_RC_FAILURE\n");
	fflush(stdout);
	for (;;) {
		wait_router(&ekpub_open);
		long n = keel_chan_recv(KEEL_HANDLE_ROUTER, in, sizeof(in));
		if (n == KEEL_EPEERCLOSED)
			break;
		if (n == KEEL_EBADHANDLE) {
			printf("vtpm: no router handle (slot %u)\n", KEEL_HANDLE_ROUTER);
			return 1;
		}
		if (n < 0)
			continue; /* e.g. KEEL_ETOOBIG: the caller was told */
		size_t len = vtpm_service_handle(in, (size_t)n, out, sizeof(out));
		explicit_bzero(in, (size_t)n); /* commands may carry secrets (auth values) */
		long r = keel_chan_reply(KEEL_HANDLE_ROUTER, out, len);
		explicit_bzero(out, len);
		if (r == KEEL_EPEERCLOSED)
			break;
		served++;
	}
	printf("vtpm: router gone after %lu requests, %lu state stores, %lu commits; exiting\n",
	       served, vtpm_tpm_stores(), vtpm_state_commits());
	return 0;
}
