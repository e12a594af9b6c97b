/*
 * System information and the generic syscall() entry. Only the Linux
 * calls libraries actually make through syscall() are translated
 * (getrandom, getpid); anything else fails with ENOSYS.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <keel/syscall.h>

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
	(void)flags; /* KEEL_SYS_RANDOM never blocks and is always "initialised" */
	unsigned char *p = buf;
	size_t done = 0;
	while (done < len) {
		size_t n = len - done > KEEL_RANDOM_MAX ? KEEL_RANDOM_MAX : len - done;
		long r = keel_random(p + done, n);
		if (r <= 0) {
			if (done > 0)
				break;
			errno = r == KEEL_EFAULT ? EFAULT : EIO;
			return -1;
		}
		done += (size_t)r;
	}
	return (ssize_t)done;
}

int getentropy(void *buf, size_t len)
{
	if (len > 256) {
		errno = EIO;
		return -1;
	}
	return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -1;
}

long syscall(long nr, ...)
{
	va_list ap;
	va_start(ap, nr);
	long r;
	if (nr == SYS_getrandom) {
		void *buf = va_arg(ap, void *);
		size_t len = va_arg(ap, size_t);
		unsigned flags = va_arg(ap, unsigned);
		r = getrandom(buf, len, flags);
	} else if (nr == SYS_getpid) {
		r = getpid();
	} else {
		errno = ENOSYS;
		r = -1;
	}
	va_end(ap);
	return r;
}

/* A task is one process; its id is constant and never 0 or 1. */
pid_t getpid(void)
{
	return 2;
}

pid_t getppid(void)
{
	return 1;
}

uid_t getuid(void) { return 0; }
uid_t geteuid(void) { return 0; }
gid_t getgid(void) { return 0; }
gid_t getegid(void) { return 0; }

long sysconf(int name)
{
	switch (name) {
	case _SC_PAGESIZE:
		return 4096;
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
		return 1;
	case _SC_CLK_TCK:
		return 100;
	case _SC_OPEN_MAX:
		return 3;
	default:
		errno = EINVAL;
		return -1;
	}
}

int getpagesize(void)
{
	return 4096;
}

int uname(struct utsname *u)
{
	memset(u, 0, sizeof(*u));
	strcpy(u->sysname, "Keel");
	strcpy(u->nodename, "keel");
	strcpy(u->release, "0");
	strcpy(u->version, "0");
	strcpy(u->machine, "x86_64");
	return 0;
}
