/* attest-bridge's log lines: keel_log puts them on the console. Never a key. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "bridge.h"

void bridge_log(const char *fmt, ...)
{
	char line[320];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	keel_log(line, strlen(line));
}
