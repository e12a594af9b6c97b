/* The strict JSON reader (json.h): a recursive-descent validator and member lookup. */
#include <string.h>

#include "json.h"

struct cur {
	const char *p, *end;
};

static void ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static int skip_string(struct cur *c)
{
	if (c->p >= c->end || *c->p != '"')
		return -1;
	c->p++;
	while (c->p < c->end) {
		unsigned char ch = (unsigned char)*c->p++;
		if (ch == '"')
			return 0;
		if (ch < 0x20)
			return -1;
		if (ch != '\\')
			continue;
		if (c->p >= c->end)
			return -1;
		char e = *c->p++;
		if (e == 'u') {
			for (int i = 0; i < 4; i++)
				if (c->p >= c->end || !is_hex(*c->p++))
					return -1;
		} else if (!strchr("\"\\/bfnrt", e) || e == 0) {
			return -1;
		}
	}
	return -1;
}

static int digits(struct cur *c)
{
	const char *s = c->p;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	return c->p > s ? 0 : -1;
}

static int skip_number(struct cur *c)
{
	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p < c->end && *c->p == '0')
		c->p++;
	else if (digits(c))
		return -1;
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (digits(c))
			return -1;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (digits(c))
			return -1;
	}
	return 0;
}

static int skip_value(struct cur *c, int depth, enum json_type *type);

static int skip_container(struct cur *c, int depth, char close, int object)
{
	c->p++;
	ws(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		return 0;
	}
	for (;;) {
		enum json_type t;
		ws(c);
		if (object) {
			if (skip_string(c))
				return -1;
			ws(c);
			if (c->p >= c->end || *c->p != ':')
				return -1;
			c->p++;
			ws(c);
		}
		if (skip_value(c, depth + 1, &t))
			return -1;
		ws(c);
		if (c->p >= c->end)
			return -1;
		if (*c->p == close) {
			c->p++;
			return 0;
		}
		if (*c->p != ',')
			return -1;
		c->p++;
	}
}

static int skip_value(struct cur *c, int depth, enum json_type *type)
{
	if (depth > JSON_DEPTH_MAX || c->p >= c->end)
		return -1;
	char ch = *c->p;
	if (ch == '{') {
		*type = JSON_OBJECT;
		return skip_container(c, depth, '}', 1);
	}
	if (ch == '[') {
		*type = JSON_ARRAY;
		return skip_container(c, depth, ']', 0);
	}
	if (ch == '"') {
		*type = JSON_STRING;
		return skip_string(c);
	}
	static const char *const lits[] = {"true", "false", "null"};
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(lits[i]);
		if ((size_t)(c->end - c->p) >= n && !memcmp(c->p, lits[i], n)) {
			c->p += n;
			*type = JSON_LITERAL;
			return 0;
		}
	}
	*type = JSON_NUMBER;
	return skip_number(c);
}

int json_doc(const char *doc, size_t len, struct json_span *out)
{
	struct cur c = {doc, doc + len};
	ws(&c);
	const char *start = c.p;
	if (skip_value(&c, 0, &out->type))
		return -1;
	out->p = start;
	out->len = (size_t)(c.p - start);
	ws(&c);
	return c.p == c.end ? 0 : -1;
}

int json_validate(const char *doc, size_t len)
{
	struct json_span s;
	return json_doc(doc, len, &s);
}

int json_member(const struct json_span *obj, const char *key, struct json_span *out)
{
	if (obj->type != JSON_OBJECT)
		return -1;
	struct cur c = {obj->p + 1, obj->p + obj->len - 1};
	size_t klen = strlen(key);
	int found = 0;
	for (;;) {
		ws(&c);
		if (c.p >= c.end)
			return found ? 0 : 1;
		const char *ks = c.p;
		if (skip_string(&c))
			return -1;
		/* Keys compare as written: a key spelled with escapes never matches. */
		int match = (size_t)(c.p - ks) == klen + 2 && !memcmp(ks + 1, key, klen);
		ws(&c);
		c.p++; /* ':' (validated) */
		ws(&c);
		struct json_span v = {c.p, 0, JSON_NONE};
		if (skip_value(&c, 1, &v.type))
			return -1;
		v.len = (size_t)(c.p - v.p);
		if (match) {
			if (found)
				return -1;
			found = 1;
			*out = v;
		}
		ws(&c);
		if (c.p < c.end && *c.p == ',')
			c.p++;
	}
}

int json_string(const struct json_span *v, char *out, size_t cap, size_t *outlen)
{
	if (v->type != JSON_STRING || cap == 0)
		return -1;
	size_t o = 0;
	for (size_t i = 1; i + 1 < v->len; i++) {
		char ch = v->p[i];
		if (ch == '\\') {
			static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
			const char *k = strchr(from, v->p[++i]);
			if (!k || v->p[i] == 'u')
				return -1;
			ch = to[k - from];
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = ch;
	}
	out[o] = 0;
	if (outlen)
		*outlen = o;
	return 0;
}

int json_u64(const struct json_span *v, uint64_t *out)
{
	uint64_t x = 0;
	if (v->type != JSON_NUMBER || v->len == 0 || v->len > 18 || (v->len > 1 && v->p[0] == '0'))
		return -1;
	for (size_t i = 0; i < v->len; i++) {
		if (v->p[i] < '0' || v->p[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(v->p[i] - '0');
	}
	*out = x;
	return 0;
}
