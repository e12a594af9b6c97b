/* The bench pair's channel: the client's slot 1 talks to the server's slot 1. */
#ifndef KEEL_TESTS_BENCH_PROTO_H
#define KEEL_TESTS_BENCH_PROTO_H

#include <keel/msg.h>

#define BENCH_SLOT 1u
#define BENCH_OP_ECHO KEEL_OP_SERVICE_BASE /* reply: the request, byte for byte (reply_recv) */
#define BENCH_OP_ECHO_SPLIT (KEEL_OP_SERVICE_BASE + 1) /* the same, answered by reply then recv */

#endif
