/*
 * The echo service's protocol: the example every new service copies
 * (docs/writing-a-service.md). Messages are struct keel_msg + payload.
 *   KEEL_OP_PING -> reply KEEL_OP_PING, empty payload
 *   ECHO_OP_ECHO -> reply ECHO_OP_ECHO, the same payload byte for byte
 *   anything else, or a malformed message -> KEEL_OP_ERROR, int32 KEEL_EINVAL
 */
#ifndef ECHO_H
#define ECHO_H

#include <keel/msg.h>

#define ECHO_OP_ECHO (KEEL_OP_SERVICE_BASE + 0)

/* Both tasks use handle slot 1 (apps/boot.manifest: channel echo-client:1 echo-server:1). */
#define ECHO_HANDLE 1u

#endif
