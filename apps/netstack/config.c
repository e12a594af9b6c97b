/*
 * The manifest arg= parser (config.h). Strict, like attest-bridge's: every
 * word known, none twice, slots 1..63 and distinct, decimal without
 * leading zeros, dotted quads of exactly four octets 0..255, only unicast
 * addresses a host can have (not 0/8, 127/8, multicast, broadcast), the
 * static address neither the network nor the broadcast address of its
 * subnet, the gateway inside it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <keel/types.h>

#define WORD_MAX 64

/* "what: \"word\"", or just "what" for a rule about the whole line. */
static int fail(char *err, size_t errlen, const char *what, const char *word)
{
	if (word[0])
		snprintf(err, errlen, "%s: \"%s\"", what, word);
	else
		snprintf(err, errlen, "%s", what);
	return -1;
}

/* s[0..len): decimal, no sign, no leading zero but "0", at most `limit`. */
static int parse_dec(const char *s, size_t len, unsigned long limit, unsigned long *out)
{
	unsigned long v = 0;
	if (len == 0 || len > 5 || (len > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > limit)
		return -1;
	*out = v;
	return 0;
}

/* s[0..len): exactly A.B.C.D. */
static int parse_ipv4(const char *s, size_t len, uint32_t *out)
{
	uint32_t a = 0;
	size_t start = 0;
	for (int i = 0; i < 4; i++) {
		size_t end = start;
		unsigned long v;
		while (end < len && s[end] != '.')
			end++;
		if ((i < 3) != (end < len) || parse_dec(s + start, end - start, 255, &v))
			return -1;
		a = a << 8 | (uint32_t)v;
		start = end + 1;
	}
	*out = a;
	return 0;
}

/* An address a host can have and talk to: not 0/8, 127/8, 224/3 (multicast, reserved, broadcast).
 */
static int unicast(uint32_t a)
{
	uint32_t first = a >> 24;
	return first != 0 && first != 127 && first < 224;
}

uint32_t netstack_mask(unsigned prefix)
{
	return prefix == 0 ? 0 : prefix >= 32 ? 0xffffffffu : ~((1u << (32 - prefix)) - 1u);
}

static int parse_slot(const char *v, unsigned *out)
{
	unsigned long s;
	if (parse_dec(v, strlen(v), KEEL_MAX_HANDLES - 1, &s) || s == 0)
		return -1;
	*out = (unsigned)s;
	return 0;
}

/* ip=A.B.C.D/N */
static int parse_static(const char *v, struct netstack_config *c)
{
	const char *slash = strchr(v, '/');
	unsigned long n;
	uint32_t mask;
	if (!slash || parse_ipv4(v, (size_t)(slash - v), &c->addr) ||
	    parse_dec(slash + 1, strlen(slash + 1), 30, &n) || n == 0 || !unicast(c->addr))
		return -1;
	mask = netstack_mask((unsigned)n);
	if ((c->addr & ~mask) == 0 || (c->addr & ~mask) == ~mask)
		return -1;
	c->prefix = (unsigned)n;
	c->dhcp = 0;
	return 0;
}

/* peer=A.B.C.D:PORT */
static int parse_peer(const char *v, struct netstack_config *c)
{
	const char *colon = strchr(v, ':');
	unsigned long port;
	if (!colon || parse_ipv4(v, (size_t)(colon - v), &c->peer) || !unicast(c->peer) ||
	    parse_dec(colon + 1, strlen(colon + 1), 65535, &port) || port == 0)
		return -1;
	c->peer_port = (uint16_t)port;
	return 0;
}

enum { W_DEV, W_SERVE, W_IP, W_GW, W_PEER, W_COUNT };
static const char *const keys[W_COUNT] = {"dev=", "serve=", "ip=", "gw=", "peer="};

static int parse_word(const char *w, struct netstack_config *c, int seen[W_COUNT], char *err,
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
	switch (k) {
	case W_DEV:
		if (parse_slot(v, &c->dev))
			return fail(err, errlen, "a slot is 1..63", w);
		break;
	case W_SERVE:
		if (parse_slot(v, &c->serve))
			return fail(err, errlen, "a slot is 1..63", w);
		break;
	case W_IP:
		if (strcmp(v, "dhcp") && parse_static(v, c))
			return fail(
			    err, errlen,
			    "ip= wants dhcp or A.B.C.D/N (N 1..30, a host address of its subnet)",
			    w);
		break;
	case W_GW:
		if (parse_ipv4(v, strlen(v), &c->gw) || !unicast(c->gw))
			return fail(err, errlen, "gw= wants a unicast A.B.C.D", w);
		break;
	case W_PEER:
		if (parse_peer(v, c))
			return fail(err, errlen,
			            "peer= wants a unicast A.B.C.D:PORT, PORT 1..65535", w);
		break;
	}
	seen[k] = 1;
	return 0;
}

static int check_whole(const struct netstack_config *c, const int seen[W_COUNT], char *err,
                       size_t errlen)
{
	uint32_t mask = netstack_mask(c->prefix);
	if (!seen[W_DEV])
		return fail(err, errlen, "dev=SLOT (netdev's channel) is required", "");
	if (!seen[W_SERVE])
		return fail(err, errlen, "serve=SLOT (the stream client's channel) is required",
		            "");
	if (c->dev == c->serve)
		return fail(err, errlen, "dev= and serve= name the same slot", "");
	if (!seen[W_PEER])
		return fail(err, errlen, "peer=A.B.C.D:PORT (the host to connect to) is required",
		            "");
	if (c->dhcp && seen[W_GW])
		return fail(err, errlen, "gw= goes with a static ip=A.B.C.D/N, not dhcp", "");
	if (!c->dhcp && !seen[W_GW])
		return fail(err, errlen, "a static ip= needs gw=A.B.C.D", "");
	if (!c->dhcp && ((c->gw & mask) != (c->addr & mask) || c->gw == c->addr ||
	                 (c->gw & ~mask) == ~mask || (c->gw & ~mask) == 0))
		return fail(err, errlen, "gw= must be another host address inside ip='s subnet",
		            "");
	if (!c->dhcp && c->peer == c->addr)
		return fail(err, errlen, "peer= is our own address", "");
	return 0;
}

int netstack_config_parse(const char *arg, struct netstack_config *c, char *err, size_t errlen)
{
	int seen[W_COUNT] = {0};
	memset(c, 0, sizeof(*c));
	c->dhcp = 1;
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
	return check_whole(c, seen, err, errlen);
}
