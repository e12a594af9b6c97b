/*
 * keel-hosted: runs the boot manifest's tasks as Linux processes
 * (docs/hosted.md). Same manifest parser as the kernel; one SOCK_SEQPACKET
 * socketpair per channel; each task's ends at fd KEEL_HOSTED_FD_BASE + slot.
 * Exit status 0 when every task ended as its `expect=` says, 1 otherwise,
 * 2 on a usage, manifest or start-up error.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "launch.h"

#define MANIFEST_FILE_MAX (256 * 1024)

static void usage(FILE *f)
{
	fprintf(f, "usage: keel-hosted [--manifest FILE] [--bin-dir DIR] [--state DIR]\n"
		   "                   [--tpm-port N] [--platform-port M] [--tpm-protocol mssim|swtpm]\n"
		   "                   [--verbose]\n"
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

static int parse_args(int argc, char **argv, struct launch_opts *o)
{
	int i;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		const char **dst = !strcmp(a, "--manifest")        ? &o->manifest_path
				   : !strcmp(a, "--bin-dir")       ? &o->bin_dir
				   : !strcmp(a, "--state")         ? &o->state_dir
				   : !strcmp(a, "--tpm-port")      ? &o->tpm_port
				   : !strcmp(a, "--platform-port") ? &o->platform_port
				   : !strcmp(a, "--tpm-protocol")  ? &o->tpm_protocol
								   : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		}
		if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			o->verbose = 1;
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

int main(int argc, char **argv)
{
	static struct manifest m;
	static struct launch_task tasks[MANIFEST_MAX_TASKS];
	static char dir[PATH_MAX], bin_dir[PATH_MAX + 16], def_manifest[PATH_MAX + 32];
	struct launch_opts o = {NULL, NULL, "", "2321", "2322", "mssim", 0};
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
	if (launch_start(&m, &o, tasks))
		return 2;
	bad = launch_wait(&m, tasks);
	printf("keel-hosted: %u tasks, %u as expected, %d unexpected\n", m.ntasks,
	       m.ntasks - (unsigned)bad, bad);
	return bad ? 1 : 0;
}
