/*
 * The hosted implementation of keel/syscall.h (docs/hosted.md): private to
 * syscalls/hosted and tools/keel-hosted, never included by services.
 *
 * Handle slot H of a task is file descriptor KEEL_HOSTED_FD_BASE + H, an
 * AF_UNIX SOCK_SEQPACKET socket whose peer is the other end of the
 * channel. Every packet starts with struct hosted_frame, then the message.
 */
#ifndef KEEL_HOSTED_H
#define KEEL_HOSTED_H

#include <stdint.h>

#include <keel/msg.h>
#include <keel/types.h>

#define KEEL_HOSTED_FD_BASE 100

/* Socket buffers: one maximum message plus the frame fits in one packet, twice. */
#define HOSTED_SOCKBUF (2 * (KEEL_MSG_MAX + 4096))

enum hosted_kind {
	HOSTED_REQ = 1, /* a call; rsp_cap = the caller's reply buffer */
	HOSTED_RSP = 2, /* a reply */
	HOSTED_ERR = 3, /* the call failed at the receiver: status = KEEL_E* */
};

struct hosted_frame {
	uint32_t kind;    /* enum hosted_kind */
	int32_t status;   /* HOSTED_ERR: the KEEL_E* the caller returns */
	uint64_t rsp_cap; /* HOSTED_REQ: bytes the caller can take back */
};
_Static_assert(sizeof(struct hosted_frame) == 16, "hosted frame");

/* Handle table (handles.c). Returns the fd, or KEEL_EBADHANDLE. */
int hosted_handle_fd(keel_handle_t h);

/*
 * One channel call on a raw channel fd (what keel_chan_call does after the
 * handle lookup): for the launcher's own ends, e.g. the router channel of
 * a protocol task. Same results as keel_chan_call.
 */
long hosted_chan_call_fd(int fd, const void *req, size_t req_len, void *rsp, size_t rsp_cap);
/* Per-slot state the channel code keeps. NULL if `h` is not valid. */
struct hosted_slot {
	uint16_t gen;
	uint8_t open;
	uint8_t reply_owed;  /* a request was received and not yet answered */
	uint32_t in_call;    /* a call is in flight (atomic) */
	uint64_t caller_cap; /* rsp_cap of the request being answered */
};
struct hosted_slot *hosted_slot_get(keel_handle_t h);

/* Sets SO_SNDBUF/SO_RCVBUF on a channel socket; used by keel-hosted too. */
int hosted_sock_setup(int fd);

/* The task's name for log lines (argv[0]'s base name). */
const char *hosted_task_name(void);

#endif
