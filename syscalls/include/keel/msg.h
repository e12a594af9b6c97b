/*
 * Channel message framing (docs/architecture.md §5, "Channels"). Every message starts with
 * struct keel_msg; `len` is the number of payload bytes after the header.
 * The kernel only enforces the total size (<= KEEL_MSG_MAX); the framing is
 * checked by the receiving task (keel_msg_check).
 */
#ifndef KEEL_MSG_H
#define KEEL_MSG_H

#include <keel/types.h>

struct keel_msg {
	uint32_t op;
	uint32_t len;
};
_Static_assert(sizeof(struct keel_msg) == 8, "keel_msg is 8 bytes");

/* Largest payload, and largest whole message (header + payload). */
#define KEEL_MSG_MAX_PAYLOAD 65536u
#define KEEL_MSG_MAX (KEEL_MSG_MAX_PAYLOAD + sizeof(struct keel_msg))

/* Ops every server understands. Service ops start at 0x100. */
#define KEEL_OP_PING 1u
#define KEEL_OP_ERROR 2u /* reply: payload is an int32 KEEL_E* or service status */
#define KEEL_OP_SERVICE_BASE 0x100u

/*
 * The bytes of a receive buffer the ABI checks and may write: a capacity
 * above KEEL_MSG_MAX is taken as KEEL_MSG_MAX (docs/abi.md "Channels").
 * One rule for the kernel (kernel/syscall/sys_chan.c) and the hosted
 * runtime (syscalls/hosted/chan.c).
 */
static inline size_t keel_msg_cap_clamp(uint64_t cap)
{
	return cap > KEEL_MSG_MAX ? KEEL_MSG_MAX : (size_t)cap;
}

/* 0 if `buf`/`n` holds a well-formed message, KEEL_EINVAL otherwise. */
static inline int keel_msg_check(const void *buf, size_t n)
{
	const struct keel_msg *m = (const struct keel_msg *)buf;
	if (n < sizeof(*m) || n > KEEL_MSG_MAX)
		return -1;
	if ((size_t)m->len != n - sizeof(*m))
		return -1;
	return 0;
}

#endif
