/*
 * The stream protocol (apps/consdev/stream_protocol.h) from a test task's
 * side: one request on handle slot 1 and the checks of its reply. Used by
 * stream-client (consdev), netstack-client and net-lossy-client (netstack).
 */
#ifndef KEEL_TESTS_STREAM_CALL_H
#define KEEL_TESTS_STREAM_CALL_H

#include <stddef.h>
#include <stdint.h>

#include <keel/syscall.h>

#include "../../../apps/consdev/stream_protocol.h"

#define STREAM_CALL_HANDLE ((keel_handle_t)1)

/* The request and reply buffers: any message the kernel can carry. */
extern uint8_t stream_call_req[KEEL_MSG_MAX];
extern uint8_t stream_call_rsp[KEEL_MSG_MAX];
/* A WRITE's bytes go here before stream_call(); a READ's come back here. */
#define STREAM_CALL_PAYLOAD (stream_call_req + sizeof(struct stream_req))
#define STREAM_CALL_REPLY (stream_call_rsp + sizeof(struct stream_rsp))

/*
 * One request: op, max and timeout_ms in a stream_req, `payload` bytes
 * already at STREAM_CALL_PAYLOAD. Returns the reply's status, or
 *   KEEL_E* - 1000  the call failed
 *   -999            a reply shorter than a stream_rsp
 *   -998            a reply of the wrong length: an error, WRITE or RESET
 *                   reply with bytes after the stream_rsp, or a good READ
 *                   reply whose count is above max or not its byte count
 * *count (count may be NULL): the reply's count, 0 without a reply.
 */
int32_t stream_call(uint32_t op, uint32_t max, uint32_t timeout_ms, size_t payload,
                    uint32_t *count);

/*
 * A raw message of n bytes (zeros after a header op/len_field as given):
 * the framing checks. The reply's status, KEEL_E* - 1000 or -999 as above.
 */
int32_t stream_raw(uint32_t op, uint32_t len_field, size_t n);

#endif
