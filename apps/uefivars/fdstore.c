/*
 * Raw edk2 variable store files (fdstore.h). Layout, from edk2
 * MdePkg/Include/Pi/PiFirmwareVolume.h, MdeModulePkg/Include/Guid/
 * VariableFormat.h and SecurityPkg/Library/AuthVariableLib/AuthService.c:
 *
 *   EFI_FIRMWARE_VOLUME_HEADER   "_FVH" at 40, FvLength at 32, HeaderLength at 48
 *   VARIABLE_STORE_HEADER        at HeaderLength: GUID, Size, Format, State (28 bytes)
 *   variables                    each header 4-byte aligned, from the end of the
 *                                store header to the first header whose StartId is
 *                                not 0x55AA (erased flash reads 0xFFFF)
 *
 * A variable is name then data right after its header (edk2's ALIGNMENT is 1
 * on x86). Booted too: only memcpy/memcmp, no allocation; the two lookups
 * (a newer copy of a variable in deleted transition, a certdb entry) walk
 * the store again, which is fine for a store of a few hundred variables.
 */
#include <string.h>

#include "fdstore.h"

/* gEfiSystemNvDataFvGuid, gEfiAuthenticatedVariableGuid, gEfiVariableGuid, gEfiCertDbGuid. */
static const efi_guid fv_nvdata_guid =
    EFI_GUID_INIT(0xfff12b8d, 0x7696, 0x4c8b, 0xa9, 0x85, 0x27, 0x47, 0x07, 0x5b, 0x4f, 0x50);
static const efi_guid store_auth_guid =
    EFI_GUID_INIT(0xaaf32c78, 0x947b, 0x439a, 0xa1, 0x80, 0x2e, 0x14, 0x4e, 0xc3, 0x77, 0x92);
static const efi_guid store_plain_guid =
    EFI_GUID_INIT(0xddcf3616, 0x3275, 0x4164, 0x98, 0xb6, 0xfe, 0x85, 0x70, 0x7f, 0xfe, 0x7d);
static const efi_guid cert_db_guid =
    EFI_GUID_INIT(0xd9bee56e, 0x75dc, 0x49d9, 0xb4, 0xd7, 0xb5, 0x34, 0x21, 0x0f, 0x63, 0x7a);

#define FV_SIGNATURE 0x4856465fu /* "_FVH" */
#define FV_HEADER_MIN 56u        /* up to BlockMap */
#define STORE_HEADER_SIZE 28u
#define STORE_FORMATTED 0x5au
#define STORE_HEALTHY 0xfeu
#define VAR_START_ID 0x55aau
#define VAR_HEADER_PLAIN 32u
#define VAR_HEADER_AUTH 60u
#define VAR_IN_DELETED_TRANSITION 0xfeu
#define VAR_ADDED 0x3fu
#define CERT_DB_ENTRY                                                                              \
	28u             /* AUTH_CERT_DB_DATA: GUID, CertNodeSize, NameSize (chars), CertDataSize */
#define CERT_DIGEST 32u /* SHA-256 of the signer's CN and the top-level certificate's TBS */

/* The variable store after the firmware volume's checks: [base, base + size) of the file. */
struct store {
	const uint8_t *base;
	size_t size;
	size_t file_off; /* of base in the file: messages give file offsets */
	bool auth;
};

/* One variable header as edk2 reads it (sizes of an unfinished header count as 0). */
struct rawvar {
	size_t off;  /* of the header, from store.base */
	size_t next; /* the next header's offset */
	uint8_t state;
	uint32_t attrs;
	struct efi_time time;
	efi_guid guid;
	const uint8_t *name; /* NameSize bytes */
	size_t name_size;
	const uint8_t *data;
	size_t size;
};

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

/* snprintf is not in the booted libc subset this file may rely on: a tiny formatter. */
struct msg {
	char *buf;
	size_t len, pos;
};

