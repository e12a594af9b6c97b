/*
 * Process facilities a Keel task does not have: dynamic loading, fork,
 * signals, user contexts, SysV shared memory. Each fails with errno set
 * (or a dlerror message); none pretends to succeed.
 */
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <sys/shm.h>
#include <ucontext.h>
#include <unistd.h>

static const char *dl_error;

void *dlopen(const char *file, int mode)
{
	(void)file;
	(void)mode;
	dl_error = "dlopen: dynamic loading is not supported in a Keel task";
	return NULL;
}

void *dlsym(void *restrict h, const char *restrict name)
{
	(void)h;
	(void)name;
	dl_error = "dlsym: dynamic loading is not supported in a Keel task";
	return NULL;
}

int dlclose(void *h)
{
	(void)h;
	dl_error = "dlclose: no library is loaded";
	return -1;
}

char *dlerror(void)
{
	const char *e = dl_error;
	dl_error = NULL;
	return (char *)e;
}

int dladdr(const void *addr, Dl_info *info)
{
	(void)addr;
	(void)info;
	return 0; /* 0 = "no information", per dladdr(3) */
}

pid_t fork(void)
{
	errno = ENOSYS;
	return -1;
}

__sighandler_t signal(int sig, __sighandler_t h)
{
	(void)sig;
	(void)h;
	errno = ENOSYS;
	return SIG_ERR;
}

int sigaction(int sig, const struct sigaction *restrict a, struct sigaction *restrict old)
{
	(void)sig;
	(void)a;
	(void)old;
	errno = ENOSYS;
	return -1;
}

int sigemptyset(sigset_t *s)
{
	for (size_t i = 0; i < sizeof(s->__val) / sizeof(s->__val[0]); i++)
		s->__val[i] = 0;
	return 0;
}

int sigprocmask(int how, const sigset_t *restrict s, sigset_t *restrict old)
{
	(void)how;
	(void)s;
	(void)old;
	errno = ENOSYS;
	return -1;
}

int raise(int sig)
{
	(void)sig;
	errno = ENOSYS;
	return -1;
}

int kill(pid_t pid, int sig)
{
	(void)pid;
	(void)sig;
	errno = ENOSYS;
	return -1;
}

int getcontext(ucontext_t *uc)
{
	(void)uc;
	errno = ENOSYS;
	return -1;
}

int setcontext(const ucontext_t *uc)
{
	(void)uc;
	errno = ENOSYS;
	return -1;
}

void makecontext(ucontext_t *uc, void (*fn)(void), int argc, ...)
{
	(void)uc;
	(void)fn;
	(void)argc;
	errno = ENOSYS; /* getcontext already failed, so callers never get here */
}

int shmget(key_t key, size_t size, int flags)
{
	(void)key;
	(void)size;
	(void)flags;
	errno = ENOSYS;
	return -1;
}

void *shmat(int id, const void *addr, int flags)
{
	(void)id;
	(void)addr;
	(void)flags;
	errno = EINVAL;
	return (void *)-1;
}

int shmdt(const void *addr)
{
	(void)addr;
	errno = EINVAL;
	return -1;
}
