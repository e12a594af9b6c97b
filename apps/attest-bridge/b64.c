/* Base64 encode/decode, both alphabets (b64.h). */
#include "b64.h"

static const char std_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char url_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int val(enum b64_kind kind, char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (kind == B64_STD ? '+' : '-'))
		return 62;
	if (c == (kind == B64_STD ? '/' : '_'))
		return 63;
	return -1;
}

int b64_decode(enum b64_kind kind, const char *in, size_t len, uint8_t *out, size_t cap,
               size_t *outlen)
{
	if (kind == B64_STD) {
		if (len % 4)
			return -1;
		if (len && in[len - 1] == '=')
			len--;
		if (len && in[len - 1] == '=')
			len--;
	}
	if (len % 4 == 1)
		return -1;
	size_t n = len / 4 * 3 + (len % 4 ? len % 4 - 1 : 0);
	if (n > cap)
		return -1;
	uint32_t acc = 0;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		int v = val(kind, in[i]);
		if (v < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		if (i % 4 == 3) {
			out[o++] = (uint8_t)(acc >> 16);
			out[o++] = (uint8_t)(acc >> 8);
			out[o++] = (uint8_t)acc;
			acc = 0;
		}
	}
	if (len % 4 == 2) {
		if (acc & 0xf)
			return -1; /* non-canonical: leftover bits must be zero */
		out[o++] = (uint8_t)(acc >> 4);
	} else if (len % 4 == 3) {
		if (acc & 0x3)
			return -1;
		out[o++] = (uint8_t)(acc >> 10);
		out[o++] = (uint8_t)(acc >> 2);
	}
	*outlen = o;
	return 0;
}

int b64_encode(enum b64_kind kind, const uint8_t *in, size_t len, char *out, size_t cap)
{
	const char *a = kind == B64_STD ? std_alpha : url_alpha;
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t k = len - i < 3 ? len - i : 3;
		if (k > 1)
			v |= (uint32_t)in[i + 1] << 8;
		if (k > 2)
			v |= in[i + 2];
		char q[4] = {a[v >> 18 & 63], a[v >> 12 & 63], a[v >> 6 & 63], a[v & 63]};
		size_t emit = kind == B64_STD ? 4 : k + 1;
		if (kind == B64_STD && k < 3)
			q[3] = '=';
		if (kind == B64_STD && k < 2)
			q[2] = '=';
		if (o + emit >= cap)
			return -1;
		for (size_t j = 0; j < emit; j++)
			out[o++] = q[j];
	}
	if (o >= cap)
		return -1;
	out[o] = 0;
	return 0;
}
