/* The PASS/FAIL log lines of the ABI test tasks (abi.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"

static int failures;

int abi_check(const char *what, long got, long want)
{
	char line[200];
	if (got == want)
		snprintf(line, sizeof(line), "PASS %s", what);
	else
		snprintf(line, sizeof(line), "FAIL %s: got %ld, want %ld", what, got, want);
	keel_log(line, strlen(line));
	failures += got != want;
	return got == want;
}

int abi_hosted(void)
{
	return getenv("KEEL_HOSTED_CAPS") != NULL;
}

int abi_check_mode(const char *what, long got, long want_booted, long want_hosted)
{
	char line[160];
	snprintf(line, sizeof(line), "%s (%s)", what, abi_hosted() ? "hosted" : "booted");
	return abi_check(line, got, abi_hosted() ? want_hosted : want_booted);
}

void abi_note(const char *what)
{
	keel_log(what, strlen(what));
}

int abi_status(void)
{
	return failures ? 1 : 0;
}
