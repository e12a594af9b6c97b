/*
 * keel-svsm-call: one raw SVSM call to keel-hosted's guest port
 * (tools/keel-hosted/svsm_port.h, docs/hosted.md "Guest port"), printed as
 * the two transcript lines the test guest prints booted (tests/guest/
 * protoecho.c, tests/system/proto-echo.expected):
 *
 *   svsm-call proto=0x.. call=N rcx=0x.. rdx=0x.. r8=0x.. in=<hex>
 *   svsm-ret rax=0x.. rcx=0x.. rdx=0x.. r8=0x.. buf=<hex>
 *
 * Numbers in lowercase hex without leading zeros (call in decimal); `in`
 * and `buf` are the call's buffer before and after the call: with
 * --buf GPA:LEN those LEN bytes of the window (`-` when they are not all
 * inside it, empty for LEN 0, as the guest prints for memory it does not
 * have and for a call without a buffer), else the whole window; with
 * --digest, `fnv64:` and the 16-hex-digit FNV-1a 64 of those bytes
 * instead of the bytes (large buffers: the guest console cuts long lines,
 * and the test guest prints the same digest). Exit
 * status 0 when the port answered (whatever the SVSM result), 1 when it
 * refused the frame or the connection failed, 2 on usage errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <keel/hex.h>

#define SVSM_PORT_WIRE_ONLY
#include "svsm_port.h"
#include "fd_io.h"

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: keel-svsm-call (--state DIR | --socket PATH) PROTOCOL CALL [--rcx X] [--rdx "
	    "X]\n"
	    "                      [--r8 X] [--r9 X] [--window GPA:HEXBYTES | --window-file "
	    "GPA:FILE]\n"
	    "                      [--window-size N] [--buf GPA:LEN] [--digest]\n"
	    "Numbers in C syntax (0x.. hex). --window-size pads the window with zeros to N bytes.\n"
	    "Prints: svsm-call proto=0x.. call=N rcx=0x.. rdx=0x.. r8=0x.. in=<hex>\n"
	    "        svsm-ret rax=0x.. rcx=0x.. rdx=0x.. r8=0x.. buf=<hex>\n"
	    "in/buf: the --buf range of the window before/after the call ('-' if not inside\n"
	    "the window), or the whole window; --digest: fnv64:<FNV-1a 64 of them> instead.\n");
}

static int num(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return !*s || *end || errno || *s == '-' ? -1 : 0;
}

static uint8_t window[SVSM_PORT_WINDOW_MAX];

/* GPA:HEX or GPA:FILE into window; the window length in *len. */
static int parse_window(const char *arg, int file, uint64_t *gpa, uint32_t *len)
{
	const char *colon = strchr(arg, ':');
	char g[32];
	size_t n;
	if (!colon || (size_t)(colon - arg) >= sizeof(g))
		return fprintf(stderr, "keel-svsm-call: window '%s': expected GPA:%s\n", arg,
		               file ? "FILE" : "HEXBYTES"),
		       -1;
	memcpy(g, arg, (size_t)(colon - arg));
	g[colon - arg] = 0;
	if (num(g, gpa))
		return fprintf(stderr, "keel-svsm-call: bad GPA '%s'\n", g), -1;
	if (file) {
		FILE *f = fopen(colon + 1, "rb");
		if (!f)
			return fprintf(stderr, "keel-svsm-call: %s: %s\n", colon + 1,
			               strerror(errno)),
			       -1;
		n = fread(window, 1, sizeof(window), f);
		if (fgetc(f) != EOF) {
			fclose(f);
			return fprintf(stderr, "keel-svsm-call: %s: larger than %u bytes\n",
			               colon + 1, SVSM_PORT_WINDOW_MAX),
			       -1;
		}
		fclose(f);
	} else {
		const char *h = colon + 1;
		size_t hl = strlen(h), i;
		if (hl % 2 || hl / 2 > sizeof(window))
			return fprintf(
			           stderr,
			           "keel-svsm-call: window bytes: an even number of hex digits, "
			           "at most %u bytes\n",
			           SVSM_PORT_WINDOW_MAX),
			       -1;
		for (i = 0; i < hl / 2; i++) {
			int a = keel_hexval(h[2 * i]), b = keel_hexval(h[2 * i + 1]);
			if (a < 0 || b < 0)
				return fprintf(stderr,
				               "keel-svsm-call: window bytes: bad hex digit\n"),
				       -1;
			window[i] = (uint8_t)(a << 4 | b);
		}
		n = hl / 2;
	}
	*len = (uint32_t)n;
	return 0;
}

static int digest; /* --digest: print FNV-1a 64 of the buffer, not its bytes */

/* The transcript's view of the buffer: `len` bytes at `gpa` of the window, or the whole window. */
static void print_buf(uint64_t wgpa, uint32_t wlen, int have_buf, uint64_t gpa, uint64_t len)
{
	uint64_t k, off, h = 0xcbf29ce484222325ull;
	if (!have_buf) {
		gpa = wgpa;
		len = wlen;
	}
	if (len && (gpa < wgpa || gpa - wgpa > wlen || len > wlen - (gpa - wgpa))) {
		printf("-");
		return;
	}
	off = gpa - wgpa;
	if (digest && len) {
		for (k = 0; k < len; k++)
			h = (h ^ window[off + k]) * 0x100000001b3ull;
		printf("fnv64:%016llx", (unsigned long long)h);
		return;
	}
	for (k = 0; k < len; k++)
		printf("%02x", window[off + k]);
}

