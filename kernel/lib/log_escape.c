/* The escaping rule for task log lines (lib/log_escape.h). */
#include "lib/log_escape.h"

int log_byte_escaped(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c <= 0x9f);
}

/* Bytes [s, s+n) with runs of plain bytes passed on in one piece. */
static void put_escaped(const char *s, size_t n, log_put_fn put, void *ctx)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
		if (!log_byte_escaped(c))
			continue;
		if (i > run)
			put(ctx, s + run, i - run);
		put(ctx, e, sizeof(e));
		run = i + 1;
	}
	if (n > run)
		put(ctx, s + run, n - run);
}

void log_emit(const char *name, const char *s, size_t len, log_put_fn put, void *ctx)
{
	size_t name_len = 0, start = 0;
	while (name[name_len])
		name_len++;
	while (start < len) {
		size_t end = start;
		while (end < len && s[end] != '\n')
			end++;
		put(ctx, "[", 1);
		put_escaped(name, name_len, put, ctx);
		put(ctx, "] ", 2);
		put_escaped(s + start, end - start, put, ctx);
		put(ctx, "\n", 1);
		start = end + 1;
	}
}
