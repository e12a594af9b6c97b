/*
 * What netstack's files share: the clock and the one way to run lwIP.
 * README.md describes the task.
 */
#ifndef NETSTACK_H
#define NETSTACK_H

#include <stdint.h>

/* Milliseconds on the monotonic clock. */
uint64_t now_ms(void);

/*
 * Runs lwIP for at most wait_ms (0: without waiting): waits in netdev's
 * RECV for a frame but no longer than lwIP's next timer, hands over every
 * frame waiting (up to PUMP_BURST), runs the due timers, settles the TCP
 * connection and watches the address. Returns at once when the link is
 * unusable.
 */
#define PUMP_BURST 64
void pump(uint32_t wait_ms);

/* The time left until `deadline` (ms, now_ms()), 0 when past, at most UINT32_MAX. */
uint32_t ms_left(uint64_t deadline);

#endif
