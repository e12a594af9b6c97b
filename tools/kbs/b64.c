/* Base64, both alphabets (RFC 4648 §4 and §5). */
#include "b64.h"

#include <stdbool.h>

static const char STD[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t b64_std_len(size_t n) { return (n + 2) / 3 * 4 + 1; }
size_t b64_url_len(size_t n) { return n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0) + 1; }

static void encode(const char *alpha, bool pad, const uint8_t *in, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t left = n - i;
		if (left > 1)
			v |= (uint32_t)in[i + 1] << 8;
		if (left > 2)
			v |= in[i + 2];
		out[o++] = alpha[(v >> 18) & 63];
		out[o++] = alpha[(v >> 12) & 63];
		if (left > 1)
			out[o++] = alpha[(v >> 6) & 63];
		else if (pad)
			out[o++] = '=';
		if (left > 2)
			out[o++] = alpha[v & 63];
		else if (pad)
			out[o++] = '=';
	}
	out[o] = '\0';
}

void b64_std_encode(const uint8_t *in, size_t n, char *out) { encode(STD, true, in, n, out); }
void b64_url_encode(const uint8_t *in, size_t n, char *out) { encode(URL, false, in, n, out); }

static int value(const char *alpha, char c)
{
	for (int i = 0; i < 64; i++)
		if (alpha[i] == c)
			return i;
	return -1;
}

/* Decodes an unpadded body of len characters (len % 4 != 1). */
static long decode(const char *alpha, const char *s, size_t len, uint8_t *out, size_t cap)
{
	if (len % 4 == 1)
		return -1;
	size_t outlen = len / 4 * 3 + (len % 4 ? len % 4 - 1 : 0);
	if (outlen > cap)
		return -1;
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		int v = value(alpha, s[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	if (bits && (acc & ((1u << bits) - 1)))
		return -1; /* non-canonical trailing bits */
	return (long)o;
}

long b64_std_decode(const char *s, size_t slen, uint8_t *out, size_t cap)
{
	if (slen % 4)
		return -1;
	size_t len = slen;
	if (len && s[len - 1] == '=')
		len--;
	if (len && s[len - 1] == '=')
		len--;
	if (len % 4 == 0 && len != slen)
		return -1; /* "====" style padding of a full group */
	return decode(STD, s, len, out, cap);
}

long b64_url_decode(const char *s, size_t slen, uint8_t *out, size_t cap)
{
	return decode(URL, s, slen, out, cap);
}