static void msg_str(struct msg *m, const char *s)
{
	while (*s && m->pos + 1 < m->len)
		m->buf[m->pos++] = *s++;
	if (m->len)
		m->buf[m->pos < m->len ? m->pos : m->len - 1] = 0;
}

static void msg_num(struct msg *m, uint64_t v, int hex)
{
	char tmp[24];
	int i = (int)sizeof(tmp) - 1;
	tmp[i] = 0;
	do {
		tmp[--i] = "0123456789abcdef"[v % (hex ? 16u : 10u)];
		v /= hex ? 16u : 10u;
	} while (v && i > 2);
	if (hex) {
		tmp[--i] = 'x';
		tmp[--i] = '0';
	}
	msg_str(m, tmp + i);
}

/* "variable N at 0xOFF: what" (n < 0: no variable context). */
static int fail(char *err, size_t errlen, long n, size_t off, const char *what)
{
	struct msg m = {err, errlen, 0};
	if (!errlen)
		return -1;
	err[0] = 0;
	if (n >= 0) {
		msg_str(&m, "variable ");
		msg_num(&m, (uint64_t)n, 0);
		msg_str(&m, " at ");
		msg_num(&m, off, 1);
		msg_str(&m, ": ");
	}
	msg_str(&m, what);
	return -1;
}

/* The firmware volume and variable store headers; fills *st. */
static int parse_headers(const uint8_t *img, size_t len, struct store *st, char *err, size_t errlen)
{
	uint64_t fv_len;
	uint16_t hdr_len, sum = 0;
	uint32_t size;
	efi_guid g;
	if (len < FV_HEADER_MIN || rd32(img + 40) != FV_SIGNATURE)
		return fail(err, errlen, -1, 0, "not a firmware volume (no _FVH signature at 40)");
	memcpy(&g, img + 16, 16);
	if (!efi_guid_eq(&g, &fv_nvdata_guid))
		return fail(err, errlen, -1, 0,
		            "firmware volume is not a variable store (FileSystemGuid is not "
		            "gEfiSystemNvDataFvGuid)");
	memcpy(&fv_len, img + 32, 8);
	hdr_len = rd16(img + 48);
	if (fv_len > len)
		return fail(err, errlen, -1, 0,
		            "FvLength runs past the end of the file (truncated?)");
	if (hdr_len < FV_HEADER_MIN || hdr_len % 2 || hdr_len > fv_len)
		return fail(err, errlen, -1, 0, "bad firmware volume HeaderLength");
	for (size_t i = 0; i < hdr_len; i += 2)
		sum = (uint16_t)(sum + rd16(img + i));
	if (sum)
		return fail(err, errlen, -1, 0, "firmware volume header checksum is wrong");
	if (fv_len - hdr_len < STORE_HEADER_SIZE)
		return fail(err, errlen, -1, 0, "no room for the variable store header");
	st->base = img + hdr_len;
	st->file_off = hdr_len;
	memcpy(&g, st->base, 16);
	if (efi_guid_eq(&g, &store_auth_guid))
		st->auth = true;
	else if (efi_guid_eq(&g, &store_plain_guid))
		st->auth = false;
	else
		return fail(err, errlen, -1, 0,
		            "unknown variable store signature (neither "
		            "gEfiAuthenticatedVariableGuid nor gEfiVariableGuid)");
	size = rd32(st->base + 16);
	if (size < STORE_HEADER_SIZE || size > fv_len - hdr_len)
		return fail(err, errlen, -1, 0,
		            "variable store Size runs past the firmware volume");
	if (st->base[20] != STORE_FORMATTED)
		return fail(err, errlen, -1, 0, "variable store is not formatted (Format != 0x5a)");
	if (st->base[21] != STORE_HEALTHY)
		return fail(err, errlen, -1, 0, "variable store is not healthy (State != 0xfe)");
	st->size = size;
	return 0;
}

/*
 * The variable header at *off: 1 with *v filled, 0 at the end of the
 * variables, -1 on a header, name or data that runs past the store.
 */
