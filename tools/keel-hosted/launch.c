/*
 * keel-hosted's process side: one socketpair and one mailbox (a sealed
 * memfd, syscalls/hosted/mbox.c) per manifest channel, one forked process
 * per task with its ends at KEEL_HOSTED_FD_BASE + slot, its mailboxes at
 * KEEL_HOSTED_MBOX_BASE + slot, its data= snapshot at KEEL_HOSTED_DATA_FD
 * and nothing else open but 0-2, then reaping
 * and judging each task's end against `expect=` by the kernel's own rule
 * (task/outcome.c; docs/boot.md, Kernel start 5). A reaped task's mailbox ends are marked
 * closed and their peers woken: that is how a peer learns of its death.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <keel/svsm.h>
#include <keel/types.h>

#include "hosted.h"
#include "attest_signer.h"
#include "data_file.h"
#include "launch.h"
#include "task/outcome.h"

/* glibc and the dynamic loader need room beyond a task's own memory limit. */
#define RLIMIT_MARGIN (256ull << 20)
/* Launcher-side channel fds live above every task's handle fds. */
#define FD_PARK 256

static int ends[MANIFEST_MAX_TASKS][KEEL_MAX_HANDLES]; /* fd + 1; 0 = none */
static int router_ends[MANIFEST_MAX_TASKS];           /* launcher's router end, fd + 1 */
static int mbox_fds[MANIFEST_MAX_TASKS][KEEL_MAX_HANDLES]; /* memfd + 1; 0 = none */
static struct hosted_mbox *mboxes[MANIFEST_MAX_TASKS][KEEL_MAX_HANDLES];
static uint64_t mbox_ends[MANIFEST_MAX_TASKS]; /* bit H: the task is end 1 of slot H's mailbox */
static struct hosted_mbox *router_mboxes[MANIFEST_MAX_TASKS]; /* launcher is end 1 */
static char env_ends[MANIFEST_MAX_TASKS][64], env_poll[64];
static int attest_fds[MANIFEST_MAX_TASKS]; /* fd + 1 of the task's signer end (attest_signer.h) */
static int data_fds[MANIFEST_MAX_TASKS];   /* fd + 1 of the task's data= snapshot (data_file.h) */
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static int park_fd(int fd)
{
	int p = fcntl(fd, F_DUPFD_CLOEXEC, FD_PARK);
	close(fd);
	return p;
}

/*
 * The mailbox of one channel: task ta's end (slot ha) is end 0, task tb's
 * (slot hb; tb < 0: the launcher's router end) end 1. Returns the mapping (the launcher keeps it to mark a dead
 * task's ends closed), NULL with a message.
 */
static struct hosted_mbox *make_mbox(int ta, int ha, int tb, int hb)
{
	int fd = hosted_mbox_create();
	struct hosted_mbox *mb;
	if (fd < 0 || (fd = park_fd(fd)) < 0 || !(mb = hosted_mbox_map(fd))) {
		perror("keel-hosted: channel mailbox");
		return NULL;
	}
	mbox_fds[ta][ha] = fd + 1;
	mboxes[ta][ha] = mb;
	if (tb >= 0) {
		mbox_fds[tb][hb] = fd + 1;
		mboxes[tb][hb] = mb;
		mbox_ends[tb] |= 1ull << hb;
	}
	return mb;
}

/*
 * The router role (docs/svsm-routing.md): a task with `protocol=N` gets one
 * more channel at slot KEEL_HANDLE_ROUTER; the launcher keeps the other end
 * for that protocol's front end (launch_router_fd).
 */
static int make_routers(const struct manifest *m)
{
	uint32_t i;
	for (i = 0; i < m->ntasks; i++) {
		int sv[2];
		if (m->tasks[i].protocol <= 0)
			continue;
		if (ends[i][KEEL_HANDLE_ROUTER]) {
			fprintf(stderr, "keel-hosted: task '%s' serves protocol %lld: slot %u is its router "
				"handle, no channel may use it\n", m->tasks[i].name,
				(long long)m->tasks[i].protocol, KEEL_HANDLE_ROUTER);
			return -1;
		}
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
			perror("keel-hosted: router socketpair");
			return -1;
		}
		sv[0] = park_fd(sv[0]);
		sv[1] = park_fd(sv[1]);
		if (sv[0] < 0 || sv[1] < 0 || hosted_sock_setup(sv[0]) || hosted_sock_setup(sv[1])) {
			perror("keel-hosted: router socket");
			return -1;
		}
		ends[i][KEEL_HANDLE_ROUTER] = sv[0] + 1;
		router_ends[i] = sv[1] + 1;
		router_mboxes[i] = make_mbox((int)i, KEEL_HANDLE_ROUTER, -1, 0);
		if (!router_mboxes[i] || hosted_chan_attach_fd(sv[1], router_mboxes[i], 1))
			return -1;
	}
	return 0;
}

