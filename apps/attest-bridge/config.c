/*
 * attest-bridge's configuration: the manifest's arg= (measured), e.g.
 * "stream=1 key=2 vtpm=3 vm=default kbs-pin=<64 hex>" booted or
 * "kbs=127.0.0.1:8080 key=2 kbs-pin=<64 hex>" hosted, or
 * "net=1 tls=10.0.2.2 key=2 kbs-pin=<64 hex>" over the network stack with
 * TLS. The pin is in the measured manifest so the broker a VM trusts is
 * part of its measurement.
 */
#include <stdio.h>
#include <string.h>

#include "bridge.h"

#define WORD_MAX 128

static int fail(char *err, size_t errlen, const char *what, const char *word)
{
	snprintf(err, errlen, "%s: \"%s\"", what, word);
	return -1;
}

/* Decimal, no sign, no leading zero but "0", below `limit`. */
static int parse_uint(const char *s, unsigned limit, unsigned *out)
{
	size_t len = strlen(s);
	unsigned long v = 0;
	if (len == 0 || len > 5 || (len > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v >= limit)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1; /* lowercase only: the pin is written as sha256sum prints it */
}

static int parse_pin(const char *s, uint8_t pin[BRIDGE_PIN_LEN])
{
	if (strlen(s) != 2 * BRIDGE_PIN_LEN)
		return -1;
	for (size_t i = 0; i < BRIDGE_PIN_LEN; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		pin[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int name_ok(const char *s, size_t max, int dots_colons)
{
	size_t len = strlen(s);
	if (len == 0 || len >= max)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.' || (dots_colons && c == ':')))
			return 0;
	}
	return 1;
}

/* kbs=HOST:PORT: HOST an IPv4 address or a name, PORT 1..65535. */
static int parse_kbs(const char *v, struct bridge_config *c)
{
	const char *colon = strrchr(v, ':');
	unsigned port;
	if (!colon || (size_t)(colon - v) >= sizeof(c->kbs_host) || colon == v)
		return -1;
	if (parse_uint(colon + 1, 65536, &port) || port == 0)
		return -1;
	memcpy(c->kbs_host, v, (size_t)(colon - v));
	c->kbs_host[colon - v] = 0;
	if (!name_ok(c->kbs_host, sizeof(c->kbs_host), 0))
		return -1;
	c->kbs_port = (uint16_t)port;
	return 0;
}

enum { W_STREAM, W_NET, W_KBS, W_TLS, W_KEY, W_VTPM, W_VM, W_PIN, W_COUNT };
static const char *const keys[W_COUNT] = {"stream=", "net=", "kbs=", "tls=",
                                          "key=", "vtpm=", "vm=", "kbs-pin="};

static int slot_taken(const struct bridge_config *c, const int seen[W_COUNT], unsigned slot)
{
	return (seen[W_STREAM] && c->stream == slot) || (seen[W_NET] && c->net == slot) ||
	       (seen[W_KEY] && c->key == slot) || (seen[W_VTPM] && c->vtpm == slot);
}

static int parse_word(const char *w, struct bridge_config *c, int seen[W_COUNT], char *err,
                      size_t errlen)
{
	int k = -1;
	for (int i = 0; i < W_COUNT; i++)
		if (!strncmp(w, keys[i], strlen(keys[i])))
			k = i;
	if (k < 0)
		return fail(err, errlen, "unknown word", w);
	if (seen[k])
		return fail(err, errlen, "given twice", w);
	const char *v = w + strlen(keys[k]);
	unsigned slot = 0;
	if (k == W_STREAM || k == W_NET || k == W_KEY || k == W_VTPM) {
		if (parse_uint(v, KEEL_MAX_HANDLES, &slot) || slot == 0)
			return fail(err, errlen, "a slot is 1..63", w);
		if (slot_taken(c, seen, slot))
			return fail(err, errlen, "slot used twice", w);
	}
	switch (k) {
	case W_STREAM:
		c->stream = slot;
		c->have_stream = 1;
		break;
	case W_NET:
		c->net = slot;
		c->have_net = 1;
		break;
	case W_TLS:
		if (!tls_name_ok(v))
			return fail(err, errlen, "tls= wants a DNS name or an IPv4 address", w);
		strcpy(c->tls_name, v);
		c->have_tls = 1;
		break;
	case W_KEY:
		c->key = slot;
		break;
	case W_VTPM:
		c->vtpm = slot;
		c->have_vtpm = 1;
		break;
	case W_KBS:
		if (parse_kbs(v, c))
			return fail(err, errlen, "kbs= wants HOST:PORT", w);
		c->have_kbs = 1;
		break;
	case W_VM:
		if (!name_ok(v, sizeof(c->vm), 0))
			return fail(err, errlen, "vm names are 1..63 of [A-Za-z0-9_.-]", w);
		strcpy(c->vm, v);
		break;
	case W_PIN:
		if (parse_pin(v, c->pin))
			return fail(err, errlen, "kbs-pin= wants 64 lowercase hex digits", w);
		break;
	}
	seen[k] = 1;
	return 0;
}

int bridge_config_parse(const char *arg, struct bridge_config *c, char *err, size_t errlen)
{
	int seen[W_COUNT] = {0};
	memset(c, 0, sizeof(*c));
	strcpy(c->vm, "default");
	err[0] = 0;
	while (*arg) {
		if (*arg == ' ') {
			arg++;
			continue;
		}
		size_t len = strcspn(arg, " ");
		char word[WORD_MAX];
		if (len >= sizeof(word))
			return fail(err, errlen, "word too long", "...");
		memcpy(word, arg, len);
		word[len] = 0;
		arg += len;
		if (parse_word(word, c, seen, err, errlen))
			return -1;
	}
	if (seen[W_STREAM] + seen[W_NET] + seen[W_KBS] != 1)
		return fail(err, errlen, "exactly one of stream=SLOT, net=SLOT and kbs=HOST:PORT", "");
	if (!seen[W_KEY])
		return fail(err, errlen, "key=SLOT (storaged's key channel) is required", "");
	if (!seen[W_PIN])
		return fail(err, errlen, "kbs-pin=HEX64 (the broker's key) is required", "");
	return 0;
}
