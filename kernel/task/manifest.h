/*
 * The boot manifest: which tasks run, from which binaries, with what memory,
 * which channels join them and at which handle slot each end appears, and
 * which SVSM protocol a task serves. Text, one directive per line; the
 * grammar is in docs/manifest.md. Pure logic: used by the kernel, the
 * hosted launcher (keel-hosted) and igvm-build (to fail early).
 */
#ifndef KEEL_MANIFEST_H
#define KEEL_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "svsm/buffer_rule.h"
#include "task/limits.h" /* MANIFEST_MAX_*, MANIFEST_PROTOCOL_* */

enum manifest_expect {
	MANIFEST_EXPECT_EXIT0 = 0, /* default: the task must exit with status 0 */
	MANIFEST_EXPECT_FAULT,     /* a hostile test task: must be ended by a fault or kill */
	MANIFEST_EXPECT_ANY,       /* a service that may run forever or exit any way */
};

enum manifest_kind {
	MANIFEST_KIND_TASK = 0, /* default: a Keel task (syscalls, handles) */
	MANIFEST_KIND_GUEST,    /* the guest (docs/guest.md): no syscalls, makes SVSM calls; at most one */
};

struct manifest_task {
	char name[MANIFEST_NAME_MAX];
	char binary[MANIFEST_NAME_MAX]; /* bundle entry name */
	char arg[MANIFEST_ARG_MAX];     /* passed as argv[1] ("" = none) */
	char data[MANIFEST_NAME_MAX];   /* data=: bundle entry the task may read ("" = none) */
	uint64_t memory;                /* bytes, page-rounded, the task's limit */
	int64_t protocol;               /* SVSM protocol served (1..0xffffffff), -1 if none */
	uint32_t expect;                /* enum manifest_expect */
	uint32_t kind;                  /* enum manifest_kind */
	uint32_t ndevices;
	char devices[MANIFEST_MAX_DEVICES][MANIFEST_NAME_MAX]; /* device capabilities by name */
	uint32_t caps;                                         /* MANIFEST_CAP_* from cap=NAME */
	uint32_t nbuffers;                                     /* buffer= rules, one per call */
	struct svsm_buffer_rule buffers[MANIFEST_MAX_BUFFER_RULES];
};

/* Capabilities other than devices (`cap=NAME` in the manifest). */
#define MANIFEST_CAP_ATTEST 1u /* cap=attest: keel_attest_report */

/*
 * The one capability rule, for the kernel (the task's parsed manifest
 * entry) and the hosted shim (the caps keel-hosted passes in
 * KEEL_HOSTED_CAPS): 1 if `caps` grants every bit of `need`.
 */
static inline int manifest_caps_grant(uint32_t caps, uint32_t need)
{
	return (caps & need) == need;
}

struct manifest_end {
	uint16_t task;   /* index into tasks[] */
	uint16_t handle; /* slot in that task's handle table, < KEEL_MAX_HANDLES */
};

struct manifest_channel {
	struct manifest_end a, b;
};

struct manifest {
	uint32_t ntasks;
	uint32_t nchannels;
	struct manifest_task tasks[MANIFEST_MAX_TASKS];
	struct manifest_channel channels[MANIFEST_MAX_CHANNELS];
};

/*
 * Parse `len` bytes of manifest text. Returns 0, or a negative value with a
 * message in `err` naming the line, the task and the field
 * (e.g. "manifest line 3: task 'vtpm': memory: bad size '12Q'").
 * Rejects duplicate task names, a handle slot used twice in one task,
 * channels naming unknown tasks, two tasks serving one protocol, a channel
 * on slot KEEL_HANDLE_ROUTER (0) of a protocol task (the router's), a
 * guest with protocol= or in a channel, a second guest, and buffer= on a
 * task without protocol= or twice for one call, and a data= naming the
 * bundle's own manifest entry.
 */
int manifest_parse(struct manifest *m, const char *text, size_t len, char *err, size_t err_len);

/* Index of the task called `name`, or -1. */
int manifest_find_task(const struct manifest *m, const char *name);

#endif
