/* keel-hosted's emulated attestation signer (attest_signer.h). */
#include "attest_signer.h"
#include "crypto/emulated_report.h"
#include "platform/native/emulated_vcek.h"
#include <errno.h>
#include <fcntl.h>
#include <keel/errors.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_SIGNER_FDS 64
#define PARK_AT 900 /* above the fds a task keeps (hosted.h), as launch.c parks */

static uint8_t measurement[48], report_id[32];
static int mine[MAX_SIGNER_FDS], theirs[MAX_SIGNER_FDS], nfds;

void attest_signer_set_digest(const uint8_t digest[48])
{
	memcpy(measurement, digest, sizeof(measurement));
}

int attest_signer_add(void)
{
	int sv[2];
	if (nfds == MAX_SIGNER_FDS || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -1;
	mine[nfds] = fcntl(sv[0], F_DUPFD_CLOEXEC, PARK_AT);
	theirs[nfds] = fcntl(sv[1], F_DUPFD_CLOEXEC, PARK_AT);
	close(sv[0]);
	close(sv[1]);
	if (mine[nfds] < 0 || theirs[nfds] < 0)
		return -1;
	return theirs[nfds++];
}

/* One request: exactly 64 bytes in, the report (or a 4-byte KEEL_E*) out. -1: the task is gone. */
static int serve(int fd)
{
	uint8_t data[65];
	struct snp_report r;
	ssize_t n = recv(fd, data, sizeof(data), MSG_DONTWAIT | MSG_TRUNC);
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			return close(fd), -1; /* the task is gone */
		return 0;
	}
	if (n != 64) {
		int32_t e = KEEL_EINVAL;
		(void)send(fd, &e, sizeof(e), MSG_NOSIGNAL);
		return 0;
	}
	emulated_report_fill(&r, data, measurement, report_id);
	if (emulated_report_sign(&r, emulated_vcek_scalar)) {
		int32_t e = KEEL_ENOTSUP;
		(void)send(fd, &e, sizeof(e), MSG_NOSIGNAL);
		return 0;
	}
	(void)send(fd, &r, sizeof(r), MSG_NOSIGNAL);
	return 0;
}

static void *run(void *arg)
{
	struct pollfd p[MAX_SIGNER_FDS];
	(void)arg;
	for (;;) {
		int live = 0;
		for (int i = 0; i < nfds; i++) {
			p[i].fd = mine[i];
			p[i].events = POLLIN;
			live += p[i].fd >= 0;
		}
		if (!live)
			return NULL;
		if (poll(p, (nfds_t)nfds, -1) < 0 && errno != EINTR)
			return NULL;
		for (int i = 0; i < nfds; i++) {
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (!(p[i].revents & POLLIN) || serve(mine[i])) {
				if (!(p[i].revents & POLLIN))
					close(mine[i]);
				mine[i] = -1;
			}
		}
	}
}

int attest_signer_start(void)
{
	pthread_t th;
	for (int i = 0; i < nfds; i++)
		close(theirs[i]);
	if (!nfds)
		return 0;
	/* report_id: random per run, as the PSP makes one per launch. */
	if (getrandom(report_id, sizeof(report_id), 0) != (ssize_t)sizeof(report_id)) {
		perror("keel-hosted: attest: getrandom");
		return -1;
	}
	if (pthread_create(&th, NULL, run, NULL)) {
		fprintf(stderr, "keel-hosted: attest: cannot start the signer thread\n");
		return -1;
	}
	pthread_detach(th);
	return 0;
}
