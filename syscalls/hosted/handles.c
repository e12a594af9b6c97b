/*
 * The per-process handle table of a hosted task. At start-up every slot
 * whose fd (KEEL_HOSTED_FD_BASE + slot) is an open SOCK_SEQPACKET socket is
 * a channel end with generation 0, matching the manifest's handle values.
 * Closing a slot bumps its generation, so the old value is stale
 * (KEEL_EBADHANDLE), as in the kernel. A slot whose mailbox memfd is at
 * KEEL_HOSTED_MBOX_BASE + slot (and whose end KEEL_HOSTED_ENDS_ENV names)
 * carries its messages through the mailbox (mbox.c); the memfd is closed
 * once mapped.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <keel/syscall.h>

#include "hosted.h"

static struct hosted_slot slots[KEEL_MAX_HANDLES];
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;

int hosted_sock_setup(int fd)
{
	int sz = HOSTED_SOCKBUF;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz)))
		return -1;
	return 0;
}

static struct hosted_ep eps[KEEL_MAX_HANDLES];

static void mbox_init(int slot, const char *ends)
{
	int mfd = KEEL_HOSTED_MBOX_BASE + slot;
	struct hosted_mbox *mb;
	if (fcntl(mfd, F_GETFD) < 0)
		return;
	mb = ends ? hosted_mbox_map(mfd) : NULL;
	close(mfd);
	if (!mb)
		return; /* the socket carries the messages */
	eps[slot].mb = mb;
	eps[slot].me = (int)((strtoull(ends, NULL, 16) >> slot) & 1);
	eps[slot].fd = KEEL_HOSTED_FD_BASE + slot;
	eps[slot].watched = 1; /* started by keel-hosted, which marks dead peers' ends */
	slots[slot].ep = &eps[slot];
}

static void slots_init(void)
{
	const char *ends = getenv(KEEL_HOSTED_ENDS_ENV);
	int i;
	for (i = 0; i < KEEL_MAX_HANDLES; i++) {
		int fd = KEEL_HOSTED_FD_BASE + i, type = 0;
		socklen_t len = sizeof(type);
		if (fcntl(fd, F_GETFD) < 0)
			continue;
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) || type != SOCK_SEQPACKET)
			continue;
		(void)hosted_sock_setup(fd); /* best effort: the launcher already did it */
		slots[i].open = 1;
		mbox_init(i, ends);
	}
	for (i = 0; i < KEEL_MAX_HANDLES; i++) /* mailboxes without a channel socket */
		if (!slots[i].open)
			close(KEEL_HOSTED_MBOX_BASE + i);
}

struct hosted_slot *hosted_slot_get(keel_handle_t h)
{
	struct hosted_slot *s;
	pthread_once(&slots_once, slots_init);
	if (KEEL_HANDLE_SLOT(h) >= KEEL_MAX_HANDLES)
		return NULL;
	s = &slots[KEEL_HANDLE_SLOT(h)];
	if (!s->open || s->gen != KEEL_HANDLE_GEN(h))
		return NULL;
	return s;
}

int hosted_handle_fd(keel_handle_t h)
{
	if (!hosted_slot_get(h))
		return KEEL_EBADHANDLE;
	return KEEL_HOSTED_FD_BASE + (int)KEEL_HANDLE_SLOT(h);
}

long keel_handle_close(keel_handle_t h)
{
	struct hosted_slot *s = hosted_slot_get(h);
	if (!s)
		return KEEL_EBADHANDLE;
	if (s->ep)
		hosted_mbox_close(s->ep); /* the mapping stays: another thread may be in a call */
	s->ep = NULL;
	close(KEEL_HOSTED_FD_BASE + (int)KEEL_HANDLE_SLOT(h));
	hosted_chan_forget((int)KEEL_HANDLE_SLOT(h));
	s->open = 0;
	s->reply_owed = 0;
	s->gen++;
	return 0;
}
