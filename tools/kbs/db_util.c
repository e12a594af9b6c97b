/* Helpers both backends share: random identifiers and the stored form of a
 * VM's measurement list. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "db_backend.h"

int kbs_db_random(void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int kbs_db_new_cookie(char out[KBS_DB_COOKIE_LEN + 1])
{
	uint8_t u[16];
	if (kbs_db_random(u, sizeof u) != 0)
		return -1;
	u[6] = (uint8_t)((u[6] & 0x0f) | 0x40); /* RFC 4122 version 4 */
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80); /* variant 10 */
	snprintf(out, KBS_DB_COOKIE_LEN + 1,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
		 u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
		 u[15]);
	return 0;
}

int kbs_db_new_nonce(char out[KBS_DB_NONCE_LEN + 1])
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint8_t r[33] = { 0 }; /* 32 random bytes; the 33rd pads the last group */
	if (kbs_db_random(r, 32) != 0)
		return -1;
	size_t o = 0;
	for (size_t i = 0; i < 33; i += 3) {
		uint32_t v = (uint32_t)r[i] << 16 | (uint32_t)r[i + 1] << 8 | r[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
		out[o++] = b64[v & 63];
	}
	out[KBS_DB_NONCE_LEN - 1] = '='; /* 32 = 10*3 + 2: one pad character */
	out[KBS_DB_NONCE_LEN] = '\0';
	(void)o;
	return 0;
}

int kbs_db_copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

void kbs_db_meas_join(const struct kbs_db_vm *vm, char out[KBS_DB_MEAS_TEXT_MAX + 1])
{
	size_t o = 0;
	out[0] = '\0';
	for (unsigned i = 0; i < vm->n_meas && i < KBS_DB_MEAS_MAX; i++) {
		if (i > 0)
			out[o++] = ' ';
		memcpy(out + o, vm->meas[i], KBS_DB_MEAS_HEX);
		o += KBS_DB_MEAS_HEX;
	}
	out[o] = '\0';
}

int kbs_db_meas_split(const char *text, struct kbs_db_vm *vm)
{
	size_t len = strlen(text);
	vm->n_meas = 0;
	if (len == 0)
		return 0;
	if ((len + 1) % (KBS_DB_MEAS_HEX + 1) != 0 || (len + 1) / (KBS_DB_MEAS_HEX + 1) > KBS_DB_MEAS_MAX)
		return -1;
	for (size_t at = 0; at < len; at += KBS_DB_MEAS_HEX + 1) {
		if (at + KBS_DB_MEAS_HEX < len && text[at + KBS_DB_MEAS_HEX] != ' ')
			return -1;
		memcpy(vm->meas[vm->n_meas], text + at, KBS_DB_MEAS_HEX);
		vm->meas[vm->n_meas][KBS_DB_MEAS_HEX] = '\0';
		for (size_t i = 0; i < KBS_DB_MEAS_HEX; i++) {
			char c = vm->meas[vm->n_meas][i];
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
				return -1;
		}
		vm->n_meas++;
	}
	return 0;
}
