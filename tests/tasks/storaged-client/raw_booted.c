/* Booted there is no file system to compare with (raw_hosted.c). */
#include "sc.h"

int sc_raw_flush_bench(unsigned long n, int64_t *ns_per_op)
{
	(void)n;
	(void)ns_per_op;
	return -1;
}
