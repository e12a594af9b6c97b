/*
 * The front end's listening sockets (docs/tpm-frontends.md): TCP on
 * 127.0.0.1 for the TPM ports, Unix sockets for swtpm's --ctrl-path and the
 * guest port; every socket with fixed buffers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "tpm_listen.h"

/*
 * Fixed socket buffers for client connections (accepted ones inherit them):
 * without, Linux grows a non-reading client's send queue to megabytes, so
 * answers keep "draining" into the kernel long after the client stopped
 * reading, and every hostile connection can pin that much memory.
 */
void tpm_bound_buffers(int fd)
{
	int sz = 64 * 1024;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
}

int tpm_listen_tcp(const char *port)
{
	struct sockaddr_in a;
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)atoi(port));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* loopback only: the TPM has no authentication of its own */
	if (fd >= 0)
		tpm_bound_buffers(fd);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, SOMAXCONN)) {
		fprintf(stderr, "keel-hosted: tpm: cannot listen on 127.0.0.1:%s: %s\n", port,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/*
 * The Unix control socket (swtpm's --ctrl type=unixio,path=). A socket file
 * left by a dead server is replaced; one a live server answers on is not.
 */
int tpm_listen_unix(const char *path, const char *what)
{
	struct sockaddr_un a;
	struct stat st;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), probe;
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a.sun_path)) {
		fprintf(stderr, "keel-hosted: %s: '%s' is longer than %zu bytes\n", what, path,
			sizeof(a.sun_path) - 1);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	strcpy(a.sun_path, path);
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe >= 0 && connect(probe, (struct sockaddr *)&a, sizeof(a)) < 0 &&
		    errno == ECONNREFUSED)
			unlink(path);
		if (probe >= 0)
			close(probe);
	}
	if (fd >= 0)
		tpm_bound_buffers(fd);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, SOMAXCONN)) {
		fprintf(stderr, "keel-hosted: %s: cannot listen on unix socket %s: %s\n", what, path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}
