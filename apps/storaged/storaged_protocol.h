/*
 * storaged's service protocol (docs/storaged.md): a client task (vtpm,
 * uefivars) and storaged over one channel. Which namespace a channel
 * reaches is decided by storaged's measured manifest line, never by the
 * client: a name in a request is relative to that namespace
 * ("permall" on the vtpm's channel is the object "vtpm/permall").
 *
 * Writes and deletes are staged per channel and become visible together,
 * atomically, at COMMIT (several objects in one commit). Objects are up to
 * STORAGED_OBJECT_MAX bytes, moved in chunks of at most
 * STORAGED_CHUNK_MAX bytes.
 *
 * Every message starts with struct keel_msg (keel/msg.h). Every reply is
 * struct storaged_rsp (+ data for READ and LIST); status is one of
 * enum storaged_status.
 *
 *   STORAGED_OP_READ    req: storaged_req {name, offset, length = most bytes wanted}
 *                       rsp: storaged_rsp {size = object size} + the bytes
 *                            [offset, offset + min(length, size - offset))
 *   STORAGED_OP_WRITE   req: storaged_req {name, offset, length = the object's
 *                            total size} + the bytes at offset. Offset 0 starts
 *                            (or restarts) the staged object; chunks must
 *                            arrive in order; COMMIT fails with
 *                            STORAGED_EINVAL if a staged object is incomplete.
 *   STORAGED_OP_DELETE  req: storaged_req {name}: stage a delete (absent is fine)
 *   STORAGED_OP_COMMIT  req: storaged_req (fields ignored): apply everything
 *                            staged on this channel in one atomic commit;
 *                            rsp.size = the new generation
 *   STORAGED_OP_ABORT   req: storaged_req: drop everything staged
 *   STORAGED_OP_LIST    req: storaged_req {name = list names after this one
 *                            ("" = from the start)}; rsp: storaged_rsp
 *                            {size = number of entries} + entries, each
 *                            {u64 size; u8 name_len; name bytes}, in name
 *                            order, as many as fit; 0 entries = the end
 *   STORAGED_OP_UNLOCK  key channel only: req: storaged_unlock or
 *                       storaged_unlock_boot (then a boot marker is committed);
 *                       rsp.size = the generation of the opened (or newly
 *                       formatted) store. Refused on any other channel.
 *   STORAGED_OP_STATUS  any channel: rsp.size = generation (0 while locked),
 *                       rsp.flags = STORAGED_F_*
 */
#ifndef STORAGED_PROTOCOL_H
#define STORAGED_PROTOCOL_H

#include <stdint.h>

#include <keel/msg.h>

#define STORAGED_OP_READ (KEEL_OP_SERVICE_BASE + 0)
#define STORAGED_OP_WRITE (KEEL_OP_SERVICE_BASE + 1)
#define STORAGED_OP_DELETE (KEEL_OP_SERVICE_BASE + 2)
#define STORAGED_OP_COMMIT (KEEL_OP_SERVICE_BASE + 3)
#define STORAGED_OP_ABORT (KEEL_OP_SERVICE_BASE + 4)
#define STORAGED_OP_LIST (KEEL_OP_SERVICE_BASE + 5)
#define STORAGED_OP_UNLOCK (KEEL_OP_SERVICE_BASE + 0x10)
#define STORAGED_OP_STATUS (KEEL_OP_SERVICE_BASE + 0x11)

/* An object name within a namespace: 1..STORAGED_NAME_MAX-1 of [a-z0-9_.-]. */
#define STORAGED_NAME_MAX 48
#define STORAGED_OBJECT_MAX (4u << 20)  /* 4 MiB per object */
#define STORAGED_CHUNK_MAX 32768u
#define STORAGED_KEY_LEN 32

/*
 * Status codes, shared by the wire protocol and the format library
 * (store.h): 0 success, positive "not there", negative errors.
 */
enum storaged_status {
	STORAGED_OK = 0,
	STORAGED_ABSENT = 1,        /* no such object */
	STORAGED_EINVAL = -1,       /* malformed request, bad name, bad offset */
	STORAGED_ELOCKED = -2,      /* no key yet */
	STORAGED_EPERM = -3,        /* not allowed on this channel */
	STORAGED_EIO = -4,          /* the block device failed */
	STORAGED_ENOSPC = -5,       /* the image is full */
	STORAGED_ETOOBIG = -6,      /* over STORAGED_OBJECT_MAX or staging limits */
	STORAGED_ENOMEM = -7,
	STORAGED_ECORRUPT = -8,     /* integrity failure (tampered or damaged image) */
	STORAGED_EKEY = -9,         /* the image was made with another key */
	STORAGED_EROLLBACK = -10,   /* generation below the minimum acceptable */
	STORAGED_EFOREIGN = -11,    /* the device holds something that is not a Keel store */
	STORAGED_EBLANK = -12,      /* the device is blank (format it) */
	STORAGED_ENODEV = -13,      /* no block device */
};

/* storaged_rsp.flags (STATUS) */
#define STORAGED_F_UNLOCKED 1u
#define STORAGED_F_DEV_KEY 2u   /* unlocked with the INSECURE development key */
#define STORAGED_F_VOLATILE 4u  /* no device: RAM only, nothing survives */

struct storaged_req {
	struct keel_msg hdr;
	char name[STORAGED_NAME_MAX]; /* NUL-terminated, NUL-padded */
	uint64_t offset;
	uint64_t length;
	/* WRITE: data follows */
};

struct storaged_rsp {
	struct keel_msg hdr;
	int32_t status;
	uint32_t flags;
	uint64_t size;
	/* READ, LIST: data follows */
};

struct storaged_unlock {
	struct keel_msg hdr;
	uint8_t key[STORAGED_KEY_LEN];
	uint64_t min_generation;
};

/*
 * UNLOCK with the broker's boot counter (attest-bridge): after opening
 * the store, storaged commits the internal object STORAGED_BOOT_MARKER
 * (u64 big-endian boot; outside every client namespace: no "/") so the
 * generation moves on every attested boot, and replies that generation.
 * The 48-byte struct storaged_unlock alone still unlocks, without a marker.
 */
struct storaged_unlock_boot {
	struct storaged_unlock u;
	uint64_t boot;
};
#define STORAGED_BOOT_MARKER "storaged.boot"

_Static_assert(sizeof(struct storaged_req) == 72, "storaged_req layout");
_Static_assert(sizeof(struct storaged_rsp) == 24, "storaged_rsp layout");
_Static_assert(sizeof(struct storaged_unlock) == 48, "storaged_unlock layout");
_Static_assert(sizeof(struct storaged_unlock_boot) == 56, "storaged_unlock_boot layout");

#endif
