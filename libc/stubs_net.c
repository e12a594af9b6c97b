/*
 * No network stack in a Keel task: socket() fails with EAFNOSUPPORT, every
 * operation on a socket descriptor with EBADF, and name resolution with
 * EAI_FAIL / h_errno NO_RECOVERY.
 */
#include <errno.h>
#include <netdb.h>
#include <stddef.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/socket.h>

int socket(int domain, int type, int proto)
{
	(void)domain;
	(void)type;
	(void)proto;
	errno = EAFNOSUPPORT;
	return -1;
}

static int no_socket(void)
{
	errno = EBADF;
	return -1;
}

int bind(int fd, const struct sockaddr *a, socklen_t l) { (void)fd; (void)a; (void)l; return no_socket(); }
int listen(int fd, int n) { (void)fd; (void)n; return no_socket(); }
int accept(int fd, struct sockaddr *restrict a, socklen_t *restrict l) { (void)fd; (void)a; (void)l; return no_socket(); }
int connect(int fd, const struct sockaddr *a, socklen_t l) { (void)fd; (void)a; (void)l; return no_socket(); }
int shutdown(int fd, int how) { (void)fd; (void)how; return no_socket(); }
int getsockname(int fd, struct sockaddr *restrict a, socklen_t *restrict l) { (void)fd; (void)a; (void)l; return no_socket(); }
int getpeername(int fd, struct sockaddr *restrict a, socklen_t *restrict l) { (void)fd; (void)a; (void)l; return no_socket(); }

int getsockopt(int fd, int lv, int opt, void *restrict v, socklen_t *restrict l)
{
	(void)fd; (void)lv; (void)opt; (void)v; (void)l;
	return no_socket();
}

int setsockopt(int fd, int lv, int opt, const void *v, socklen_t l)
{
	(void)fd; (void)lv; (void)opt; (void)v; (void)l;
	return no_socket();
}

ssize_t sendmsg(int fd, const struct msghdr *m, int flags)
{
	(void)fd; (void)m; (void)flags;
	return no_socket();
}

/*
 * libssl's SSL_sendfile (kernel TLS offload, file to socket) calls it; a
 * task has neither files nor sockets, so there is nothing to send from or to.
 */
ssize_t sendfile(int out, int in, off_t *off, size_t n)
{
	(void)out; (void)in; (void)off; (void)n;
	return no_socket();
}

ssize_t recvmsg(int fd, struct msghdr *m, int flags)
{
	(void)fd; (void)m; (void)flags;
	return no_socket();
}

ssize_t send(int fd, const void *b, size_t n, int flags) { (void)fd; (void)b; (void)n; (void)flags; return no_socket(); }
ssize_t recv(int fd, void *b, size_t n, int flags) { (void)fd; (void)b; (void)n; (void)flags; return no_socket(); }

/* No descriptor is ever ready (there are none to wait on). */
int select(int n, fd_set *restrict r, fd_set *restrict w, fd_set *restrict e, struct timeval *restrict t)
{
	(void)n; (void)r; (void)w; (void)e; (void)t;
	errno = ENOSYS;
	return -1;
}

int getaddrinfo(const char *restrict node, const char *restrict svc, const struct addrinfo *restrict hints,
		struct addrinfo **restrict res)
{
	(void)node; (void)svc; (void)hints;
	*res = NULL;
	return EAI_FAIL;
}

void freeaddrinfo(struct addrinfo *ai)
{
	(void)ai; /* getaddrinfo never returns a list */
}

const char *gai_strerror(int err)
{
	return err == EAI_FAIL ? "Non-recoverable failure in name resolution (no network in Keel)"
			       : "Name resolution failed";
}

int getnameinfo(const struct sockaddr *restrict a, socklen_t al, char *restrict host, socklen_t hl,
		char *restrict serv, socklen_t sl, int flags)
{
	(void)a; (void)al; (void)host; (void)hl; (void)serv; (void)sl; (void)flags;
	return EAI_FAIL;
}

struct hostent *gethostbyname(const char *name)
{
	(void)name;
	h_errno = NO_RECOVERY;
	return NULL;
}

int *__h_errno_location(void)
{
	static int h;
	return &h;
}
