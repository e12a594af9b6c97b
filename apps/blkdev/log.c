#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

void blk_log(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	keel_log(line, strlen(line));
}
