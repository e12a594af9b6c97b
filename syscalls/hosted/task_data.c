/*
 * keel_task_data hosted (keel/task_data.h, docs/hosted.md "Data file"):
 * keel-hosted snapshots the manifest's data= file into a sealed memfd and
 * hands it over as KEEL_HOSTED_DATA_FD with KEEL_HOSTED_DATA_ENV set; the
 * first call maps it read-only and shared (a write is SIGSEGV, as booted
 * it is a page fault; the seals keep even keel-hosted from changing it,
 * and from Linux 6.7 refuse mprotect to writable) and closes the fd. Same answers and checking
 * order as the kernel's sys_task_data: KEEL_ENOENT without a data file, then KEEL_EFAULT.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <keel/task_data.h>

#include "hosted.h"
#include "task/limits.h"

static pthread_once_t data_once = PTHREAD_ONCE_INIT;
static const void *data_base;
static size_t data_size;
static int data_err = KEEL_ENOENT;

static void data_map(void)
{
	struct stat st;
	void *p;
	if (!getenv(KEEL_HOSTED_DATA_ENV))
		return; /* no data= on this task's line, or not started by keel-hosted */
	if (fstat(KEEL_HOSTED_DATA_FD, &st) || !S_ISREG(st.st_mode) || st.st_size < 1 ||
	    (uint64_t)st.st_size > MANIFEST_DATA_MAX) {
		fprintf(stderr, "[%s] keel_task_data: fd %d is not a data file of 1..%u bytes\n",
		        hosted_task_name(), KEEL_HOSTED_DATA_FD, (unsigned)MANIFEST_DATA_MAX);
		close(KEEL_HOSTED_DATA_FD);
		return;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, KEEL_HOSTED_DATA_FD, 0);
	/* Linux < 6.7 refuses even a read-only shared map of a write-sealed memfd. */
	if (p == MAP_FAILED)
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, KEEL_HOSTED_DATA_FD, 0);
	close(KEEL_HOSTED_DATA_FD);
	if (p == MAP_FAILED) {
		data_err = KEEL_ENOMEM; /* RLIMIT_AS: memory= + the hosted margin */
		return;
	}
	data_base = p;
	data_size = (size_t)st.st_size;
	data_err = 0;
}

int keel_task_data(const void **data, size_t *size)
{
	const void *base;
	size_t n;
	long rc;
	pthread_once(&data_once, data_map);
	if (data_err)
		return data_err;
	rc = hosted_user_check(data, sizeof(*data), 1);
	if (!rc)
		rc = hosted_user_check(size, sizeof(*size), 1);
	base = data_base;
	n = data_size;
	if (!rc)
		rc = hosted_copy(data, &base, sizeof(base));
	if (!rc)
		rc = hosted_copy(size, &n, sizeof(n));
	return (int)rc;
}
