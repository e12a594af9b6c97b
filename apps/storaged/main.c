/*
 * storaged: Keel's state service (docs/storaged.md). Reads its
 * configuration from the manifest's arg=, finds its device (the block
 * driver, or RAM when there is none), waits for the root key on the key
 * channel (or takes the INSECURE development key), then serves its client
 * channels one request at a time. Until unlocked it does not receive on
 * client channels at all, so clients block.
 */
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "../blkdev/blk_protocol.h"
#include "storaged.h"
#include "storaged_client.h"

static uint8_t in[KEEL_MSG_MAX], out[STORAGED_RSP_MAX];
static struct storaged sd;
static struct storaged_config cfg;
static keel_handle_t blk_handle;

static int setup_channels(void)
{
	for (unsigned i = 0; i < cfg.nns; i++) {
		struct storaged_chan *ch = &sd.chans[sd.nchans++];
		ch->h = cfg.ns[i].slot;
		strcpy(ch->ns, cfg.ns[i].name);
		ch->open = 1;
	}
	if (!cfg.dev_key) {
		struct storaged_chan *ch = &sd.chans[sd.nchans++];
		ch->h = cfg.key;
		ch->is_key = 1;
		ch->open = 1;
	}
	/* A slot the manifest did not connect would fail every keel_wait: refuse it now. */
	for (unsigned i = 0; i < sd.nchans; i++) {
		long r = keel_wait(&sd.chans[i].h, 1, KEEL_WAIT_POLL);
		if (r == KEEL_EBADHANDLE) {
			keel_logf("storaged: slot %u (%s) is not a channel in the manifest",
			             sd.chans[i].h, sd.chans[i].is_key ? "key" : sd.chans[i].ns);
			return -1;
		}
	}
	return 0;
}

static int setup_device(void)
{
	uint64_t blocks = 0;
	uint32_t flags = 0;
	int rc = storaged_blk_info(blk_handle, &blocks, &flags);
	if (rc == BLK_ENODEV) {
		keel_logf("storaged: ==================================================");
		keel_logf("storaged: no state device: state is in RAM and will NOT persist");
		keel_logf("storaged: ==================================================");
		sd.flags |= STORAGED_F_VOLATILE;
		if (store_ramdev_init(&sd.dev, STORAGED_RAM_BLOCKS) != STORAGED_OK) {
			keel_logf("storaged: no memory for the RAM device");
			return -1;
		}
		return 0;
	}
	if (rc != BLK_OK) {
		keel_logf("storaged: block driver on slot %u: INFO failed (%d)", blk_handle, rc);
		return -1;
	}
	storaged_blk_dev(&sd.dev, &blk_handle, blocks);
	keel_logf("storaged: state device: %llu blocks of 4096 bytes (%llu KiB)%s",
	             (unsigned long long)blocks, (unsigned long long)blocks * 4,
	             flags & BLK_F_RO ? ", read-only" : "");
	return 0;
}

/* The development key: unlock at start, loudly. 0 if unlocked. */
static int dev_key_unlock(void)
{
	uint8_t key[STORAGED_KEY_LEN];
	keel_logf("storaged: **************************************************");
	keel_logf("storaged: INSECURE development key: anyone can read and forge this state");
	keel_logf("storaged: **************************************************");
	sd.flags |= STORAGED_F_DEV_KEY;
	store_dev_key(key);
	int rc = storaged_unlock(&sd, key, 0);
	explicit_bzero(key, sizeof(key));
	return rc;
}

/*
 * The handles to wait on: the key channel while it is open; the client
 * channels once unlocked, or once no key can come any more (then they are
 * answered STORAGED_ELOCKED instead of blocking for ever).
 */
static size_t wait_set(keel_handle_t *hs, struct storaged_chan **chs, int serve_clients)
{
	size_t n = 0;
	for (unsigned i = 0; i < sd.nchans; i++) {
		struct storaged_chan *ch = &sd.chans[i];
		if (ch->open && (ch->is_key || serve_clients)) {
			hs[n] = ch->h;
			chs[n++] = ch;
		}
	}
	return n;
}

static void serve_one(struct storaged_chan *ch, int *key_gone)
{
	long n = keel_chan_recv(ch->h, in, sizeof(in));
	if (n == KEEL_EPEERCLOSED) {
		ch->open = 0;
		storaged_chan_reset(ch);
		if (ch->is_key && !sd.store) {
			keel_logf("storaged: the key channel closed while locked: "
			             "clients are answered \"locked\"");
			*key_gone = 1;
		}
		return;
	}
	if (n == KEEL_ETOOBIG)
		return; /* the caller was told; nothing is owed */
	if (n < 0) {    /* would repeat on every wait: stop serving this channel, don't spin */
		keel_logf("storaged: receive on slot %u failed (%ld); no longer served", ch->h,
		             n);
		ch->open = 0;
		storaged_chan_reset(ch);
		return;
	}
	size_t len = storaged_handle(&sd, ch, in, (size_t)n, out, sizeof(out));
	explicit_bzero(in, (size_t)n); /* an UNLOCK's key, a client's state */
	keel_chan_reply(ch->h, out, len);
	explicit_bzero(out, len);
}

static void log_config(void)
{
	char line[STORAGED_MAX_NS * (STORAGED_NS_MAX + 16)] = ""; /* " NAME(slot NN)" each */
	size_t used = 0;
	for (unsigned i = 0; i < cfg.nns && used < sizeof(line); i++) {
		int w = snprintf(line + used, sizeof(line) - used, " %s(slot %u)", cfg.ns[i].name,
		                 cfg.ns[i].slot);
		used += w > 0 ? (size_t)w : 0;
	}
	keel_logf("storaged: block driver on slot %u, key %s, namespaces:%s", cfg.blk,
	             cfg.dev_key ? "INSECURE dev-key" : "channel", line);
	if (!cfg.dev_key)
		keel_logf("storaged: locked until the root key arrives on slot %u", cfg.key);
}

int main(int argc, char **argv)
{
	char err[160];
	keel_handle_t hs[STORAGED_MAX_NS + 1];
	struct storaged_chan *chs[STORAGED_MAX_NS + 1];
	int key_gone = 0;
	if (storaged_config_parse(argc > 1 ? argv[1] : "", &cfg, err, sizeof(err))) {
		keel_logf("storaged: bad configuration (manifest arg=): %s", err);
		return 2;
	}
	blk_handle = cfg.blk;
	log_config();
	if (setup_channels() || setup_device())
		return 1;
	if (cfg.dev_key && dev_key_unlock() != STORAGED_OK) {
		keel_logf("storaged: the development key cannot open the state device: "
		             "clients are answered \"locked\"");
		key_gone = 1; /* the only key there is failed */
	}
	for (;;) {
		size_t n = wait_set(hs, chs, sd.store || key_gone);
		if (n == 0)
			break;
		long r = keel_wait(hs, n, KEEL_WAIT_FOREVER);
		if (r < 0 || (size_t)r >= n) {
			keel_logf("storaged: wait failed (%ld)", r);
			return 1;
		}
		serve_one(chs[r], &key_gone);
	}
	keel_logf("storaged: every channel closed; generation %llu; exiting",
	             (unsigned long long)(sd.store ? store_generation(sd.store) : 0));
	if (sd.store)
		store_close(sd.store);
	return 0;
}
