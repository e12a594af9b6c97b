/* Whole-buffer socket I/O shared by the host-side TPM benches. */
#ifndef KEEL_BENCH_IO_H
#define KEEL_BENCH_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Sends (out != 0) or receives exactly n bytes; -1 if the peer went away. */
static inline int full_io(int fd, void *p, size_t n, int out)
{
	uint8_t *b = p;
	while (n) {
		ssize_t r = out ? send(fd, b, n, MSG_NOSIGNAL) : recv(fd, b, n, 0);
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

#endif