void launch_routers_closed(void)
{
	int i;
	for (i = 0; i < MANIFEST_MAX_TASKS; i++)
		if (router_mboxes[i])
			hosted_mbox_mark_closed(router_mboxes[i], 1);
}

/* A reaped task: its ends are closed, its peers woken. */
static void mark_ended(uint32_t ti)
{
	int h;
	for (h = 0; h < KEEL_MAX_HANDLES; h++)
		if (mboxes[ti][h])
			hosted_mbox_mark_closed(mboxes[ti][h], (int)((mbox_ends[ti] >> h) & 1));
}

int launch_router_fd(const struct manifest *m, uint32_t protocol, const char **task)
{
	uint32_t i;
	for (i = 0; i < m->ntasks; i++)
		if (m->tasks[i].protocol == (int64_t)protocol && router_ends[i]) {
			int fd = router_ends[i] - 1;
			router_ends[i] = 0;
			*task = m->tasks[i].name;
			return fd;
		}
	return -1;
}

static int make_channels(const struct manifest *m)
{
	uint32_t i;
	for (i = 0; i < m->nchannels; i++) {
		const struct manifest_channel *c = &m->channels[i];
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
			perror("keel-hosted: socketpair");
			return -1;
		}
		sv[0] = park_fd(sv[0]);
		sv[1] = park_fd(sv[1]);
		if (sv[0] < 0 || sv[1] < 0 || hosted_sock_setup(sv[0]) || hosted_sock_setup(sv[1])) {
			perror("keel-hosted: channel socket");
			return -1;
		}
		ends[c->a.task][c->a.handle] = sv[0] + 1;
		ends[c->b.task][c->b.handle] = sv[1] + 1;
		if (!make_mbox((int)c->a.task, (int)c->a.handle, (int)c->b.task, (int)c->b.handle))
			return -1;
	}
	return make_routers(m);
}

static void export_env(const struct launch_opts *o)
{
	setenv("KEEL_STATE_DIR", o->state_dir, 1);
	setenv("KEEL_TPM_PORT", o->tpm_port, 1);
	setenv("KEEL_PLATFORM_PORT", o->platform_port, 1);
	setenv("KEEL_TPM_PROTOCOL", o->tpm_protocol, 1);
}

/* In the child: handles in place, all else closed, limits set, then exec. */
static _Noreturn void child(const struct manifest *m, uint32_t ti, const char *path)
{
	const struct manifest_task *t = &m->tasks[ti];
	struct rlimit rl;
	char caps[16];
	char *argv[3] = {(char *)t->name, t->arg[0] ? (char *)t->arg : NULL, NULL};
	int h;
	setpgid(0, 0); /* a terminal's ^C reaches the launcher, which stops tasks in order */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	for (h = 0; h < KEEL_MAX_HANDLES; h++) {
		if (ends[ti][h] && dup2(ends[ti][h] - 1, KEEL_HOSTED_FD_BASE + h) < 0)
			_exit(127);
		if (mbox_fds[ti][h] && dup2(mbox_fds[ti][h] - 1, KEEL_HOSTED_MBOX_BASE + h) < 0)
			_exit(127);
	}
	if (attest_fds[ti] && dup2(attest_fds[ti] - 1, KEEL_HOSTED_ATTEST_FD) < 0)
		_exit(127);
	if (data_fds[ti] && dup2(data_fds[ti] - 1, KEEL_HOSTED_DATA_FD) < 0)
		_exit(127);
	close_range(3, KEEL_HOSTED_DATA_FD - 1, 0);
	if (!attest_fds[ti])
		close(KEEL_HOSTED_ATTEST_FD);
	if (!data_fds[ti])
		close(KEEL_HOSTED_DATA_FD);
	for (h = 0; h < KEEL_MAX_HANDLES; h++) {
		if (!ends[ti][h])
			close(KEEL_HOSTED_FD_BASE + h);
		if (!mbox_fds[ti][h])
			close(KEEL_HOSTED_MBOX_BASE + h);
	}
	close_range(KEEL_HOSTED_MBOX_BASE + KEEL_MAX_HANDLES, ~0u, 0); /* incl. the parked ends */
	snprintf(caps, sizeof(caps), "%u", t->caps);
	setenv("KEEL_HOSTED_CAPS", caps, 1); /* syscalls/hosted applies manifest_caps_grant */
	snprintf(caps, sizeof(caps), "%u", t->ndevices);
	setenv("KEEL_HOSTED_DEVICES", caps, 1); /* keel_irq_bind: EPERM vs ENOTSUP */
	if (data_fds[ti])
		setenv(KEEL_HOSTED_DATA_ENV, "1", 1); /* syscalls/hosted/task_data.c maps the fd */
	else
		unsetenv(KEEL_HOSTED_DATA_ENV);
	putenv(env_ends[ti]);
	if (t->protocol > 0 && env_poll[0])
		putenv(env_poll);
	rl.rlim_cur = rl.rlim_max = t->memory + RLIMIT_MARGIN;
	if (setrlimit(RLIMIT_AS, &rl))
		perror("keel-hosted: setrlimit");
	execv(path, argv);
	fprintf(stderr, "keel-hosted: task '%s': exec %s: %s\n", t->name, path, strerror(errno));
	_exit(127);
}

