/*
 * What the lwIP fuzzers share (net-frames, netstack-session): lwIP's OS
 * glue (a virtual clock, a constant "random" number), and the end of an
 * input: every connection aborted, DHCP stopped, the netif removed, the
 * reassembly queue aged out, and lwIP's pools and heap checked to be
 * exactly as after lwip_init. lwIP's memory is static, so LeakSanitizer
 * cannot see a leak there; this check does.
 */
#ifndef KEEL_FUZZ_LWIP_ENV_H
#define KEEL_FUZZ_LWIP_ENV_H

#include <stdint.h>

#include "lwip/netif.h"

/* keel_net_rand() in the fuzzers: every ISN, DHCP xid and port seed. */
#define FUZZ_RAND 0x4b45454cu
/* Every input starts at a multiple of this (ms): the least common multiple
 * of lwIP's cyclic timer periods (0.5, 1, 5 and 60 s). */
#define FUZZ_TIMER_LCM 60000u

/* The virtual clock sys_now() reads (its low 32 bits). */
extern uint64_t fuzz_now_ms;

/* After lwip_init (and nothing else): the pools' and heap's free state. */
void env_baseline(void);
/* The clock in timer-sized steps, lwIP's timers run at each. */
void env_advance(uint32_t ms);
/* Everything of lwIP freed (netif's DHCP, every PCB but listeners, which
 * their owner closes first), the netif removed, timers brought to the
 * next input's phase; aborts if a pool element or heap block is missing. */
void env_teardown(struct netif *netif);

#endif
