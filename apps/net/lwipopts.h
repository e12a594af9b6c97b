/*
 * Keel's lwIP configuration (docs/net.md): lwIP 2.1.3 core in NO_SYS mode
 * for one ring-3 task. No threads, no sockets or netconn: the task drives
 * the raw (callback) API from its own event loop and calls
 * sys_check_timeouts() itself. IPv4 only, with Ethernet/ARP, ICMP, UDP
 * (for DHCP), TCP and a DHCP client. Every option not set here keeps
 * lwIP's default (src/include/lwip/opt.h).
 */
#ifndef KEEL_LWIPOPTS_H
#define KEEL_LWIPOPTS_H

/* One thread, no OS: no mutexes, no mailboxes, no interrupt-level input. */
#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_NETIF_API 0

/* Memory: lwIP's own fixed heap and pools (static .bss in the task), so the
 * stack's allocations are bounded and never reach the task's malloc. */
#define MEM_ALIGNMENT 8
#define MEM_SIZE (256 * 1024)
#define MEMP_NUM_PBUF 64
#define MEMP_NUM_TCP_PCB 8
#define MEMP_NUM_TCP_PCB_LISTEN 4
#define MEMP_NUM_TCP_SEG 128
#define MEMP_NUM_UDP_PCB 4
#define PBUF_POOL_SIZE 128

/* Protocols (issue 17: Ethernet, ARP, IPv4, ICMP echo, DHCP, TCP). */
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 0
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 1
#define LWIP_DNS 0
#define LWIP_IGMP 0
#define LWIP_AUTOIP 0
#define IP_REASSEMBLY 1
#define IP_FRAG 1
/* The DHCP ARP probe of the offered address costs seconds per boot and
 * guards against a conflict QEMU's user network cannot have. */
#define DHCP_DOES_ARP_CHECK 0

/* TCP: full-size segments, a window of 8 segments, and out-of-order
 * segments queued rather than dropped (a lossy path must not turn every
 * reordering into a retransmission). */
#define TCP_MSS 1460
#define TCP_WND (16 * TCP_MSS)
#define TCP_SND_BUF (16 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_QUEUE_OOSEQ 1
/* TCP's timers every 100 ms (lwIP's default 250): the retransmission
 * timeout counts in slow ticks of twice this, so the shortest one is about
 * 0.4 s instead of 1-1.5 s; lwIP's sender ignores SACK, so each loss
 * waits for it (docs/net.md, "Against Linux TCP"). The cost is a timer
 * call every 100 ms while a connection is open. */
#define TCP_TMR_INTERVAL 100
#define LWIP_TCP_SACK_OUT 1
#define LWIP_TCP_KEEPALIVE 1
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK 1

/* Initial sequence numbers, ephemeral ports and DHCP transaction ids come
 * from here: the kernel's random source in a task (apps/net/sys_keel.c). */
#define LWIP_RAND() keel_net_rand()

/* Source-address routing (apps/net/route.c): a connection bound to one
 * interface's address leaves through that interface. */
#define LWIP_HOOK_FILENAME "keel_net_hooks.h"
#define LWIP_HOOK_IP4_ROUTE_SRC(src, dest) keel_net_route_src((src), (dest))
/* TCP initial sequence numbers (apps/net/tcp_isn.c): lwIP's own are
 * 6510 + a tick count, guessable off-path. */
#define LWIP_HOOK_TCP_ISN(lip, lport, rip, rport) keel_net_tcp_isn((lip), (lport), (rip), (rport))

#define LWIP_STATS 0
#define LWIP_CHECKSUM_ON_COPY 1

#ifndef __ASSEMBLER__
#include <stdint.h>
uint32_t keel_net_rand(void);
#endif

#endif
