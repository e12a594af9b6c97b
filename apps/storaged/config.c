/*
 * storaged's configuration: the manifest's arg= (measured), e.g.
 * "blk=1 key=2 ns=3:vtpm ns=4:uefivars" or "blk=1 ns=2:vtpm dev-key".
 * Strict: every word is known, every slot 0..63 and used once, blk= once,
 * exactly one of key= and dev-key, namespace names 1..15 of [a-z0-9-] and
 * distinct, at least one ns=. Anything else is an error naming the word.
 */
#include <stdio.h>
#include <string.h>

#include "storaged.h"

#define WORD_MAX 64

static int fail(char *err, size_t errlen, const char *what, const char *word)
{
	if (word[0])
		snprintf(err, errlen, "%s: \"%s\"", what, word);
	else
		snprintf(err, errlen, "%s", what);
	return -1;
}

/* A slot: decimal 0..KEEL_MAX_HANDLES-1, no sign, no leading zero but "0". */
static int parse_slot(const char *s, size_t len, keel_handle_t *out)
{
	unsigned v = 0;
	if (len == 0 || len > 2 || (len > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v >= KEEL_MAX_HANDLES)
		return -1;
	*out = v;
	return 0;
}

static int ns_name_ok(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len >= STORAGED_NS_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return 0;
	}
	return 1;
}

/* Every slot named so far; 1 if `slot` is one of them. */
static int slot_used(const struct storaged_config *c, int have_blk, keel_handle_t slot)
{
	if ((have_blk && c->blk == slot) || (c->key != KEEL_HANDLE_INVALID && c->key == slot))
		return 1;
	for (unsigned i = 0; i < c->nns; i++)
		if (c->ns[i].slot == slot)
			return 1;
	return 0;
}

static int parse_ns(struct storaged_config *c, int have_blk, const char *word, char *err,
                    size_t errlen)
{
	const char *v = word + 3, *colon = strchr(v, ':');
	keel_handle_t slot;
	if (!colon || parse_slot(v, (size_t)(colon - v), &slot))
		return fail(err, errlen, "ns= wants SLOT:NAME with SLOT 0..63", word);
	if (!ns_name_ok(colon + 1))
		return fail(err, errlen, "namespace names are 1..15 of [a-z0-9-]", word);
	if (slot_used(c, have_blk, slot))
		return fail(err, errlen, "slot used twice", word);
	if (c->nns == STORAGED_MAX_NS)
		return fail(err, errlen, "too many namespaces (at most 8)", word);
	for (unsigned i = 0; i < c->nns; i++)
		if (!strcmp(c->ns[i].name, colon + 1))
			return fail(err, errlen, "namespace named twice", word);
	c->ns[c->nns].slot = slot;
	strcpy(c->ns[c->nns].name, colon + 1); /* length checked by ns_name_ok */
	c->nns++;
	return 0;
}

static int parse_word(struct storaged_config *c, int *have_blk, const char *word, char *err,
                      size_t errlen)
{
	keel_handle_t slot;
	if (!strncmp(word, "ns=", 3))
		return parse_ns(c, *have_blk, word, err, errlen);
	if (!strcmp(word, "dev-key")) {
		if (c->dev_key)
			return fail(err, errlen, "dev-key given twice", word);
		c->dev_key = 1;
		return 0;
	}
	if (!strncmp(word, "blk=", 4) || !strncmp(word, "key=", 4)) {
		int is_blk = word[0] == 'b';
		if (is_blk ? *have_blk : c->key != KEEL_HANDLE_INVALID)
			return fail(err, errlen, "given twice", word);
		if (parse_slot(word + 4, strlen(word + 4), &slot))
			return fail(err, errlen, "a slot is 0..63", word);
		if (slot_used(c, *have_blk, slot))
			return fail(err, errlen, "slot used twice", word);
		if (is_blk) {
			c->blk = slot;
			*have_blk = 1;
		} else {
			c->key = slot;
		}
		return 0;
	}
	return fail(err, errlen, "unknown word (blk=SLOT key=SLOT ns=SLOT:NAME dev-key)", word);
}

int storaged_config_parse(const char *arg, struct storaged_config *c, char *err, size_t errlen)
{
	struct storaged_config cfg;
	int have_blk = 0;
	char word[WORD_MAX];
	memset(&cfg, 0, sizeof(cfg));
	cfg.blk = cfg.key = KEEL_HANDLE_INVALID;
	if (!arg)
		arg = "";
	while (*arg) {
		size_t len = strcspn(arg, " \t");
		if (len == 0) {
			arg++;
			continue;
		}
		if (len >= sizeof(word)) {
			snprintf(err, errlen, "word too long: \"%.20s...\"", arg);
			return -1;
		}
		memcpy(word, arg, len);
		word[len] = '\0';
		if (parse_word(&cfg, &have_blk, word, err, errlen))
			return -1;
		arg += len;
	}
	if (!have_blk)
		return fail(err, errlen, "missing blk=SLOT (the block driver channel)", "");
	if (cfg.dev_key == (cfg.key != KEEL_HANDLE_INVALID)) {
		snprintf(err, errlen,
		         cfg.dev_key
		             ? "key=SLOT and dev-key exclude each other"
		             : "missing key=SLOT or dev-key (where the root key comes from)");
		return -1;
	}
	if (cfg.nns == 0)
		return fail(err, errlen, "missing ns=SLOT:NAME (no client could reach storaged)",
		            "");
	*c = cfg;
	return 0;
}
