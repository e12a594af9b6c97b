/*
 * keel-hosted: runs the boot manifest's tasks as Linux processes
 * (docs/hosted.md). Same manifest parser as the kernel; one SOCK_SEQPACKET
 * socketpair per channel; each task's ends at fd KEEL_HOSTED_FD_BASE + slot.
 * Exit status 0 when every task ended as its `expect=` says, 1 otherwise,
 * 2 on a usage, manifest or start-up error.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <keel/svsm.h>

#include "hosted.h"
#include "attest_signer.h"
#include "launch.h"
#include "svsm_port.h"
#include "tpm_frontend.h"
#include "vtpm_router.h"

#define MANIFEST_FILE_MAX (256 * 1024)
/* --poll: a protocol task spins this long on its mailbox before sleeping. */
#define POLL_NS_DEFAULT 2000000L

static void usage(FILE *f)
{
	fprintf(f, "usage: keel-hosted [--manifest FILE] [--bin-dir DIR] [--state DIR]\n"
		   "                   [--tpm-port N] [--platform-port M] [--tpm-protocol mssim|swtpm]\n"
		   "                   [--poll] [--ctrl-path SOCK] [--tpm-idle-timeout SECONDS]\n"
		   "                   [--tpm-svsm-protocol N] [--launch-digest HEX96] [--verbose]\n"
		   "--launch-digest: the measurement in cap=attest tasks' emulated reports (e.g.\n"
		   "igvm-measure build/keel.igvm); zeros without it (docs/attestation-report.md).\n"
		   "--state DIR: also the guest port DIR/svsm.sock (raw SVSM calls, any protocol;\n"
		   "keel-svsm-call). --tpm-svsm-protocol: the protocol the TPM front ends call (2).\n"
		   "--ctrl-path (swtpm protocol): control channel on a Unix socket, data channel\n"
		   "handed over with CMD_SET_DATAFD (QEMU -tpmdev emulator); no TCP ports.\n"
		   "Defaults: apps/boot.manifest; tasks from build/hosted beside this program.\n");
}

/* Directory of this executable, e.g. /repo/build/bin. */
static int self_dir(char *out, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", out, cap - 1);
	char *slash;
	if (n <= 0)
		return -1;
	out[n] = '\0';
	slash = strrchr(out, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return 0;
}

static int port_ok(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end && v > 0 && v < 65536;
}

/* TPM front-end options kept out of launch_opts (the tasks do not see them). */
static const char *ctrl_path;
static const char *idle_timeout = "120";
static const char *tpm_svsm_protocol = "2";
static const char *launch_digest; /* --launch-digest: the emulated reports' measurement */

/* 96 hex digits -> attest_signer_set_digest. 0 or -1. */
static int set_launch_digest(const char *hex)
{
	uint8_t d[48];
	if (strlen(hex) != 96)
		return -1;
	for (int i = 0; i < 48; i++) {
		unsigned v;
		if (!isxdigit((unsigned char)hex[2 * i]) || !isxdigit((unsigned char)hex[2 * i + 1]) ||
		    sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		d[i] = (uint8_t)v;
	}
	attest_signer_set_digest(d);
	return 0;
}

static int parse_args(int argc, char **argv, struct launch_opts *o)
{
	int i;
	char *end;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		const char **dst = !strcmp(a, "--manifest")        ? &o->manifest_path
				   : !strcmp(a, "--bin-dir")       ? &o->bin_dir
				   : !strcmp(a, "--state")         ? &o->state_dir
				   : !strcmp(a, "--tpm-port")      ? &o->tpm_port
				   : !strcmp(a, "--platform-port") ? &o->platform_port
				   : !strcmp(a, "--tpm-protocol")  ? &o->tpm_protocol
				   : !strcmp(a, "--ctrl-path")     ? &ctrl_path
				   : !strcmp(a, "--tpm-idle-timeout") ? &idle_timeout
				   : !strcmp(a, "--tpm-svsm-protocol") ? &tpm_svsm_protocol
				   : !strcmp(a, "--launch-digest") ? &launch_digest
								   : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		}
		if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			o->verbose = 1;
			continue;
		}
		if (!strcmp(a, "--poll")) { /* docs/hosted.md, "Channel transport" */
			const char *ns = getenv(KEEL_HOSTED_POLL_ENV);
			o->poll_ns = ns && atol(ns) > 0 ? atol(ns) : POLL_NS_DEFAULT;
			continue;
		}
		if (!dst || !v) {
			fprintf(stderr, "keel-hosted: %s '%s'\n", dst ? "missing value for" : "unknown option", a);
			return -1;
		}
		*dst = v;
		i++;
	}
	if (!port_ok(o->tpm_port) || !port_ok(o->platform_port)) {
		fprintf(stderr, "keel-hosted: bad port '%s'/'%s' (1-65535)\n", o->tpm_port, o->platform_port);
		return -1;
	}
	if (strcmp(o->tpm_protocol, "mssim") && strcmp(o->tpm_protocol, "swtpm")) {
		fprintf(stderr, "keel-hosted: --tpm-protocol must be mssim or swtpm, not '%s'\n",
			o->tpm_protocol);
		return -1;
	}
	if (ctrl_path && strcmp(o->tpm_protocol, "swtpm")) {
		fprintf(stderr, "keel-hosted: --ctrl-path needs --tpm-protocol swtpm\n");
		return -1;
	}
	if (!*tpm_svsm_protocol || strtoul(tpm_svsm_protocol, &end, 10) > 0x7fffffff || *end ||
	    !strcmp(tpm_svsm_protocol, "0")) {
		fprintf(stderr, "keel-hosted: --tpm-svsm-protocol takes a protocol number 1-2147483647, "
			"not '%s'\n", tpm_svsm_protocol);
		return -1;
	}
	vtpm_router_set_protocol((uint32_t)strtoul(tpm_svsm_protocol, NULL, 10));
	if (launch_digest && set_launch_digest(launch_digest)) {
		fprintf(stderr, "keel-hosted: --launch-digest wants 96 hex digits, not '%s'\n", launch_digest);
		return -1;
	}
	if (!*idle_timeout || strtoul(idle_timeout, &end, 10) > 86400 || *end) {
		fprintf(stderr, "keel-hosted: --tpm-idle-timeout takes 0-86400 seconds, not '%s'\n",
			idle_timeout);
		return -1;
	}
	return 0;
}

