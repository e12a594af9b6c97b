/* Placeholder until the interrupt syscalls land. */
#include "client.h"

int blkc_irq(int with_device)
{
	(void)with_device;
	blkc_check(0, "irq syscalls exist");
	return 0;
}