int main(int argc, char **argv)
{
	struct svsm_port_req q;
	struct svsm_port_rsp r;
	struct sockaddr_un a;
	const char *state = NULL, *sock = NULL;
	static char path[PATH_MAX];
	uint64_t proto = 0, call = 0, pad = 0, buf_gpa = 0, buf_len = 0;
	int have_buf = 0;
	int pos = 0, i, fd;
	memset(&q, 0, sizeof(q));
	q.magic = SVSM_PORT_MAGIC_REQ;
	q.version = SVSM_PORT_VERSION;
	for (i = 1; i < argc; i++) {
		const char *o = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t *reg = !strcmp(o, "--rcx")           ? &q.rcx
		                : !strcmp(o, "--rdx")         ? &q.rdx
		                : !strcmp(o, "--r8")          ? &q.r8
		                : !strcmp(o, "--r9")          ? &q.r9
		                : !strcmp(o, "--window-size") ? &pad
		                                              : NULL;
		if (!strcmp(o, "--help") || !strcmp(o, "-h"))
			return usage(stdout), 0;
		if (!strcmp(o, "--digest")) {
			digest = 1;
			continue;
		}
		if (o[0] == '-' && o[1] == '-') {
			if (!val)
				return fprintf(stderr, "keel-svsm-call: missing value for %s\n", o),
				       usage(stderr), 2;
			i++;
			if (reg) {
				if (num(val, reg))
					return fprintf(stderr,
					               "keel-svsm-call: bad number '%s' for %s\n",
					               val, o),
					       2;
			} else if (!strcmp(o, "--state")) {
				state = val;
			} else if (!strcmp(o, "--socket")) {
				sock = val;
			} else if (!strcmp(o, "--buf")) {
				const char *colon = strchr(val, ':');
				char g[32];
				if (!colon || (size_t)(colon - val) >= sizeof(g))
					return fprintf(stderr,
					               "keel-svsm-call: --buf takes GPA:LEN\n"),
					       2;
				memcpy(g, val, (size_t)(colon - val));
				g[colon - val] = 0;
				if (num(g, &buf_gpa) || num(colon + 1, &buf_len))
					return fprintf(stderr,
					               "keel-svsm-call: --buf takes GPA:LEN\n"),
					       2;
				have_buf = 1;
			} else if (!strcmp(o, "--window") || !strcmp(o, "--window-file")) {
				if (parse_window(val, !strcmp(o, "--window-file"), &q.window_gpa,
				                 &q.window_len))
					return 2;
			} else {
				return fprintf(stderr, "keel-svsm-call: unknown option '%s'\n", o),
				       usage(stderr), 2;
			}
			continue;
		}
		if (pos == 2 || num(o, pos ? &call : &proto) || (pos ? call : proto) > 0xffffffffu)
			return fprintf(stderr,
			               "keel-svsm-call: bad argument '%s' (PROTOCOL and CALL are "
			               "32-bit numbers)\n",
			               o),
			       usage(stderr), 2;
		pos++;
	}
	if (pos != 2 || (!state && !sock))
		return usage(stderr), 2;
	if (pad > SVSM_PORT_WINDOW_MAX)
		return fprintf(stderr, "keel-svsm-call: --window-size at most %u\n",
		               SVSM_PORT_WINDOW_MAX),
		       2;
	if (pad > q.window_len)
		q.window_len = (uint32_t)pad;
	q.rax = proto << 32 | call;
	if (!sock) {
		snprintf(path, sizeof(path), "%s/%s", state, SVSM_PORT_SOCKET);
		sock = path;
	}
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	if (strlen(sock) >= sizeof(a.sun_path))
		return fprintf(stderr, "keel-svsm-call: socket path too long: %s\n", sock), 2;
	strcpy(a.sun_path, sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
		return fprintf(stderr, "keel-svsm-call: %s: %s\n", sock, strerror(errno)), 1;
	/* the call line is printed before the call, as the guest prints it */
	printf("svsm-call proto=0x%llx call=%llu rcx=0x%llx rdx=0x%llx r8=0x%llx in=",
	       (unsigned long long)proto, (unsigned long long)call, (unsigned long long)q.rcx,
	       (unsigned long long)q.rdx, (unsigned long long)q.r8);
	print_buf(q.window_gpa, q.window_len, have_buf, buf_gpa, buf_len);
	printf("\n");
	fflush(stdout);
	if (fd_write_all(fd, &q, sizeof(q)) || fd_write_all(fd, window, q.window_len))
		return fprintf(stderr, "keel-svsm-call: send: %s\n", strerror(errno)), 1;
	if (fd_read_all(fd, &r, sizeof(r)) || r.magic != SVSM_PORT_MAGIC_RSP)
		return fprintf(stderr, "keel-svsm-call: no answer from %s\n", sock), 1;
	if (r.status != SVSM_PORT_OK)
		return fprintf(stderr,
		               "keel-svsm-call: the port refused the call: %s (status %u)\n",
		               svsm_port_status_name(r.status), (unsigned)r.status),
		       1;
	if (r.window_len != q.window_len || fd_read_all(fd, window, r.window_len))
		return fprintf(stderr, "keel-svsm-call: short answer from %s\n", sock), 1;
	close(fd);
	printf(
	    "svsm-ret rax=0x%llx rcx=0x%llx rdx=0x%llx r8=0x%llx buf=", (unsigned long long)r.rax,
	    (unsigned long long)r.rcx, (unsigned long long)r.rdx, (unsigned long long)r.r8);
	print_buf(q.window_gpa, q.window_len, have_buf, buf_gpa, buf_len);
	printf("\n");
	return 0;
}
