/*
 * The victim's channel protocol, shared by tests/tasks/victim and
 * tests/tasks/hostile. Requests and replies are struct keel_msg framed;
 * payloads are the structs below.
 */
#ifndef KEEL_TESTS_VICTIM_PROTO_H
#define KEEL_TESTS_VICTIM_PROTO_H

#include <keel/msg.h>
#include <keel/types.h>

enum victim_op {
	VICTIM_OP_WHERE = KEEL_OP_SERVICE_BASE, /* reply: struct victim_where */
	VICTIM_OP_CHECK,      /* reply: u32 1 if the secret is intact */
	VICTIM_OP_ECHO,       /* reply: the request, byte for byte */
	VICTIM_OP_CALL_ME,    /* reply empty, then call the caller back on VICTIM_CALLBACK_SLOT */
	VICTIM_OP_TICK,       /* count a tick; reply: u32 1 once the spin has ended */
	VICTIM_OP_SPIN_START, /* the spinner starts: ticks are counted from now */
	VICTIM_OP_SPIN_END,   /* reply: u64 ticks counted since SPIN_START */
	VICTIM_OP_CALLBACK,   /* victim -> hostile on the callback channel */
	VICTIM_OP_DONE,       /* hostile's reply that ends the callback loop */
};

struct victim_where {
	uint64_t data_addr;   /* the secret in the victim's .data */
	uint64_t mapped_addr; /* a copy in a page the victim got from mem_map */
	uint64_t len;         /* bytes of each */
};

/* The victim's end of the bad-pointers hostile's callback channel. */
#define VICTIM_CALLBACK_SLOT 40u
/* The hostile's end of it. */
#define HOSTILE_CALLBACK_SLOT 2u
/* Every hostile reaches the victim on this slot. */
#define HOSTILE_VICTIM_SLOT 1u

/* The secret: byte i of the pattern. */
static inline uint8_t victim_secret_byte(size_t i)
{
	return (uint8_t)((i * 131u + 17u) ^ (i >> 8));
}

#endif
