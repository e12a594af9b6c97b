/*
 * The netstack session fuzzer (fuzz_netstack_session.c): the input is a
 * script of what netstack's two peers do, consumed in order by the fake
 * syscalls (fake_keel.c) as netstack asks: netdev's RECV takes the next
 * frame, the serve loop's wait and recv take the next client request, and
 * silence lets virtual time pass.
 *
 *   byte 0: SESSION_DHCP or 0
 *   records: u8 kind, u16 length (big-endian), `length` bytes
 *     kind & 0x0f == REC_FRAME    a frame from the network (0x10: repair its
 *                                 IPv4 header checksum, 0x20: its TCP/UDP/ICMP one)
 *     kind & 0x0f == REC_REQUEST  a message from the stream client, as sent
 *     kind & 0x0f == REC_SILENCE  nothing for `length` x 10 ms (no bytes follow)
 *     kind & 0x0f == REC_FAULT    netdev misbehaves on its next call, as
 *                                 `length` % FAULT_COUNT says (no bytes follow)
 *     any other kind: silence
 */
#ifndef KEEL_FUZZ_NETSTACK_SESSION_H
#define KEEL_FUZZ_NETSTACK_SESSION_H

#include <stddef.h>
#include <stdint.h>

#define SESSION_DHCP 0x01 /* ip=dhcp, else ip=10.0.2.15/24 gw=10.0.2.2 */

#define REC_FRAME 0
#define REC_REQUEST 1
#define REC_SILENCE 2
#define REC_FAULT 3
#define REC_FIX_IP 0x10
#define REC_FIX_L4 0x20

/* How netdev misbehaves (REC_FAULT): netstack must mark the link down (or,
 * for a SEND timing out, drop the frame) and say so to its client. */
#define FAULT_SHORT 0   /* a reply shorter than a net_rsp */
#define FAULT_OP 1      /* a reply for another op */
#define FAULT_EIO 2     /* status NET_EIO */
#define FAULT_CHANNEL 3 /* the channel fails (KEEL_EPEERCLOSED) */
#define FAULT_LENGTH 4  /* a len that disagrees with the message length */
#define FAULT_BUSY 5    /* status NET_ETIMEDOUT (a SEND the device did not take) */
#define FAULT_ENODEV 6  /* status NET_ENODEV */
#define FAULT_COUNT 7

#define DEV_SLOT 1
#define SERVE_SLOT 2
/* Virtual time one input may use; past it netdev "fails" (NET_EIO), which
 * ends every wait: a READ with a timeout of days must not take days. */
#define SESSION_BUDGET_MS 120000u

void session_start(const uint8_t *script, size_t len);
/* 1 while records are left. */
int session_more(void);

#endif
