#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

void kbs_log(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* One fprintf per line: threads' lines do not interleave mid-line. */
	fprintf(stderr, "kbs: [%ld] %s\n", (long)time(NULL), buf);
}