static int read_var(const struct store *st, size_t off, long n, struct rawvar *v, char *err,
                    size_t errlen)
{
	const uint8_t *h = st->base + off;
	size_t hsize = st->auth ? VAR_HEADER_AUTH : VAR_HEADER_PLAIN;
	uint32_t ns, ds;
	if (off + 2 > st->size || rd16(h) != VAR_START_ID)
		return 0;
	if (hsize > st->size - off)
		return fail(err, errlen, n, st->file_off + off, "header runs past the store");
	memset(v, 0, sizeof(*v));
	v->off = off;
	v->state = h[2];
	v->attrs = rd32(h + 4);
	if (st->auth) {
		memcpy(&v->time, h + 16, 16);
		ns = rd32(h + 36);
		ds = rd32(h + 40);
		memcpy(&v->guid, h + 44, 16);
	} else {
		ns = rd32(h + 8);
		ds = rd32(h + 12);
		memcpy(&v->guid, h + 16, 16);
	}
	/* edk2 NameSizeOfVariable/DataSizeOfVariable: an interrupted header's fields read as 0. */
	if (v->state == 0xff || ns == 0xffffffffu || ds == 0xffffffffu || v->attrs == 0xffffffffu)
		ns = ds = 0;
	if (ns > st->size - off - hsize)
		return fail(err, errlen, n, st->file_off + off, "name runs past the store");
	if (ds > st->size - off - hsize - ns)
		return fail(err, errlen, n, st->file_off + off, "data runs past the store");
	v->name = h + hsize;
	v->name_size = ns;
	v->data = v->name + ns;
	v->size = ds;
	v->next = (off + hsize + ns + ds + 3u) & ~(size_t)3u;
	return 1;
}

static bool is_live_state(uint8_t s)
{
	return s == VAR_ADDED || s == (VAR_ADDED & VAR_IN_DELETED_TRANSITION);
}

static bool same_var(const struct rawvar *a, const struct rawvar *b)
{
	return efi_guid_eq(&a->guid, &b->guid) && a->name_size == b->name_size &&
	       !memcmp(a->name, b->name, a->name_size);
}

/* Is this copy the one edk2 reads? (VAR_ADDED first; in transition only without an added copy.) */
static bool is_current(const struct store *st, size_t first, const struct rawvar *v)
{
	struct rawvar o;
	size_t off = first;
	while (read_var(st, off, -1, &o, NULL, 0) == 1) {
		if (o.off != v->off && same_var(&o, v) && is_live_state(o.state)) {
			/* an added copy beats one in transition; among equals the first wins */
			if (o.state == v->state ? o.off < v->off : o.state == VAR_ADDED)
				return false;
		}
		off = o.next;
	}
	return true;
}

static bool name_is(const struct rawvar *v, const char *ascii)
{
	size_t n = strlen(ascii);
	if (v->name_size != 2 * (n + 1))
		return false;
	for (size_t i = 0; i <= n; i++)
		if (rd16(v->name + 2 * i) != (uint16_t)(uint8_t)ascii[i])
			return false;
	return true;
}

static bool is_certdb(const struct rawvar *v)
{
	return efi_guid_eq(&v->guid, &cert_db_guid) &&
	       (name_is(v, "certdb") || name_is(v, "certdbv"));
}

/* Checks a certdb variable's entries (AuthService.c InsertCertsToDb layout). */
static int check_certdb(const struct rawvar *db, size_t at, long n, char *err, size_t errlen)
{
	size_t pos = 4, total;
	if (db->size < 4 || (total = rd32(db->data)) != db->size)
		return fail(err, errlen, n, at, "certdb: list size does not match the data");
	while (pos < total) {
		uint32_t node, name_chars, cert;
		if (total - pos < CERT_DB_ENTRY)
			return fail(err, errlen, n, at, "certdb: entry header runs past the list");
		node = rd32(db->data + pos + 16);
		name_chars = rd32(db->data + pos + 20);
		cert = rd32(db->data + pos + 24);
		if (node > total - pos || name_chars > (node - CERT_DB_ENTRY) / 2 ||
		    node < CERT_DB_ENTRY ||
		    (uint64_t)CERT_DB_ENTRY + 2ull * name_chars + cert != node)
			return fail(err, errlen, n, at, "certdb: entry sizes are inconsistent");
		if (cert != CERT_DIGEST)
			return fail(err, errlen, n, at,
			            "certdb: entry is not a SHA-256 signer digest (32 bytes)");
		pos += node;
	}
	return 0;
}