static void close_parked(const struct manifest *m)
{
	uint32_t i;
	int h;
	for (i = 0; i < m->ntasks; i++)
		for (h = 0; h < KEEL_MAX_HANDLES; h++) {
			if (ends[i][h]) {
				close(ends[i][h] - 1);
				ends[i][h] = 0;
			}
			if (mbox_fds[i][h]) { /* a channel's two ends share one memfd */
				int fd = mbox_fds[i][h] - 1;
				uint32_t j;
				int k;
				close(fd);
				for (j = 0; j < m->ntasks; j++)
					for (k = 0; k < KEEL_MAX_HANDLES; k++)
						if (mbox_fds[j][k] == fd + 1)
							mbox_fds[j][k] = 0;
			}
		}
}

int launch_start(const struct manifest *m, const struct launch_opts *o, struct launch_task *t)
{
	static char paths[MANIFEST_MAX_TASKS][PATH_MAX];
	struct sigaction sa;
	uint32_t i;
	for (i = 0; i < m->ntasks; i++) {
		snprintf(paths[i], PATH_MAX, "%s/%s", o->bin_dir, m->tasks[i].binary);
		if (access(paths[i], X_OK)) {
			fprintf(stderr, "keel-hosted: task '%s': binary %s: %s\n", m->tasks[i].name,
				paths[i], strerror(errno));
			return -1;
		}
	}
	for (i = 0; i < m->ntasks; i++) { /* data=: snapshots taken before anything starts */
		int fd;
		if (!m->tasks[i].data[0])
			continue;
		fd = data_file_snapshot(o->bin_dir, m->tasks[i].data, m->tasks[i].name);
		if (fd < 0 || (fd = park_fd(fd)) < 0)
			return -1;
		data_fds[i] = fd + 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop; /* no SA_RESTART: waitpid returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	export_env(o);
	if (make_channels(m))
		return -1;
	for (i = 0; i < m->ntasks; i++)
		snprintf(env_ends[i], sizeof(env_ends[i]), "%s=%llx", KEEL_HOSTED_ENDS_ENV,
			 (unsigned long long)mbox_ends[i]);
	if (o->poll_ns > 0) {
		snprintf(env_poll, sizeof(env_poll), "%s=%ld", KEEL_HOSTED_POLL_ENV, o->poll_ns);
		hosted_mbox_set_poll(o->poll_ns); /* the launcher's router calls spin too */
	}
	for (i = 0; i < m->ntasks; i++) {
		int fd = manifest_caps_grant(m->tasks[i].caps, MANIFEST_CAP_ATTEST) ? attest_signer_add() : -1;
		if (fd < -1 || (fd < 0 && manifest_caps_grant(m->tasks[i].caps, MANIFEST_CAP_ATTEST))) {
			fprintf(stderr, "keel-hosted: task '%s': no attestation signer channel\n",
				m->tasks[i].name);
			return -1;
		}
		attest_fds[i] = fd + 1;
	}
	fflush(NULL);
	for (i = 0; i < m->ntasks; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].pid = fork();
		if (t[i].pid < 0) {
			perror("keel-hosted: fork");
			while (i--)
				kill(t[i].pid, SIGKILL);
			return -1;
		}
		if (t[i].pid == 0)
			child(m, i, paths[i]);
		if (o->verbose)
			fprintf(stderr, "keel-hosted: started task '%s' (pid %d)\n", m->tasks[i].name,
				(int)t[i].pid);
	}
	close_parked(m); /* a task's death must reach its peers as EOF */
	for (i = 0; i < m->ntasks; i++)
		if (data_fds[i]) {
			close(data_fds[i] - 1);
			data_fds[i] = 0;
		}
	return attest_signer_start();
}

