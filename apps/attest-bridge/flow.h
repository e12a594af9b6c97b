/*
 * One attestation run (flow.c): auth → attest → resource → UNLOCK
 * storaged → ack. The outcome, for main.c's log and the bench.
 */
#ifndef ATTEST_FLOW_H
#define ATTEST_FLOW_H

#include <stdint.h>

#include "bridge.h"
#include "http.h"

struct flow_times {
	int64_t report_ns, network_ns, crypto_ns; /* bench: where the time went */
};

struct flow_result {
	uint64_t boot, generation;
	struct flow_times t;
};

/* 0 unlocked and acknowledged; -1 refused (the reason was logged, storaged stays locked). */
int flow_run(const struct bridge_config *cfg, struct http_client *hc, struct flow_result *res);

#endif
