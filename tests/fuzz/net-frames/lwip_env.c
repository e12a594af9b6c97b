/* The lwIP fuzzers' shared environment (lwip_env.h). */
#include <stdio.h>
#include <stdlib.h>

#include "lwip/dhcp.h"
#include "lwip/ip4_frag.h"
#include "lwip/mem.h"
#include "lwip/memp.h"
#include "lwip/priv/memp_priv.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"

#include "lwip_env.h"

uint64_t fuzz_now_ms = FUZZ_TIMER_LCM;
static uint16_t pool_free[MEMP_MAX];
static const char *const pool_name[MEMP_MAX] = {
#define LWIP_MEMPOOL(name, num, size, desc) #name,
#include "lwip/priv/memp_std.h"
};
static size_t heap_max;

/* lwIP's OS glue (apps/net/sys_keel.c in a task): the virtual clock, and a
 * constant "random" number so seeds can name the ISNs and the DHCP xid. */
u32_t sys_now(void)
{
	return (u32_t)fuzz_now_ms; /* wraps as a real clock does */
}

uint32_t keel_net_rand(void)
{
	return FUZZ_RAND;
}

/* Free elements of each pool, walking its free list. */
static uint16_t pool_count(unsigned i)
{
	uint16_t n = 0;
	for (struct memp *m = *memp_pools[i]->tab; m != NULL && n <= memp_pools[i]->num;
	     m = m->next)
		n++;
	return n;
}

void env_baseline(void)
{
	for (unsigned i = 0; i < MEMP_MAX; i++)
		pool_free[i] = pool_count(i);
	/* The largest block the empty heap gives: every later input must end
	 * with it available again (mem_free coalesces free neighbours). */
	size_t lo = 0, hi = MEM_SIZE;
	while (lo < hi) {
		size_t mid = (lo + hi + 1) / 2;
		void *p = mem_malloc((mem_size_t)mid);
		if (p != NULL) {
			mem_free(p);
			lo = mid;
		} else {
			hi = mid - 1;
		}
	}
	heap_max = lo;
}

static void leak(const char *pool, unsigned have, unsigned want)
{
	fprintf(stderr, "lwip-env: lwIP leaked from %s: %u free, %u at the start\n", pool, have,
	        want);
	abort();
}

void env_advance(uint32_t ms)
{
	while (ms > 0) {
		uint32_t step = ms < TCP_TMR_INTERVAL ? ms : TCP_TMR_INTERVAL;
		fuzz_now_ms += step;
		ms -= step;
		sys_check_timeouts();
	}
}

void env_teardown(struct netif *netif)
{
	while (tcp_active_pcbs != NULL) {
		tcp_err(tcp_active_pcbs, NULL);
		tcp_abort(tcp_active_pcbs);
	}
	while (tcp_tw_pcbs != NULL)
		tcp_abort(tcp_tw_pcbs);
	if (tcp_listen_pcbs.listen_pcbs != NULL) {
		fprintf(stderr, "lwip-env: a listener left open by the harness\n");
		abort();
	}
	if (netif_dhcp_data(netif) != NULL) {
		dhcp_stop(netif);
		dhcp_cleanup(netif);
	}
	netif_remove(netif);
	for (int i = 0; i <= IP_REASS_MAXAGE; i++)
		ip_reass_tmr();
	/* The TCP timer sees no connections and stops itself. The next input
	 * starts at a multiple of FUZZ_TIMER_LCM ms, where every cyclic timer
	 * (started at one: fuzz_now_ms's first value) is due: each input meets
	 * the timers in the same phase. */
	env_advance(TCP_TMR_INTERVAL);
	fuzz_now_ms += FUZZ_TIMER_LCM - fuzz_now_ms % FUZZ_TIMER_LCM;
	sys_check_timeouts();
	for (unsigned i = 0; i < MEMP_MAX; i++) {
		uint16_t n = pool_count(i);
		if (n != pool_free[i])
			leak(pool_name[i], n, pool_free[i]);
	}
	void *p = mem_malloc((mem_size_t)heap_max);
	if (p == NULL) {
		fprintf(stderr, "lwip-env: lwIP leaked heap: no free block of %zu bytes\n",
		        heap_max);
		abort();
	}
	mem_free(p);
}