/* A waitpid status as an outcome (task/outcome.h): a signal is the hosted fault. */
static enum task_outcome outcome_of(const struct launch_task *t, int *status)
{
	*status = WIFEXITED(t->status) ? WEXITSTATUS(t->status) : 0;
	if (t->stopped)
		return OUTCOME_STOPPED;
	return WIFEXITED(t->status) ? OUTCOME_EXITED : OUTCOME_FAULTED;
}

/* Prints the task's end; returns 1 if it is not what the manifest expects. */
static int judge(const struct manifest_task *mt, const struct launch_task *t)
{
	int status, bad;
	enum task_outcome how = outcome_of(t, &status);
	if (how == OUTCOME_STOPPED) {
		printf("task '%s' stopped\n", mt->name);
		fflush(stdout);
		return 0;
	}
	bad = !outcome_as_expected(mt->expect, how, status);
	if (how == OUTCOME_EXITED)
		printf("task '%s' exited %d", mt->name, status);
	else
		printf("task '%s' killed by signal %d", mt->name, WTERMSIG(t->status));
	printf(bad ? " (unexpected: expect=%s)\n" : "\n", outcome_expect_name(mt->expect));
	fflush(stdout);
	return bad;
}

/* The shared rule: over once every task whose expect is not `any` has ended. */
static int run_over(const struct manifest *m, const struct launch_task *t)
{
	struct outcome_tally tally = {0, 0, 0};
	uint32_t i;
	for (i = 0; i < m->ntasks; i++)
		outcome_count(&tally, m->tasks[i].expect, !t[i].ended);
	return outcome_run_over(&tally);
}

static int index_of(const struct manifest *m, const struct launch_task *t, pid_t pid)
{
	uint32_t i;
	for (i = 0; i < m->ntasks; i++)
		if (t[i].pid == pid && !t[i].ended)
			return (int)i;
	return -1;
}

/*
 * On SIGTERM/SIGINT, or when the run is over with services (expect=any)
 * still running: SIGTERM to every live task, SIGKILL after 2 s.
 */
static void stop_all(const struct manifest *m, struct launch_task *t)
{
	struct timespec tick = {0, 20 * 1000 * 1000};
	uint32_t i;
	int waited;
	if (stop_signal)
		fprintf(stderr, "keel-hosted: signal %d, stopping tasks\n", (int)stop_signal);
	else
		fprintf(stderr, "keel-hosted: every task that must end has ended, stopping the rest\n");
	for (i = 0; i < m->ntasks; i++)
		if (!t[i].ended) {
			t[i].stopped = 1;
			kill(t[i].pid, SIGTERM);
		}
	for (waited = 0;; waited++) {
		int st, k;
		pid_t pid = waitpid(-1, &st, WNOHANG);
		if (pid < 0)
			return; /* ECHILD: all reaped */
		if (pid > 0 && (k = index_of(m, t, pid)) >= 0) {
			t[k].ended = 1;
			t[k].status = st;
			mark_ended((uint32_t)k);
			continue;
		}
		if (waited == 100)
			for (i = 0; i < m->ntasks; i++)
				if (!t[i].ended)
					kill(t[i].pid, SIGKILL);
		nanosleep(&tick, NULL);
	}
}

int launch_wait(const struct manifest *m, struct launch_task *t)
{
	uint32_t i, left = m->ntasks;
	int bad = 0;
	while (left && !stop_signal && !run_over(m, t)) {
		int st, k;
		pid_t pid = waitpid(-1, &st, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		k = index_of(m, t, pid);
		if (k < 0)
			continue;
		t[k].ended = 1;
		t[k].status = st;
		mark_ended((uint32_t)k);
		left--;
		bad += judge(&m->tasks[k], &t[k]);
	}
	if (left) {
		uint32_t before[MANIFEST_MAX_TASKS] = { 0 };
		for (i = 0; i < m->ntasks; i++)
			before[i] = (uint32_t)t[i].ended;
		stop_all(m, t);
		for (i = 0; i < m->ntasks; i++)
			if (!before[i])
				bad += judge(&m->tasks[i], &t[i]);
	}
	return bad;
}
