/*
 * The hosted implementation of keel/syscall.h (docs/hosted.md): private to
 * syscalls/hosted and tools/keel-hosted, never included by services.
 *
 * Handle slot H of a task is file descriptor KEEL_HOSTED_FD_BASE + H, an
 * AF_UNIX SOCK_SEQPACKET socket whose peer is the other end of the
 * channel. Every packet starts with struct hosted_frame, then the message.
 *
 * When keel-hosted also gives the task a mailbox for slot H (a sealed memfd
 * at KEEL_HOSTED_MBOX_BASE + H, mapped shared by both ends; which end this
 * task is comes in KEEL_HOSTED_ENDS_ENV), messages go through the mailbox
 * with futex wait/wake and the socket only tells a peer's death
 * (docs/hosted.md, "Channel transport").
 */
#ifndef KEEL_HOSTED_H
#define KEEL_HOSTED_H

#include <stddef.h>
#include <stdint.h>

#include <keel/msg.h>
#include <keel/types.h>

#define KEEL_HOSTED_FD_BASE 100
/* cap=attest: keel-hosted's report signer (tools/keel-hosted/attest_signer.h). */
#define KEEL_HOSTED_ATTEST_FD (KEEL_HOSTED_FD_BASE - 1)
/*
 * data=ENTRY: a sealed memfd holding keel-hosted's snapshot of the file,
 * given only with KEEL_HOSTED_DATA_ENV set; the shim maps it read-only on
 * the first keel_task_data call and closes the fd (task_data.c).
 */
#define KEEL_HOSTED_DATA_FD (KEEL_HOSTED_FD_BASE - 2)
#define KEEL_HOSTED_DATA_ENV "KEEL_HOSTED_DATA"
/* Slot H's mailbox memfd at start-up (the shim maps it and closes the fd). */
#define KEEL_HOSTED_MBOX_BASE (KEEL_HOSTED_FD_BASE + KEEL_MAX_HANDLES)
/* Hex mask of the slots whose mailbox this task uses as end 1 (others: end 0). */
#define KEEL_HOSTED_ENDS_ENV "KEEL_HOSTED_MBOX_ENDS"
/* Poll mode (keel-hosted --poll): spin this many ns on the mailbox before sleeping. */
#define KEEL_HOSTED_POLL_ENV "KEEL_HOSTED_POLL_NS"
/* "0": a receiver does not move to its caller's CPU. */
#define KEEL_HOSTED_FOLLOW_ENV "KEEL_HOSTED_FOLLOW"

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

/*
 * The shared mailbox of one channel: one struct hosted_mbox_end per end,
 * each written only by its own end (and `closed` by the launcher when the
 * task ends). Everything in it is the peer's to change at any time: a
 * reader loads each field once, bounds it, and copies the message out
 * before anything looks at it.
 */
struct hosted_lane {
	uint32_t seq;     /* bumped (release) once the lane holds a new message */
	uint32_t kind;    /* enum hosted_kind */
	int32_t status;   /* HOSTED_ERR: the KEEL_E* the caller returns */
	uint32_t answers; /* HOSTED_RSP/ERR: seq of the request answered */
	uint64_t len;     /* message bytes in data */
	uint64_t rsp_cap; /* HOSTED_REQ: bytes the caller can take back */
	int32_t cpu;      /* HOSTED_REQ: the caller's CPU (sched_getcpu), -1 unknown */
	uint32_t pad;
	uint64_t sent;    /* bytes of data written; the message's other len - sent bytes are zero */
	uint32_t pad2[4];
	uint8_t data[KEEL_MSG_MAX];
};
struct hosted_mbox_end {
	uint32_t wake;    /* futex word: bumped whenever something for this end is posted */
	uint32_t waiting; /* threads of this end asleep (or about to be) on wake */
	uint32_t closed;  /* this end is closed or its task ended */
	uint32_t pad[13];
	struct hosted_lane req; /* this end's call to the peer */
	struct hosted_lane rsp; /* this end's answer to the peer's call */
};
struct hosted_mbox {
	struct hosted_mbox_end end[2];
};

