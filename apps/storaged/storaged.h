/*
 * storaged's insides (docs/storaged.md): the parsed configuration, the
 * per-channel state and the service's state, shared by main.c, config.c,
 * blk_dev.c, unlock.c, stage.c and service.c. The request
 * handler (storaged_handle) touches no syscall, so the fuzz target and the
 * unit tests drive it over a RAM device.
 */
#ifndef STORAGED_H
#define STORAGED_H

#include <stddef.h>
#include <stdint.h>

#include <keel/syscall.h> /* keel_logf: the log lines */
#include <keel/types.h>

#include "storaged_protocol.h"
#include "store.h"

#define STORAGED_MAX_NS 8                    /* client channels (namespaces) */
#define STORAGED_NS_MAX 16                   /* namespace name, including NUL: 1..15 of [a-z0-9-] */
#define STORAGED_STAGE_BYTES_MAX (8u << 20)  /* staged put bytes per channel */
#define STORAGED_STAGE_OBJECTS_MAX 64        /* staged puts + deletes per channel */
#define STORAGED_STAGE_TOTAL_MAX (12u << 20) /* staged put bytes of all channels together */
#define STORAGED_RAM_BLOCKS 2048u            /* the volatile fallback: 8 MiB */
#define STORAGED_RSP_MAX (sizeof(struct storaged_rsp) + STORAGED_CHUNK_MAX)

/* The manifest's arg= (config.c). */
struct storaged_ns_config {
	keel_handle_t slot;
	char name[STORAGED_NS_MAX];
};

struct storaged_config {
	keel_handle_t blk;
	keel_handle_t key; /* KEEL_HANDLE_INVALID with dev-key */
	int dev_key;
	unsigned nns;
	struct storaged_ns_config ns[STORAGED_MAX_NS];
};

/* 0, or -1 with a one-line reason in err; never partially trusted. */
int storaged_config_parse(const char *arg, struct storaged_config *c, char *err, size_t errlen);

/* A put or delete staged on one channel (stage.c). */
struct storaged_staged {
	char name[STORE_NAME_MAX]; /* full name: "namespace/name" */
	int is_delete;
	uint64_t size, filled; /* a put: the object's size, the bytes received so far */
	uint8_t *data;
};

struct storaged_chan {
	keel_handle_t h;
	int is_key;               /* the key channel: UNLOCK and STATUS only */
	char ns[STORAGED_NS_MAX]; /* a client channel's namespace */
	int open;                 /* still served (its peer has not gone) */
	struct storaged_staged staged[STORAGED_STAGE_OBJECTS_MAX];
	unsigned nstaged;
	uint64_t staged_bytes;
	/* The object a chunked READ is walking through: one snapshot, so a
	 * reader never sees two versions mixed (only this channel's COMMIT
	 * changes its namespace, and it drops the snapshot). */
	char rname[STORE_NAME_MAX];
	uint8_t *rdata;
	size_t rlen;
	int rvalid;
};

struct storaged {
	struct store_dev dev;
	struct store *store; /* NULL while locked */
	uint32_t flags;      /* STORAGED_F_* */
	unsigned nchans;
	struct storaged_chan chans[STORAGED_MAX_NS + 1];
};

/* One log line (log.c; the fuzz target has its own); status names: storaged_strerror (status.c). */

/* The block driver as a store_dev (blk_dev.c; the RAM device is store_ramdev_init). */
int storaged_blk_info(keel_handle_t h, uint64_t *blocks, uint32_t *flags);
void storaged_blk_dev(struct store_dev *dev, keel_handle_t *h, uint64_t blocks);

/* The root key (unlock.c; the development key is store_dev_key). */
/*
 * Commit STORAGED_BOOT_MARKER (the boot counter B) in its own transaction
 * so the generation moves past what the broker acknowledged last.
 */
int storaged_boot_marker(struct storaged *sd, uint64_t boot);
int storaged_unlock(struct storaged *sd, const uint8_t key[STORAGED_KEY_LEN],
                    uint64_t min_generation);

/* Staging (stage.c). */
int storaged_stage_write(struct storaged_chan *ch, const char *full, uint64_t offset,
                         uint64_t total, const uint8_t *data, size_t len, uint64_t *filled);
int storaged_stage_delete(struct storaged_chan *ch, const char *full);
int storaged_stage_commit(struct storaged_chan *ch, struct store *s);
void storaged_stage_drop(struct storaged_chan *ch);

/* One request on `ch` in, its reply out (service.c): returns the reply length. */
size_t storaged_handle(struct storaged *sd, struct storaged_chan *ch, const uint8_t *req, size_t n,
                       uint8_t *rsp, size_t cap);
/* Forget a channel whose peer has gone: its staged work and its read snapshot. */
void storaged_chan_reset(struct storaged_chan *ch);

#endif
