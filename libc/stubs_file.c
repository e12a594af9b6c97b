/*
 * Files do not exist in a Keel task. Descriptors 0-2 are the console
 * (0 reads as EOF, 1 and 2 write to keel_log); every other file operation
 * fails with ENOENT (lookups by name) or EBADF (by descriptor), and
 * fopen returns NULL with errno set. Nothing pretends to succeed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <keel/syscall.h>

FILE *fopen(const char *path, const char *mode)
{
	(void)path;
	(void)mode;
	errno = ENOENT;
	return NULL;
}

FILE *fopen64(const char *path, const char *mode) __attribute__((alias("fopen")));

FILE *fdopen(int fd, const char *mode)
{
	(void)fd;
	(void)mode;
	errno = EBADF;
	return NULL;
}

/* Only stdin/stdout/stderr exist; closing them just flushes. */
int fclose(FILE *f)
{
	if (f == stdin || f == stdout || f == stderr)
		return fflush(f);
	errno = EBADF;
	return EOF;
}

int fseek(FILE *f, long off, int whence)
{
	(void)f;
	(void)off;
	(void)whence;
	errno = ESPIPE;
	return -1;
}

long ftell(FILE *f)
{
	(void)f;
	errno = ESPIPE;
	return -1;
}

int open(const char *path, int flags, ...)
{
	(void)path;
	(void)flags;
	errno = ENOENT;
	return -1;
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int close(int fd)
{
	if (fd >= 0 && fd <= 2)
		return 0;
	errno = EBADF;
	return -1;
}

ssize_t read(int fd, void *buf, size_t n)
{
	(void)buf;
	(void)n;
	if (fd == 0)
		return 0;
	errno = EBADF;
	return -1;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	fflush(fd == 1 ? stdout : stderr);
	size_t done = 0;
	while (done < n) {
		size_t k = n - done > KEEL_LOG_MAX ? KEEL_LOG_MAX : n - done;
		if (keel_log((const char *)buf + done, k) < 0) {
			errno = EIO;
			return done ? (ssize_t)done : -1;
		}
		done += k;
	}
	return (ssize_t)n;
}

off_t lseek(int fd, off_t off, int whence)
{
	(void)off;
	(void)whence;
	errno = (fd >= 0 && fd <= 2) ? ESPIPE : EBADF;
	return -1;
}

int stat(const char *restrict path, struct stat *restrict st)
{
	(void)path;
	(void)st;
	errno = ENOENT;
	return -1;
}

int lstat(const char *restrict path, struct stat *restrict st) __attribute__((alias("stat")));

int fstat(int fd, struct stat *st)
{
	(void)fd;
	(void)st;
	errno = EBADF;
	return -1;
}

int access(const char *path, int mode)
{
	(void)path;
	(void)mode;
	errno = ENOENT;
	return -1;
}

int remove(const char *path)
{
	(void)path;
	errno = ENOENT;
	return -1;
}

int unlink(const char *path) __attribute__((alias("remove")));

DIR *opendir(const char *path)
{
	(void)path;
	errno = ENOENT;
	return NULL;
}

struct dirent *readdir(DIR *d)
{
	(void)d;
	errno = EBADF;
	return NULL;
}

int closedir(DIR *d)
{
	(void)d;
	errno = EBADF;
	return -1;
}

int fcntl(int fd, int cmd, ...)
{
	(void)cmd;
	errno = (fd >= 0 && fd <= 2) ? EINVAL : EBADF;
	return -1;
}

int ioctl(int fd, unsigned long req, ...)
{
	(void)req;
	errno = (fd >= 0 && fd <= 2) ? ENOTTY : EBADF;
	return -1;
}

int tcgetattr(int fd, struct termios *t)
{
	(void)t;
	errno = (fd >= 0 && fd <= 2) ? ENOTTY : EBADF;
	return -1;
}

int tcsetattr(int fd, int act, const struct termios *t)
{
	(void)act;
	(void)t;
	errno = (fd >= 0 && fd <= 2) ? ENOTTY : EBADF;
	return -1;
}

int isatty(int fd)
{
	errno = (fd >= 0 && fd <= 2) ? ENOTTY : EBADF;
	return 0;
}