/* One end of a mailbox channel, private to its process. */
struct hosted_ep {
	struct hosted_mbox *mb;
	int me;                 /* 0 or 1 */
	int fd;                 /* the channel socket: peer death */
	int peer_dead;          /* seen through the socket */
	int watched;            /* keel-hosted reports the peer's death: sleep without a backstop */
	uint32_t req_seq;       /* our last request */
	uint32_t rsp_seq;       /* our last answer */
	uint32_t peer_req_seen; /* the peer's last request taken */
	uint32_t peer_rsp_seen; /* the peer's last answer taken */
	uint32_t answering;     /* seq of the request we owe a reply to */
};

/* mbox.c: the mailbox transport; same results as the socket one (chan.c). */
long hosted_mbox_call(struct hosted_ep *e, const void *req, size_t req_len, void *rsp,
		      size_t rsp_cap);
long hosted_mbox_recv(struct hosted_ep *e, void *buf, size_t cap, uint64_t *caller_cap);
long hosted_mbox_reply(struct hosted_ep *e, const void *buf, size_t len, int too_big);
int hosted_mbox_ready(struct hosted_ep *e); /* a call pending or the peer gone */
long hosted_mbox_wait(struct hosted_ep *const *eps, size_t n, uint64_t deadline_ns);
void hosted_mbox_close(struct hosted_ep *e);
/* Marks end `which` of a mailbox closed and wakes the other (the launcher, at a task's end). */
void hosted_mbox_mark_closed(struct hosted_mbox *mb, int which);
/* Maps a mailbox memfd (sealed, right size), or NULL. */
struct hosted_mbox *hosted_mbox_map(int memfd);
/* Creates a sealed mailbox memfd (the launcher); -1 on error. */
int hosted_mbox_create(void);
/* Launcher side: call through the mailbox on this channel fd (hosted_chan_call_fd). */
int hosted_chan_attach_fd(int fd, struct hosted_mbox *mb, int me);
/* A task calling through a mailbox stays on its CPU (its receiver follows it). */
void hosted_mbox_stay(void);
/* The calling thread keeps to the CPU of the client on this socket (mbox.c). */
void hosted_follow_client(int client_fd);
/* Spin budget in ns before sleeping (poll mode), 0 = none; from KEEL_HOSTED_POLL_ENV. */
void hosted_mbox_set_poll(long ns);
uint64_t hosted_now_ns(void);

/*
 * User memory (uaccess.c): the one way hosted calls touch a caller's
 * buffers. hosted_guard runs fn(arg) and returns 0, or KEEL_EFAULT if it
 * faulted (SIGSEGV/SIGBUS inside it; fn must leave nothing half-done that
 * matters: publish only after it returns). hosted_copy: memcpy under the
 * guard. hosted_user_check: the kernel's uaccess_check (range, then every
 * page readable, or writable with write != 0), 0 or KEEL_EFAULT.
 */
long hosted_guard(void (*fn)(void *), void *arg);
/* The guard's SIGSEGV/SIGBUS handler is installed on first use; this puts it back over a later one. */
void hosted_guard_install(void);
long hosted_copy(void *dst, const void *src, size_t n);
long hosted_user_check(const void *p, size_t n, int write);

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
	struct hosted_ep *ep; /* the mailbox end, NULL: the socket carries messages */
};
struct hosted_slot *hosted_slot_get(keel_handle_t h);
/* Drops what the socket transport holds for a slot (a crossing call; chan.c), at its close. */
void hosted_chan_forget(int slot);

/* Sets SO_SNDBUF/SO_RCVBUF on a channel socket; used by keel-hosted too. */
int hosted_sock_setup(int fd);

/* The task's name for log lines (argv[0]'s base name). */
const char *hosted_task_name(void);

#endif
