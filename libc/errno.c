/*
 * errno and its messages. Tasks are single-threaded, so errno is one
 * global; glibc's headers reach it through __errno_location().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int keel_errno;

int *__errno_location(void)
{
	return &keel_errno;
}

static const char *const messages[] = {
	[0] = "Success",
	[EPERM] = "Operation not permitted",
	[ENOENT] = "No such file or directory",
	[ESRCH] = "No such process",
	[EINTR] = "Interrupted system call",
	[EIO] = "Input/output error",
	[E2BIG] = "Argument list too long",
	[EBADF] = "Bad file descriptor",
	[EAGAIN] = "Resource temporarily unavailable",
	[ENOMEM] = "Cannot allocate memory",
	[EACCES] = "Permission denied",
	[EFAULT] = "Bad address",
	[EBUSY] = "Device or resource busy",
	[EEXIST] = "File exists",
	[ENODEV] = "No such device",
	[EINVAL] = "Invalid argument",
	[EMFILE] = "Too many open files",
	[ENOSPC] = "No space left on device",
	[ERANGE] = "Numerical result out of range",
	[ENOSYS] = "Function not implemented",
	[ENOTSUP] = "Operation not supported",
	[EAFNOSUPPORT] = "Address family not supported by protocol",
	[ETIMEDOUT] = "Connection timed out",
};

#define N_MESSAGES (sizeof(messages) / sizeof(messages[0]))

static const char *message_for(int err)
{
	if (err >= 0 && (size_t)err < N_MESSAGES && messages[err] != NULL)
		return messages[err];
	return NULL;
}

char *strerror(int err)
{
	static char unknown[32];
	const char *m = message_for(err);
	if (m != NULL)
		return (char *)m;
	snprintf(unknown, sizeof(unknown), "Unknown error %d", err);
	return unknown;
}

/* POSIX strerror_r (glibc exports it as __xpg_strerror_r). */
int __xpg_strerror_r(int err, char *buf, size_t len)
{
	const char *m = message_for(err);
	char tmp[32];
	if (m == NULL) {
		snprintf(tmp, sizeof(tmp), "Unknown error %d", err);
		m = tmp;
	}
	if (len == 0)
		return ERANGE;
	size_t n = strlen(m);
	if (n >= len) {
		memcpy(buf, m, len - 1);
		buf[len - 1] = '\0';
		return ERANGE;
	}
	memcpy(buf, m, n + 1);
	return message_for(err) ? 0 : EINVAL;
}

void perror(const char *s)
{
	const char *m = strerror(errno);
	if (s != NULL && *s != '\0')
		fprintf(stderr, "%s: %s\n", s, m);
	else
		fprintf(stderr, "%s\n", m);
}
