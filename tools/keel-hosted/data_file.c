/* A task's data= file as a sealed memfd; see data_file.h and docs/hosted.md "Data file". */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data_file.h"
#include "task/limits.h"

/* Copies fd `in` to `out` until EOF; the byte count, or -1 (errno set; EFBIG past the limit). */
static long long copy_all(int in, int out)
{
	static char buf[65536];
	long long total = 0;
	for (;;) {
		ssize_t r = read(in, buf, sizeof(buf)), done = 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -1 : total;
		total += r;
		if (total > (long long)MANIFEST_DATA_MAX) {
			errno = EFBIG;
			return -1;
		}
		while (done < r) {
			ssize_t w = write(out, buf + done, (size_t)(r - done));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return -1;
			done += w;
		}
	}
}

int data_file_snapshot(const char *dir, const char *name, const char *task)
{
	char path[PATH_MAX];
	struct stat st;
	long long n = -1;
	int in, out = -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "keel-hosted: task '%s': data %s: %s\n", task, path,
		        in < 0 || errno ? strerror(errno) : "not a regular file");
		goto out;
	}
	out = memfd_create("keel-data", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (out < 0 || (n = copy_all(in, out)) < 0) {
		fprintf(stderr, "keel-hosted: task '%s': data %s: %s (at most %u bytes)\n", task,
		        path, strerror(errno), (unsigned)MANIFEST_DATA_MAX);
		goto fail;
	}
	if (n == 0) {
		fprintf(stderr, "keel-hosted: task '%s': data %s: empty\n", task, path);
		goto fail;
	}
	if (fcntl(out, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) {
		fprintf(stderr, "keel-hosted: task '%s': data %s: seal: %s\n", task, path,
		        strerror(errno));
		goto fail;
	}
	goto out;
fail:
	if (out >= 0)
		close(out);
	out = -1;
out:
	if (in >= 0)
		close(in);
	return out;
}
