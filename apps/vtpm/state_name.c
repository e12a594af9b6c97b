/* Blob names (state.h): a subset of storaged's object names. */
#include <string.h>

#include "state.h"

int vtpm_state_name_ok(const char *name)
{
	size_t n = name ? strnlen(name, VTPM_STATE_NAME_MAX + 1) : 0;
	if (n == 0 || n > VTPM_STATE_NAME_MAX || name[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.'))
			return 0;
	}
	return 1;
}
