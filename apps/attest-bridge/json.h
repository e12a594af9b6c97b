/*
 * A small, strict JSON reader for the few members the bridge needs
 * (docs/decisions.md: no static jansson for the booted task). A document
 * is validated whole (RFC 8259 grammar, depth at most JSON_DEPTH_MAX)
 * before any member is looked up; a member named twice is an error, not
 * "the last one wins".
 */
#ifndef ATTEST_JSON_H
#define ATTEST_JSON_H

#include <stddef.h>
#include <stdint.h>

#define JSON_DEPTH_MAX 16

enum json_type { JSON_NONE, JSON_OBJECT, JSON_ARRAY, JSON_STRING, JSON_NUMBER, JSON_LITERAL };

/* A value's raw text in the document (strings with their quotes). */
struct json_span {
	const char *p;
	size_t len;
	enum json_type type;
};

/* 0 if `doc` is one well-formed JSON value (whitespace around allowed). */
int json_validate(const char *doc, size_t len);
/*
 * The member `key` of the object `obj` (a validated span): 0 found,
 * 1 absent, -1 not an object or the key is there twice.
 */
int json_member(const struct json_span *obj, const char *key, struct json_span *out);
/* The whole document as a span (validates it): 0 or -1. */
int json_doc(const char *doc, size_t len, struct json_span *out);
/*
 * A string's contents, unescaped, NUL-terminated; \u escapes are refused
 * (none of the fields read needs them). -1 if not a string or too long.
 */
int json_string(const struct json_span *v, char *out, size_t cap, size_t *outlen);
/* A non-negative integer below 2^63 written without fraction or exponent. */
int json_u64(const struct json_span *v, uint64_t *out);

#endif
