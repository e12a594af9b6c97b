/* Object names (docs/storage-format.md, "Directory"): 1..63 of [A-Za-z0-9_.-/]. */
#include "store_int.h"

int store_name_valid(const char *name, size_t len)
{
	if (len == 0 || len >= STORE_NAME_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-' || c == '/'))
			return 0;
	}
	return 1;
}
