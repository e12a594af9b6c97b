/*
 * The lwIP interface over netdev's frame channel (apps/netdev/net_protocol.h):
 * frames out by NET_OP_SEND, frames in by NET_OP_RECV, the MAC and MTU by
 * NET_OP_INFO. netstack sees frames only as copies in messages: no DMA, no
 * device.
 */
#ifndef NETSTACK_LINK_H
#define NETSTACK_LINK_H

#include <stdint.h>

#include <keel/types.h>

#include "lwip/netif.h"

/*
 * Asks netdev for the MAC and MTU and adds the interface (up, link up) as
 * lwIP's default. Returns NET_OK, or the NET_* status that leaves the link
 * unusable (NET_ENODEV: netdev has no device; NET_EIO: anything else), each
 * logged once.
 */
int32_t link_open(keel_handle_t dev);

/* NET_OK while frames can move, else why not (NET_ENODEV, NET_EIO). */
int32_t link_status(void);

struct netif *link_netif(void);

/*
 * Waits up to timeout_ms (0: just look) for one frame and hands it to lwIP.
 * 1: a frame came in; 0: none within the time; -1: the link is unusable.
 */
int link_poll(uint32_t timeout_ms);

/* "N frames in, N out, N dropped" for the exit line. */
void link_report(char *buf, size_t len);

#endif
