/*
 * Finding STREAM_RESET_LINE in a byte stream that arrives in pieces (used
 * by consdev and by tools/keel-proxy). The line's first byte (NUL) occurs
 * nowhere else in it, so on a mismatch the bytes held so far can never
 * start a match and the scanner restarts at the current byte: no backing up.
 * No Keel headers: the host tool includes it too.
 */
#ifndef CONSDEV_RESET_LINE_H
#define CONSDEV_RESET_LINE_H

#include <stddef.h>

#define RESET_LINE "\0KEEL-PROXY-RESET\n"
#define RESET_LINE_LEN 18u
_Static_assert(sizeof(RESET_LINE) - 1 == RESET_LINE_LEN, "reset line length");

struct reset_scan {
	size_t matched; /* bytes of RESET_LINE seen at the end of the input so far */
};

/*
 * Feeds one byte. Returns 1 when it completes the line. Else, when the byte
 * breaks a partial match, *flush = how many held bytes (RESET_LINE's first
 * *flush bytes) were data after all; the byte itself then is data unless
 * it starts a new match (*held says whether it was taken).
 */
static inline int reset_scan_byte(struct reset_scan *s, unsigned char c, size_t *flush, int *held)
{
	*flush = 0;
	*held = 0;
	if ((unsigned char)RESET_LINE[s->matched] == c) {
		*held = 1;
		if (++s->matched == RESET_LINE_LEN) {
			s->matched = 0;
			return 1;
		}
		return 0;
	}
	*flush = s->matched;
	s->matched = 0;
	if ((unsigned char)RESET_LINE[0] == c) {
		s->matched = 1;
		*held = 1;
	}
	return 0;
}

#endif
