/*
 * The lwIP frame fuzzer's pieces (tests/fuzz/net-frames/): the stack in a
 * known state (stack.c), the checks on every frame it sends and the
 * checksum repair of fuzzed frames (frame_check.c). Addresses, ports and
 * the constant "random" number are what seeds.py writes seeds against.
 */
#ifndef KEEL_FUZZ_NET_H
#define KEEL_FUZZ_NET_H

#include <stddef.h>
#include <stdint.h>

#include "lwip/netif.h"

#include "lwip_env.h"

#define FUZZ_SERVER_ISN 0x10000000u /* the peer's ISN in the crafted SYN-ACK */
#define FUZZ_CLIENT_PORT 49152      /* our end of the client connection */
#define FUZZ_PEER_PORT 8080         /* 10.0.2.2:8080, the broker */
#define FUZZ_LISTEN_PORT 80         /* our listener */

/* Input header byte (first byte of an input). */
#define MODE_ESTABLISH 0x01 /* the client connection gets a crafted SYN-ACK first */
#define MODE_DHCP 0x02      /* a DHCP client runs on the netif */
#define MODE_NO_ARP 0x04    /* no ARP entry for the gateway: the SYN waits on ARP */

extern const uint8_t fuzz_our_mac[6], fuzz_gw_mac[6];

/* stack.c */
void stack_once(void);           /* lwip_init and the baselines, first input only */
void stack_setup(unsigned mode); /* netif, ARP entry, listener, client, DHCP */
void stack_input(const uint8_t *frame, size_t len);
void stack_advance(uint32_t ms); /* the clock in timer-sized steps, timers run */
void stack_app(unsigned flags);  /* the application's moves (APP_* below) */
void stack_teardown(void);       /* everything freed; aborts on a leak */

#define APP_WRITE 0x04  /* the client writes up to 1000 bytes */
#define APP_CLOSE 0x08  /* the client closes its connection */
#define APP_REFUSE 0x10 /* toggle: receive callbacks refuse data (ERR_MEM) */
#define APP_HOLD 0x20   /* toggle: data taken but the window not reopened */

/* frame_check.c */
void frame_check_out(const uint8_t *f, size_t len); /* aborts on a malformed frame */
void frame_fix_ip(uint8_t *f, size_t len);          /* the IPv4 header checksum */
void frame_fix_l4(uint8_t *f, size_t len);          /* the TCP, UDP or ICMP checksum */
/* One line per frame on stderr when KEEL_NET_FUZZ_TRACE is set (dir "in"/"out"). */
void frame_trace(const char *dir, const uint8_t *f, size_t len);

#endif
