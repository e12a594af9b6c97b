/*
 * mmap over KEEL_SYS_MEM_MAP: only private anonymous mappings exist (no
 * files, no fixed addresses, no executable+writable pages). mprotect is
 * not available (ENOSYS). mlock/madvise succeed because Keel task memory
 * is never paged out and advice may be ignored.
 */
#include <errno.h>
#include <sys/mman.h>

#include <keel/syscall.h>

static int errno_of(long r)
{
	switch (r) {
	case KEEL_ENOMEM: return ENOMEM;
	case KEEL_EFAULT: return EFAULT;
	case KEEL_EPERM: return EPERM;
	default: return EINVAL;
	}
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	(void)addr; /* a hint only; MAP_FIXED is refused below */
	if (!(flags & MAP_ANONYMOUS) || (flags & MAP_FIXED) || (flags & MAP_SHARED) || fd != -1 ||
	    off != 0 || len == 0) {
		errno = (flags & MAP_ANONYMOUS) ? EINVAL : ENODEV;
		return MAP_FAILED;
	}
	uint32_t kprot = 0;
	kprot |= (prot & PROT_READ) ? KEEL_PROT_READ : 0;
	kprot |= (prot & PROT_WRITE) ? KEEL_PROT_WRITE : 0;
	kprot |= (prot & PROT_EXEC) ? KEEL_PROT_EXEC : 0;
	long err;
	void *p = keel_mem_map((len + 4095) & ~(size_t)4095, kprot, &err);
	if (p == NULL) {
		errno = errno_of(err);
		return MAP_FAILED;
	}
	return p;
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
	__attribute__((alias("mmap")));

int munmap(void *addr, size_t len)
{
	long r = keel_mem_unmap(addr, (len + 4095) & ~(size_t)4095);
	if (r < 0) {
		errno = errno_of(r);
		return -1;
	}
	return 0;
}

int mprotect(void *addr, size_t len, int prot)
{
	(void)addr;
	(void)len;
	(void)prot;
	errno = ENOSYS;
	return -1;
}

int mlock(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	return 0;
}

int munlock(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	return 0;
}

int madvise(void *addr, size_t len, int advice)
{
	(void)addr;
	(void)len;
	(void)advice;
	return 0;
}
