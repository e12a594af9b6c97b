/*
 * Booted EK CA: a fresh ECDSA P-256 key and certificate in memory, made at
 * manufacture and freed (key wiped) right after signing. The CA
 * certificate stays reachable in NV index 0x01c00100.
 */
#include <stdio.h>

#include "ekcert.h"

int vtpm_ekca_obtain(struct vtpm_ca *ca)
{
	if (vtpm_ekca_generate(ca) != 0) {
		printf("vtpm: generating the EK CA failed\n");
		return -1;
	}
	printf("vtpm: EK CA generated in memory (ECDSA P-256)\n");
	return 0;
}
