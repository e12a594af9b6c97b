/*
 * strtol family (C11 semantics, as glibc): leading space, optional sign,
 * base 0 (auto 0x / 0 prefix) or 2..36, ERANGE with clamped result on
 * overflow, *end at the first unparsed character (nptr if no digits),
 * EINVAL for a bad base. Also the __isoc23_ names newer headers emit.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

static int digit_val(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* Parses magnitude into *mag (saturating, *over set); returns sign (+1/-1). */
static int parse(const char *nptr, char **end, int base, unsigned long long *mag, int *over)
{
	const char *s = nptr;
	int neg = 0;
	*mag = 0;
	*over = 0;
	if (end)
		*end = (char *)nptr;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		return 1;
	}
	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    digit_val((unsigned char)s[2]) < 16) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	const char *start = s;
	for (; digit_val((unsigned char)*s) < base; s++) {
		unsigned d = (unsigned)digit_val((unsigned char)*s);
		if (*mag > (ULLONG_MAX - d) / (unsigned)base)
			*over = 1;
		else
			*mag = *mag * (unsigned)base + d;
	}
	if (s != start && end)
		*end = (char *)s;
	return neg ? -1 : 1;
}

unsigned long long strtoull(const char *nptr, char **end, int base)
{
	unsigned long long m;
	int over;
	int sign = parse(nptr, end, base, &m, &over);
	if (over) {
		errno = ERANGE;
		return ULLONG_MAX;
	}
	return sign < 0 ? 0 - m : m;
}

long long strtoll(const char *nptr, char **end, int base)
{
	unsigned long long m;
	int over;
	int sign = parse(nptr, end, base, &m, &over);
	if (sign > 0 && (over || m > (unsigned long long)LLONG_MAX)) {
		errno = ERANGE;
		return LLONG_MAX;
	}
	if (sign < 0 && (over || m > (unsigned long long)LLONG_MAX + 1)) {
		errno = ERANGE;
		return LLONG_MIN;
	}
	return sign < 0 ? (long long)(0 - m) : (long long)m;
}

unsigned long strtoul(const char *nptr, char **end, int base)
{
	return strtoull(nptr, end, base);
}

long strtol(const char *nptr, char **end, int base)
{
	return strtoll(nptr, end, base);
}

intmax_t strtoimax(const char *nptr, char **end, int base)
{
	return strtoll(nptr, end, base);
}

uintmax_t strtoumax(const char *nptr, char **end, int base)
{
	return strtoull(nptr, end, base);
}

long __isoc23_strtol(const char *n, char **e, int b) { return strtol(n, e, b); }
unsigned long __isoc23_strtoul(const char *n, char **e, int b) { return strtoul(n, e, b); }
long long __isoc23_strtoll(const char *n, char **e, int b) { return strtoll(n, e, b); }
unsigned long long __isoc23_strtoull(const char *n, char **e, int b) { return strtoull(n, e, b); }

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
	return strtoll(s, NULL, 10);
}
