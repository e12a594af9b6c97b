/*
 * An in-memory Ethernet cable between two lwIP interfaces for hosted tests:
 * every frame is copied, may be dropped, corrupted or held back (so later
 * frames overtake it), and is delivered when the test's virtual clock
 * reaches its due time. All choices come from one seeded generator, so a
 * run is reproducible from its seed.
 */
#ifndef KEEL_TEST_NET_LINK_H
#define KEEL_TEST_NET_LINK_H

#include <stdint.h>

#include "lwip/netif.h"

#define LINK_QUEUE_MAX 1024
#define LINK_FRAME_MAX 1536

struct link_params {
	uint32_t seed;
	unsigned loss_permille;    /* frames dropped */
	unsigned corrupt_permille; /* frames with one byte flipped past the Ethernet header */
	unsigned reorder_permille; /* frames held back by an extra delay */
	unsigned delay_ms;         /* one-way delay of every frame */
	unsigned reorder_ms;       /* the most a held-back frame waits on top */
};

struct link_stats {
	unsigned long sent, dropped, corrupted, held, delivered, overtaken, queue_full;
};

struct link_frame {
	uint64_t due;
	uint64_t seq;
	int to; /* index of the receiving end */
	uint16_t len;
	uint8_t data[LINK_FRAME_MAX];
};

struct link {
	struct netif *end[2];
	struct link_params p;
	struct link_stats st;
	uint64_t rng;
	uint64_t next_seq;
	uint64_t last_seq[2]; /* highest seq delivered to each end, for overtaken */
	unsigned count;
	struct link_frame q[LINK_QUEUE_MAX];
};

/* The virtual clock in milliseconds: the test advances it, sys_now() reads it. */
extern uint64_t link_now_ms;

void link_init(struct link *l, struct netif *a, struct netif *b, const struct link_params *p);
/* netif->linkoutput for both ends (netif->state is the link). */
err_t link_output(struct netif *netif, struct pbuf *p);
/* Hands every frame due at or before `now` to its receiving interface. */
void link_deliver(struct link *l, uint64_t now);
uint32_t link_rand(struct link *l);

#endif
