#include "fault.h"

#include <string.h>

#include "blk_protocol.h"

/* Decimal digits only, no sign, no overflow; advances *s. */
static int parse_u64(const char **s, uint64_t *v)
{
	const char *p = *s;
	uint64_t x = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (x > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		x = x * 10 + (uint64_t)(*p - '0');
	}
	*s = p;
	*v = x;
	return 0;
}

int blk_fault_parse(const char *spec, struct blk_fault *f, const char **err)
{
	uint64_t tear = 0;

	memset(f, 0, sizeof(*f));
	if (!spec || !*spec)
		return 0;
	*err = "expected after=N[,tear=BYTES]";
	if (strncmp(spec, "after=", 6) != 0)
		return -1;
	spec += 6;
	if (parse_u64(&spec, &f->after))
		return -1;
	if (*spec == ',') {
		spec++;
		if (strncmp(spec, "tear=", 5) != 0)
			return -1;
		spec += 5;
		if (parse_u64(&spec, &tear))
			return -1;
		if (tear > BLK_BLOCK) {
			*err = "tear is at most 4096 bytes";
			return -1;
		}
	}
	if (*spec)
		return -1;
	f->tear = (uint32_t)tear;
	f->armed = 1;
	return 0;
}
