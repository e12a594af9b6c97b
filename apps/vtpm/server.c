/*
 * vtpm: the vTPM service (protocol 2). Serves the router handle until the
 * router goes away; see apps/vtpm/README.md and docs/vtpm.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <keel/svsm.h>
#include <keel/syscall.h>

#include "service.h"
#include "state.h"
#include "tpm.h"

static uint8_t in[KEEL_MSG_MAX], out[KEEL_MSG_MAX];

int main(void)
{
	unsigned long served = 0;
	if (vtpm_service_start() != 0)
		printf("vtpm: the TPM is off; TPM commands get TPM_RC_FAILURE\n");
	fflush(stdout);
	for (;;) {
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