/* The certdb entry naming v, if any: its digest in v's fd_var. */
static void find_digest(const struct rawvar *db, const struct rawvar *v, struct fd_var *out)
{
	size_t pos = 4;
	if (!db || v->name_size < 2)
		return;
	while (pos < db->size) {
		const uint8_t *e = db->data + pos;
		uint32_t node = rd32(e + 16), chars = rd32(e + 20);
		/* certdb names have no NUL: NameSize counts characters */
		if (!memcmp(e, &v->guid, 16) && 2u * (size_t)chars + 2 == v->name_size &&
		    !memcmp(e + CERT_DB_ENTRY, v->name, 2u * (size_t)chars)) {
			out->has_digest = true;
			memcpy(out->digest, e + CERT_DB_ENTRY + 2u * chars, CERT_DIGEST);
			return;
		}
		pos += node;
	}
}

static bool name_ok(const struct rawvar *v)
{
	if (v->name_size < 2 || v->name_size % 2 || rd16(v->name + v->name_size - 2))
		return false;
	for (size_t i = 0; i + 2 < v->name_size; i += 2)
		if (!rd16(v->name + i))
			return false;
	return true;
}

/* First pass: every header sane, every live name valid, the certdb (if any) found and checked. */
static int scan(const struct store *st, size_t first, struct rawvar *db, bool *have_db, char *err,
                size_t errlen)
{
	struct rawvar v;
	size_t off = first;
	long n = 0;
	int r;
	*have_db = false;
	while ((r = read_var(st, off, n, &v, err, errlen)) == 1) {
		if (is_live_state(v.state)) {
			if (!name_ok(&v))
				return fail(err, errlen, n, st->file_off + off,
				            "name is not a NUL-terminated UCS-2 string");
			if (is_certdb(&v) && name_is(&v, "certdb") && is_current(st, first, &v)) {
				if (check_certdb(&v, st->file_off + off, n, err, errlen))
					return -1;
				*db = v;
				*have_db = true;
			}
		}
		off = v.next;
		n++;
	}
	return r;
}

int fdstore_parse(const uint8_t *img, size_t len, int (*fn)(void *arg, const struct fd_var *v),
                  void *arg, char *err, size_t errlen)
{
	struct store st;
	struct rawvar v, db;
	bool have_db;
	size_t first = STORE_HEADER_SIZE; /* HEADER_ALIGN(store + 1): 28 is already aligned */
	size_t off;
	int r;
	if (errlen)
		err[0] = 0;
	memset(&db, 0, sizeof(db));
	if (!img || parse_headers(img, len, &st, err, errlen))
		return -1;
	if (scan(&st, first, &db, &have_db, err, errlen))
		return -1;
	for (off = first; read_var(&st, off, -1, &v, NULL, 0) == 1; off = v.next) {
		struct fd_var out;
		if (!is_live_state(v.state) || is_certdb(&v) || !is_current(&st, first, &v))
			continue;
		memset(&out, 0, sizeof(out));
		out.guid = v.guid;
		out.name = (const uint16_t *)(const void *)v.name;
		out.name_size = v.name_size;
		out.attrs = v.attrs;
		out.data = v.data;
		out.size = v.size;
		if (st.auth)
			out.time = v.time;
		if (have_db && (v.attrs & EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS))
			find_digest(&db, &v, &out);
		r = fn(arg, &out);
		if (r)
			return r;
	}
	return 0;
}
