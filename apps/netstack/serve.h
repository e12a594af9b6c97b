/*
 * The stream server (apps/consdev/stream_protocol.h) on one channel, one
 * client: requests checked by consdev's checker (apps/consdev/request.c),
 * then done on the TCP connection (tcp_conn.h).
 */
#ifndef NETSTACK_SERVE_H
#define NETSTACK_SERVE_H

#include <keel/types.h>

/* Serves until the client goes away (0) or the channel fails (1). */
int serve(keel_handle_t h, unsigned long *served, unsigned long *refused);

#endif
