/*
 * Formatted log lines for tasks (keel/syscall.h): one copy of the
 * format-then-keel_log step every service needs, built into the ring-3
 * runtime and the hosted one alike.
 */
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

void keel_vlogf(const char *prefix, const char *fmt, va_list ap)
{
	char line[KEEL_LOGF_MAX];
	int n = prefix ? snprintf(line, sizeof(line), "%s", prefix) : 0;

	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	if (vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap) < 0)
		return;
	keel_log(line, strlen(line));
}

void keel_logf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	keel_vlogf(NULL, fmt, ap);
	va_end(ap);
}
