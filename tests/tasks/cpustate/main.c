/* The CPU-state test task's entry: the mode in argv[1] (cpustate.h). */
#include <string.h>

#include "cpustate.h"

static char prefix[48];

static unsigned parse_count(const char *s)
{
	unsigned n = 0;
	while (s && *s >= '0' && *s <= '9')
		n = n * 10 + (unsigned)(*s++ - '0');
	return n;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	static const char *const flag_modes[] = {"nt",       "ac",      "df",      "iopl",
	                                         "tf-yield", "tf-call", "tf-reply"};
	static const char *const fatal_modes[] = {"dr7", "xsetbv", "wrgsbase"};
	char name[16];
	size_t i;

	/* "keeper:N" and "spinner:MS" carry a number; the manifest arg is one word. */
	for (i = 0; mode[i] && mode[i] != ':' && i < sizeof(name) - 1; i++)
		name[i] = mode[i];
	name[i] = 0;
	strcpy(prefix, "cpustate ");
	strncat(prefix, argc > 0 ? argv[0] : "?", sizeof(prefix) - 10); /* the task's name */
	tcheck_prefix = prefix;
	tlog(prefix, "start");
	if (!strcmp(name, "keeper"))
		return cs_keeper(parse_count(mode[i] == ':' ? mode + i + 1 : "0"));
	if (!strcmp(name, "spinner"))
		return cs_spinner(parse_count(mode[i] == ':' ? mode + i + 1 : "0"));
	if (!strcmp(name, "service"))
		return cs_service();
	if (!strcmp(name, "segs")) {
		cs_segs_mode();
		tcheck_finish();
	}
	for (i = 0; i < sizeof(flag_modes) / sizeof(flag_modes[0]); i++) {
		if (!strcmp(name, flag_modes[i])) {
			cs_flag_mode(name);
			tlog(prefix, "FAIL - survived what must end this task");
			return 1;
		}
	}
	for (i = 0; i < sizeof(fatal_modes) / sizeof(fatal_modes[0]); i++) {
		if (!strcmp(name, fatal_modes[i])) {
			cs_fatal_mode(name);
			tlog(prefix, "FAIL - survived what must end this task");
			return 1;
		}
	}
	tlog(prefix, "FAIL - unknown mode");
	return 2;
}
