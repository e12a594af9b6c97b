/*
 * Hosted state backend: blob NAME is the file $KEEL_STATE_DIR/vtpm-NAME.state
 * = header (magic, version, length, SHA-256 of the contents) + contents.
 * Stores write a temporary file, fsync it, rename it over the old one and
 * fsync the directory, so a crash leaves either the old or the new state.
 * A file that is truncated or fails its checksum is reported and left as
 * it is: the TPM then refuses to start instead of re-manufacturing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "state.h"
#include "state_file.h"

static char dir_buf[4096];

const char *vtpm_state_dir(void)
{
	const char *d = getenv("KEEL_STATE_DIR");
	if (d == NULL || d[0] == '\0')
		d = "./keel-state";
	if (strlen(d) >= sizeof(dir_buf) - 64) {
		fprintf(stderr, "vtpm: state directory path too long\n");
		return NULL;
	}
	if (mkdir(d, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "vtpm: cannot create state directory %s: %s\n", d, strerror(errno));
		return NULL;
	}
	strcpy(dir_buf, d);
	return dir_buf;
}

int vtpm_state_path(char *out, size_t cap, const char *file)
{
	const char *d = vtpm_state_dir();
	if (d == NULL)
		return -1;
	int n = snprintf(out, cap, "%s/%s", d, file);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int fsync_dir(void)
{
	int fd = open(dir_buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	close(fd);
	return r;
}

int vtpm_state_write_file(const char *file, const void *data, size_t len, int mode)
{
	char path[4200], tmp[4210];
	if (vtpm_state_path(path, sizeof(path), file) != 0)
		return VTPM_STATE_IOERR;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		fprintf(stderr, "vtpm: cannot write %s: %s\n", tmp, strerror(errno));
		return VTPM_STATE_IOERR;
	}
	int bad = write_all(fd, data, len) != 0 || fsync(fd) != 0;
	bad |= close(fd) != 0;
	if (bad || rename(tmp, path) != 0 || fsync_dir() != 0) {
		fprintf(stderr, "vtpm: storing %s failed: %s\n", path, strerror(errno));
		unlink(tmp);
		return VTPM_STATE_IOERR;
	}
	return VTPM_STATE_OK;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int blob_file(char *out, size_t cap, const char *name)
{
	if (!vtpm_state_name_ok(name))
		return -1;
	snprintf(out, cap, "vtpm-%s.state", name);
	return 0;
}

int vtpm_state_store(const char *name, const uint8_t *data, size_t len)
{
	char file[64];
	if (blob_file(file, sizeof(file), name) != 0 || len > VTPM_STATE_MAX - VTPM_STATE_HEADER)
		return VTPM_STATE_IOERR;
	uint8_t *img = malloc(VTPM_STATE_HEADER + len);
	if (img == NULL)
		return VTPM_STATE_IOERR;
	memcpy(img, VTPM_STATE_MAGIC, 8);
	put_le(img + 8, VTPM_STATE_VERSION, 4);
	put_le(img + 12, 0, 4);
	put_le(img + 16, len, 8);
	SHA256(data, len, img + 24);
	memcpy(img + VTPM_STATE_HEADER, data, len);
	int r = vtpm_state_write_file(file, img, VTPM_STATE_HEADER + len, 0600);
	explicit_bzero(img, VTPM_STATE_HEADER + len);
	free(img);
	return r;
}

/* Reads the whole file (at most VTPM_STATE_MAX bytes) into *img. */
static int read_file(const char *path, uint8_t **img, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? VTPM_STATE_ABSENT : VTPM_STATE_IOERR;
	if (fstat(fd, &st) != 0 || st.st_size > (off_t)VTPM_STATE_MAX) {
		close(fd);
		fprintf(stderr, "vtpm: state file %s: unreadable or larger than %u bytes\n", path,
			VTPM_STATE_MAX);
		return VTPM_STATE_CORRUPT;
	}
	size_t n = (size_t)st.st_size, got = 0;
	*img = malloc(n ? n : 1);
	while (*img != NULL && got < n) {
		ssize_t r = read(fd, *img + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (*img == NULL || got != n) {
		free(*img);
		*img = NULL;
		return VTPM_STATE_IOERR;
	}
	*len = n;
	return VTPM_STATE_OK;
}

/* NULL if img[0..n) is a valid state image, else what is wrong with it. */
static const char *check_image(const uint8_t *img, size_t n)
{
	uint8_t digest[SHA256_DIGEST_LENGTH];
	if (n < VTPM_STATE_HEADER)
		return "truncated header";
	if (memcmp(img, VTPM_STATE_MAGIC, 8) != 0)
		return "not a Keel vTPM state file (bad magic)";
	if (get_le(img + 8, 4) != VTPM_STATE_VERSION || get_le(img + 12, 4) != 0)
		return "unsupported format version";
	if (get_le(img + 16, 8) != n - VTPM_STATE_HEADER)
		return "length does not match the file (truncated or extended)";
	SHA256(img + VTPM_STATE_HEADER, n - VTPM_STATE_HEADER, digest);
	if (memcmp(digest, img + 24, sizeof(digest)) != 0)
		return "checksum mismatch (corrupted)";
	return NULL;
}

int vtpm_state_load(const char *name, uint8_t **data, size_t *len)
{
	char file[64], path[4200];
	uint8_t *img = NULL;
	size_t n = 0;
	if (blob_file(file, sizeof(file), name) != 0 ||
	    vtpm_state_path(path, sizeof(path), file) != 0)
		return VTPM_STATE_IOERR;
	int r = read_file(path, &img, &n);
	if (r != VTPM_STATE_OK)
		return r;
	const char *why = check_image(img, n);
	if (why != NULL) {
		fprintf(stderr, "vtpm: state file %s rejected: %s; it is left untouched\n", path, why);
		explicit_bzero(img, n);
		free(img);
		return VTPM_STATE_CORRUPT;
	}
	*len = n - VTPM_STATE_HEADER;
	memmove(img, img + VTPM_STATE_HEADER, *len);
	explicit_bzero(img + *len, VTPM_STATE_HEADER); /* no second copy of the tail */
	*data = img;
	return VTPM_STATE_OK;
}

int vtpm_state_remove(const char *name)
{
	char file[64], path[4200];
	if (blob_file(file, sizeof(file), name) != 0 ||
	    vtpm_state_path(path, sizeof(path), file) != 0)
		return VTPM_STATE_IOERR;
	if (unlink(path) != 0 && errno != ENOENT)
		return VTPM_STATE_IOERR;
	return VTPM_STATE_OK;
}
