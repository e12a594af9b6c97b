/* The raw write+flush the bench compares storaged with: pwrite + fdatasync of 4 KiB in
 * KEEL_STATE_DIR. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <keel/syscall.h>

#include "sc.h"

int sc_raw_flush_bench(unsigned long n, int64_t *ns_per_op)
{
	static unsigned char buf[4096];
	const char *dir = getenv("KEEL_STATE_DIR");
	char path[512];
	if (!dir || n == 0)
		return -1;
	snprintf(path, sizeof(path), "%s/raw-bench.tmp", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	int64_t t0 = keel_time(KEEL_CLOCK_MONOTONIC);
	for (unsigned long i = 0; i < n; i++) {
		buf[0] = (unsigned char)i;
		if (pwrite(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf) || fdatasync(fd)) {
			close(fd);
			unlink(path);
			return -1;
		}
	}
	*ns_per_op = (keel_time(KEEL_CLOCK_MONOTONIC) - t0) / (int64_t)n;
	close(fd);
	unlink(path);
	return 0;
}