/* Reads the whole manifest file (bounded); the parser checks everything else. */
static char *read_file(const char *path, size_t *len)
{
	char *buf = malloc(MANIFEST_FILE_MAX + 1);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t r = 0;
	if (fd < 0 || !buf) {
		fprintf(stderr, "keel-hosted: %s: %s\n", path, strerror(fd < 0 ? errno : ENOMEM));
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while (n <= MANIFEST_FILE_MAX && (r = read(fd, buf + n, MANIFEST_FILE_MAX + 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	if (r < 0 || n > MANIFEST_FILE_MAX) {
		fprintf(stderr, "keel-hosted: %s: %s\n", path,
			r < 0 ? strerror(errno) : "larger than 256 KiB");
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static int serves_vtpm(const struct manifest *m)
{
	uint32_t i;
	for (i = 0; i < m->ntasks; i++)
		if (m->tasks[i].protocol == (int32_t)vtpm_router_protocol())
			return 1;
	return 0;
}

/*
 * Binds the guest port ($STATE/svsm.sock, with --state) and the TPM ports
 * before any task starts, so a busy port is a start-up error.
 */
static char port_path[PATH_MAX];
static int tpm_open(const struct manifest *m, const struct launch_opts *o, struct tpm_frontend *fe)
{
	uint32_t idle = (uint32_t)strtoul(idle_timeout, NULL, 10);
	fe->listen_fd[0] = fe->listen_fd[1] = fe->listen_fd[2] = -1;
	fe->stop_pipe[0] = fe->stop_pipe[1] = fe->router_fd = -1;
	if (*o->state_dir) {
		/* as the vtpm makes it: the port's socket lives there (0700: the port has no auth) */
		if (mkdir(o->state_dir, 0700) && errno != EEXIST) {
			fprintf(stderr, "keel-hosted: cannot create the state directory %s: %s\n",
				o->state_dir, strerror(errno));
			return -1;
		}
		if ((size_t)snprintf(port_path, sizeof(port_path), "%s/%s", o->state_dir, SVSM_PORT_SOCKET) >=
		    sizeof(port_path)) {
			fprintf(stderr, "keel-hosted: --state path too long for the guest port\n");
			return -1;
		}
		if (tpm_frontend_open_port(fe, port_path, idle))
			return -1;
	}
	if (!serves_vtpm(m))
		return 0;
	return tpm_frontend_open(fe, o->tpm_protocol, o->tpm_port, o->platform_port, ctrl_path, idle);
}

/* Starts the front-end thread: the guest port and, with a vTPM task, the TPM front ends. */
static int tpm_start(const struct manifest *m, const struct launch_opts *o, struct tpm_frontend *fe)
{
	const char *task = NULL;
	uint32_t i;
	int fd = svsm_port_router_fd(vtpm_router_protocol());
	for (i = 0; i < m->ntasks; i++)
		if (m->tasks[i].protocol == (int32_t)vtpm_router_protocol())
			task = m->tasks[i].name;
	if (fe->listen_fd[2] < 0 && fd < 0)
		return 0;
	if (tpm_frontend_start(fe, fd))
		return -1;
	if (fe->listen_fd[2] >= 0)
		printf("keel-hosted: guest port (SVSM calls, any protocol) on unix socket %s\n", port_path);
	if (fd < 0) {
		fflush(stdout);
		return 0;
	}
	if (ctrl_path)
		printf("keel-hosted: TPM swtpm protocol for task '%s' on unix socket %s (control; data by "
		       "CMD_SET_DATAFD)\n", task, ctrl_path);
	else
		printf("keel-hosted: TPM %s protocol for task '%s' on 127.0.0.1:%s (%s) and 127.0.0.1:%s (%s)\n",
		       o->tpm_protocol, task, o->tpm_port, fe->swtpm ? "data" : "command",
		       o->platform_port, fe->swtpm ? "control" : "platform");
	fflush(stdout);
	return 0;
}

/*
 * A guest (kind=guest) is the booted platform's emulated lower VMPL; hosted,
 * the front ends play the guest, so it is not started. A guest has no
 * channels (manifest rule), so dropping it only renumbers later tasks.
 */
static void drop_guests(struct manifest *m)
{
	uint32_t i = 0, c;
	while (i < m->ntasks) {
		if (m->tasks[i].kind != MANIFEST_KIND_GUEST) {
			i++;
			continue;
		}
		printf("keel-hosted: task '%s' is a guest (kind=guest): not started hosted; its SVSM "
		       "calls come from clients of the guest port (--state DIR: DIR/svsm.sock, "
		       "keel-svsm-call)\n", m->tasks[i].name);
		memmove(&m->tasks[i], &m->tasks[i + 1], (m->ntasks - i - 1) * sizeof(m->tasks[0]));
		m->ntasks--;
		for (c = 0; c < m->nchannels; c++) {
			if (m->channels[c].a.task > i)
				m->channels[c].a.task--;
			if (m->channels[c].b.task > i)
				m->channels[c].b.task--;
		}
	}
}

int main(int argc, char **argv)
{
	static struct manifest m;
	static struct launch_task tasks[MANIFEST_MAX_TASKS];
	static struct tpm_frontend tpm;
	static char dir[PATH_MAX], bin_dir[PATH_MAX + 16], def_manifest[PATH_MAX + 32];
	struct launch_opts o = {NULL, NULL, "", "2321", "2322", "mssim", 0, 0};
	char err[256];
	size_t len;
	char *text;
	int bad;
	if (parse_args(argc, argv, &o))
		return usage(stderr), 2;
	if (self_dir(dir, sizeof(dir)) == 0) {
		snprintf(bin_dir, sizeof(bin_dir), "%s/../hosted", dir);
		snprintf(def_manifest, sizeof(def_manifest), "%s/../../apps/boot.manifest", dir);
	}
	if (!o.bin_dir)
		o.bin_dir = bin_dir;
	if (!o.manifest_path)
		o.manifest_path = access("apps/boot.manifest", R_OK) == 0 ? "apps/boot.manifest"
									   : def_manifest;
	text = read_file(o.manifest_path, &len);
	if (!text)
		return 2;
	if (manifest_parse(&m, text, len, err, sizeof(err))) {
		fprintf(stderr, "keel-hosted: %s: %s\n", o.manifest_path, err);
		free(text);
		return 2;
	}
	free(text);
	drop_guests(&m);
	if (tpm_open(&m, &o, &tpm))
		return 2;
	if (launch_start(&m, &o, tasks) || svsm_port_init(&m) || tpm_start(&m, &o, &tpm)) {
		tpm_frontend_stop(&tpm);
		return 2;
	}
	bad = launch_wait(&m, tasks);
	tpm_frontend_stop(&tpm);
	launch_routers_closed();
	svsm_port_close();
	printf("keel-hosted: %u tasks, %u as expected, %d unexpected\n", m.ntasks,
	       m.ntasks - (unsigned)bad, bad);
	return bad ? 1 : 0;
}
