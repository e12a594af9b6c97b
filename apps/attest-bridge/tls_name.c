/*
 * tls=NAME (tls.h): an IPv4 address or a DNS name. Plain C, no OpenSSL:
 * config.c checks the word with it and the config unit test links it.
 */
#include <string.h>

#include "tls.h"

/* Dotted decimal, four parts 0..255, no leading zeros. */
int tls_name_is_ipv4(const char *s)
{
	int parts = 0;
	while (parts < 4) {
		unsigned v = 0;
		int digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && s[-digits] == '0'))
			return 0;
		parts++;
		if (parts < 4 && *s++ != '.')
			return 0;
	}
	return *s == 0;
}

static int label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-';
}

int tls_name_ok(const char *name)
{
	size_t len = strlen(name), label = 0;
	int alpha = 0;
	if (len == 0 || len >= TLS_NAME_MAX)
		return 0;
	if (tls_name_is_ipv4(name))
		return 1;
	for (size_t i = 0; i <= len; i++) {
		char c = name[i];
		if (c == '.' || c == 0) {
			/* 1..63 per label, no hyphen at either end (RFC 1123 2.1) */
			if (label == 0 || label > 63 || name[i - 1] == '-' ||
			    name[i - label] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!label_char(c))
			return 0;
		if (!(c >= '0' && c <= '9'))
			alpha = 1;
		label++;
	}
	return alpha; /* all digits and dots: a mistyped address, not a name */
}
