/* keel-hosted: starting the manifest's tasks as processes and judging their ends. */
#ifndef KEEL_HOSTED_LAUNCH_H
#define KEEL_HOSTED_LAUNCH_H

#include <sys/types.h>

#include "task/manifest.h"

struct launch_opts {
	const char *manifest_path;
	const char *bin_dir;
	const char *state_dir;     /* exported as KEEL_STATE_DIR, "" if none */
	const char *tpm_port;      /* KEEL_TPM_PORT */
	const char *platform_port; /* KEEL_PLATFORM_PORT */
	const char *tpm_protocol;  /* KEEL_TPM_PROTOCOL: mssim or swtpm */
	int verbose;
	long poll_ns; /* --poll: protocol tasks (and the launcher's router calls) spin this long */
};

struct launch_task {
	pid_t pid;  /* 0 once reaped */
	int status; /* waitpid status */
	int ended;
	int stopped; /* killed by the launcher on SIGTERM/SIGINT */
};

/* Creates every channel and starts every task; 0, or -1 with a message on stderr. */
int launch_start(const struct manifest *m, const struct launch_opts *o, struct launch_task *t);

/*
 * The launcher's end of the router channel of the task serving `protocol`
 * (its slot KEEL_HANDLE_ROUTER), handed over once, with the task's name;
 * -1 if no task serves it. Valid after launch_start.
 */
int launch_router_fd(const struct manifest *m, uint32_t protocol, const char **task);

/* The launcher's router ends are closing: their tasks see EPEERCLOSED. */
void launch_routers_closed(void);

/*
 * Waits until the run is over by the kernel's rule (task/outcome.c: every
 * task whose expect is not `any` has ended) or a SIGTERM/SIGINT, stops
 * what still runs, prints each task's end; returns the number of
 * unexpected outcomes.
 */
int launch_wait(const struct manifest *m, struct launch_task *t);

#endif
