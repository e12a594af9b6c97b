/* The service's log lines: stdout, one line each, never a variable's name or data. */
#include <stdarg.h>
#include <stdio.h>

#include "uv_int.h"

void uv_log(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("uefivars: ", stdout);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

void uv_log_refusal(struct uefivars *uv, const char *what, uint64_t fn, efi_status s)
{
	uint64_t code = s & ~EFI_ERR(0);
	if (s == EFI_SUCCESS || code >= 64)
		return;
	size_t slots = sizeof(uv->logged_refusals) / sizeof(uv->logged_refusals[0]);
	uint64_t *seen = &uv->logged_refusals[fn < slots ? fn : 0];
	/* One line per class: a guest looping on a refusal does not flood the log. */
	if (*seen & (1ull << code))
		return;
	*seen |= 1ull << code;
	uv_log("%s refused: %s (further ones not logged)", what, efi_status_name(s));
}
