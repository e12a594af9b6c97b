/*
 * The hostile task's entry: picks the attack named by argv[1], prints
 * what it is about to do, runs it. Checked modes end in tcheck_finish();
 * a fatal mode that returns means the kernel let the attack through.
 */
#include <string.h>

#include "hostile.h"

struct mode {
	const char *name;
	void (*run)(void);
	int fatal; /* 1: the task must be killed before run() returns */
};

static const struct mode modes[] = {
	{ "read-kernel", mode_read_kernel, 1 },
	{ "read-directmap", mode_read_directmap, 1 },
	{ "write-kernel", mode_write_kernel, 1 },
	{ "exec-data", mode_exec_data, 1 },
	{ "exec-mapped", mode_exec_mapped, 1 },
	{ "write-code", mode_write_code, 1 },
	{ "write-victim", mode_write_victim, 0 },
	{ "bad-pointers", mode_bad_pointers, 0 },
	{ "huge-lengths", mode_huge_lengths, 0 },
	{ "oversize-msg", mode_oversize_msg, 0 },
	{ "bad-handles", mode_bad_handles, 0 },
	{ "exhaust-mem", mode_exhaust_mem, 0 },
	{ "spin", mode_spin, 0 },
	{ "tick", mode_tick, 0 },
};

static char prefix[64];

long hostile_victim_call(uint32_t op, const void *payload, uint32_t len, void *rsp, size_t cap)
{
	static uint8_t req[KEEL_MSG_MAX];
	struct keel_msg *m = (struct keel_msg *)req;

	if (len > KEEL_MSG_MAX_PAYLOAD)
		return KEEL_ETOOBIG;
	m->op = op;
	m->len = len;
	if (len)
		memcpy(req + sizeof(*m), payload, len);
	return keel_chan_call(HOSTILE_VICTIM_SLOT, req, sizeof(*m) + len, rsp, cap);
}

int main(int argc, char **argv)
{
	const char *arg = argc > 1 ? argv[1] : "";

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(arg, modes[i].name) != 0)
			continue;
		strcpy(prefix, "hostile ");
		strncat(prefix, arg, sizeof(prefix) - 10);
		tcheck_prefix = prefix;
		tlog(prefix, "start");
		modes[i].run();
		if (modes[i].fatal) {
			tlog(prefix, "FAIL - survived an access that must kill the task");
			return 1;
		}
		tcheck_finish();
	}
	tlog("hostile", "FAIL - unknown mode in argv[1]");
	return 2;
}
