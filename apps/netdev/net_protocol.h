/*
 * The raw-frame protocol: ONE client task (the network stack of issue 17)
 * and the network driver task (apps/netdev/: virtio-net booted) over one
 * channel. Frames are whole Ethernet frames without the FCS (destination
 * MAC first); the driver neither builds nor parses them, and the client
 * never gets DMA memory or the device: it sees frames only as copies in
 * messages, so the stack that parses network input holds no DMA power.
 * Every frame is untrusted input (the host and the network write it).
 * Every message starts with struct keel_msg (keel/msg.h).
 *
 *   NET_OP_SEND  req: struct net_req + frame (NET_FRAME_MIN..NET_FRAME_MAX bytes)
 *                rsp: struct net_rsp {status; len = bytes sent}
 *                     once the device has the frame (booted: up to 8 in flight;
 *                     waits at most 5 s for a free send buffer)
 *   NET_OP_RECV  req: struct net_req {timeout_ms}
 *                rsp: struct net_rsp {status; len} + len bytes (one frame);
 *                     waits up to timeout_ms for a frame (NET_ETIMEDOUT, len 0)
 *   NET_OP_INFO  req: struct net_req
 *                rsp: struct net_rsp {status; mac; mtu}
 * Requests are checked first (NET_EINVAL): framing (keel_msg_check), a
 * known op, SEND's length, RECV/INFO exactly a net_req, `reserved` zero.
 * Without a device (hosted, or none on the machine) every checked request
 * is NET_ENODEV.
 */
#ifndef NET_PROTOCOL_H
#define NET_PROTOCOL_H

#include <stdint.h>

#include <keel/msg.h>

#define NET_ETH_HDR 14u                     /* destination, source, EtherType */
#define NET_FRAME_MIN NET_ETH_HDR           /* sent as given: padding to 60 is the stack's */
#define NET_MTU_DEFAULT 1500u               /* without VIRTIO_NET_F_MTU */
#define NET_FRAME_MAX (NET_ETH_HDR + 1500u) /* no VLAN tags, no GSO */

#define NET_OP_SEND (KEEL_OP_SERVICE_BASE + 0)
#define NET_OP_RECV (KEEL_OP_SERVICE_BASE + 1)
#define NET_OP_INFO (KEEL_OP_SERVICE_BASE + 2)

#define NET_OK 0
#define NET_EIO (-1)       /* the device failed or broke a rule: not used again */
#define NET_ETIMEDOUT (-2) /* no frame within timeout_ms */
#define NET_EINVAL (-3)    /* malformed request */
#define NET_ENODEV (-4)    /* no device */

struct net_req {
	struct keel_msg hdr;
	uint32_t timeout_ms; /* RECV */
	uint32_t reserved;   /* 0 */
	                     /* SEND: the frame follows */
};

struct net_rsp {
	struct keel_msg hdr;
	int32_t status;
	uint32_t len;   /* SEND: bytes sent; RECV: frame bytes after this struct */
	uint8_t mac[6]; /* INFO */
	uint16_t mtu;   /* INFO: IP MTU, frames up to mtu + NET_ETH_HDR */
	                /* RECV: the frame follows */
};

_Static_assert(sizeof(struct net_req) == 16, "net_req layout");
_Static_assert(sizeof(struct net_rsp) == 24, "net_rsp layout");
_Static_assert(__builtin_offsetof(struct net_rsp, mac) == 16, "net_rsp.mac");

#endif
