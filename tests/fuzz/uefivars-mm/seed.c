/*
 * Seed inputs for the uefivars-mm fuzzer (fuzz_uefivars_mm.h), one file
 * per scenario in DIR: valid SetVariable / GetVariable /
 * GetNextVariableName / QueryVariableInfo / GetPayloadSize sequences,
 * append and delete, LockVariable around EndOfDxe, every policy command,
 * keel_varadmin GET_RECORD and IMPORT, the phase events, a big buffer, an
 * authenticated write with a bogus signature, and malformed buffers;
 * with VECTORDIR, Secure Boot enrollment with real efitools vectors.
 *   uefivars-mm-seed DIR [VECTORDIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_uefivars_mm.h"
#include "mm_wire.h"
#include "policy_wire.h"

#define NV EFI_VARIABLE_NON_VOLATILE
#define BS EFI_VARIABLE_BOOTSERVICE_ACCESS
#define RT EFI_VARIABLE_RUNTIME_ACCESS
#define NBR (NV | BS | RT)

static const efi_guid vendor =
    EFI_GUID_INIT(0x4b65656c, 0x5365, 0x6564, 0x8e, 0x1a, 0x6b, 0x65, 0x65, 0x6c, 0x00, 0x10);

/* One seed file being written: records appended to `f`. */
struct seed {
	FILE *f;
	int bad;
};

static uint8_t msg[MM_BUFFER_MAX];

static void put32(struct seed *s, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	if (fwrite(b, 1, 4, s->f) != 4)
		s->bad = 1;
}

/* A record: a guest buffer of `bufsize` bytes (0: just n) whose first n are `p`. */
static void record(struct seed *s, uint32_t bufsize, const void *p, size_t n)
{
	put32(s, bufsize ? bufsize - MM_BUFFER_MIN : FUZZ_UV_TIGHT);
	put32(s, (uint32_t)n);
	if (n > 0 && fwrite(p, 1, n, s->f) != n)
		s->bad = 1;
}

/*
 * An MM buffer: header for `guid` with MessageLength `len`, then the
 * first `written` bytes of `body` (the rest is the zeroed buffer: output
 * space costs no seed bytes).
 */
static void mm_part(struct seed *s, const efi_guid *guid, const void *body, size_t len,
                    size_t written)
{
	struct mm_header h = {.guid = *guid, .length = len};
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), body, written);
	/* All given: a buffer that ends with the message; else edk2's 64 KiB. */
	record(s, written == len ? 0 : MM_BUFFER_EDK2, msg, sizeof(h) + written);
}

static void mm(struct seed *s, const efi_guid *guid, const void *body, size_t len)
{
	mm_part(s, guid, body, len, len);
}

static size_t ucs2(uint8_t *out, const char *a)
{
	size_t n = strlen(a) + 1;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = (uint8_t)a[i];
		out[2 * i + 1] = 0;
	}
	return 2 * n;
}

static uint8_t body[MM_BUFFER_MAX];

/* {function; status} then `len` bytes in body + 16, the first `written` of them given. */
static void var_fn_part(struct seed *s, uint64_t fn, size_t len, size_t written)
{
	struct mm_var_header h = {.function = fn};
	memcpy(body, &h, sizeof(h));
	mm_part(s, &mm_variable_guid, body, sizeof(h) + len, sizeof(h) + written);
}

static void var_fn(struct seed *s, uint64_t fn, size_t len)
{
	var_fn_part(s, fn, len, len);
}

static void set_var(struct seed *s, const efi_guid *g, const char *name, uint32_t attrs,
                    const void *data, size_t size)
{
	uint8_t *a = body + 16;
	size_t ns = ucs2(a + sizeof(struct mm_var_access), name);
	struct mm_var_access v = {
	    .guid = *g, .data_size = size, .name_size = ns, .attributes = attrs};
	memcpy(a, &v, sizeof(v));
	memcpy(a + sizeof(v) + ns, data, size);
	var_fn(s, MM_VAR_FN_SET_VARIABLE, sizeof(v) + ns + size);
}

static void get_var(struct seed *s, const efi_guid *g, const char *name, size_t cap)
{
	uint8_t *a = body + 16;
	size_t ns = ucs2(a + sizeof(struct mm_var_access), name);
	struct mm_var_access v = {.guid = *g, .data_size = cap, .name_size = ns};
	memcpy(a, &v, sizeof(v));
	var_fn_part(s, MM_VAR_FN_GET_VARIABLE, sizeof(v) + ns + cap, sizeof(v) + ns);
}

/* GetNextVariableName and LockVariable share {guid; u64 name_size; name}. */
static void name_fn(struct seed *s, uint64_t fn, const efi_guid *g, const char *name, size_t cap)
{
	uint8_t *a = body + 16;
	memset(a + sizeof(struct mm_var_next_name), 0, cap);
	size_t ns = ucs2(a + sizeof(struct mm_var_next_name), name);
	struct mm_var_next_name v = {.guid = *g,
	                             .name_size = fn == MM_VAR_FN_LOCK_VARIABLE ? ns : cap};
	memcpy(a, &v, sizeof(v));
	var_fn_part(s, fn, sizeof(v) + (cap > ns ? cap : ns), sizeof(v) + ns);
}

static void query(struct seed *s, uint32_t attrs)
{
	struct mm_var_query_info q = {.attributes = attrs};
	memcpy(body + 16, &q, sizeof(q));
	var_fn(s, MM_VAR_FN_QUERY_VARIABLE_INFO, sizeof(q));
}

static void event(struct seed *s, const efi_guid *g)
{
	mm(s, g, body, 0);
}

static void policy_cmd_part(struct seed *s, uint32_t cmd, const void *params, size_t len,
                            size_t written)
{
	struct mm_policy_header h = {
	    .signature = MM_POLICY_SIGNATURE, .revision = MM_POLICY_REVISION, .command = cmd};
	memcpy(body, &h, sizeof(h));
	if (written > 0)
		memcpy(body + sizeof(h), params, written);
	mm_part(s, &mm_var_policy_guid, body, sizeof(h) + len, sizeof(h) + written);
}

static void policy_cmd(struct seed *s, uint32_t cmd, const void *params, size_t len)
{
	policy_cmd_part(s, cmd, params, len, len);
}

/* REGISTER one entry: LOCK_ON_VAR_STATE when state_name is set. */
static void policy_register(struct seed *s, const char *name, uint8_t lock, const char *state_name)
{
	uint8_t e[512];
	struct variable_policy_entry h = {.version = VARIABLE_POLICY_ENTRY_REVISION,
	                                  .ns = vendor,
	                                  .min_size = 1,
	                                  .max_size = 64,
	                                  .attrs_must_have = BS,
	                                  .lock_type = lock};
	size_t at = sizeof(h);
	if (state_name != NULL) {
		struct variable_lock_on_var_state_policy st = {.ns = vendor, .value = 1};
		memcpy(e + at, &st, sizeof(st));
		at += sizeof(st);
		at += ucs2(e + at, state_name);
	}
	h.offset_to_name = (uint16_t)at;
	if (name != NULL)
		at += ucs2(e + at, name);
	h.size = (uint16_t)at;
	memcpy(e, &h, sizeof(h));
	policy_cmd(s, MM_POLICY_CMD_REGISTER, e, at);
}

static void policy_dump(struct seed *s, uint32_t page)
{
	struct mm_policy_dump p = {.page_requested = page};
	policy_cmd_part(s, MM_POLICY_CMD_DUMP, &p, sizeof(p) + MM_POLICY_DUMP_PAGE_SIZE, sizeof(p));
}

/* GET_INFO / GET_LOCK_VAR_STATE_INFO for vendor:name, 64 bytes of room for the answer's name. */
static void policy_info(struct seed *s, uint32_t cmd, const char *name)
{
	uint8_t p[sizeof(struct mm_policy_get_info) + 64];
	struct mm_policy_get_info gi = {.vendor = vendor, .out_name_size = 64};
	size_t n = ucs2(p + sizeof(gi), name);
	gi.in_name_size = (uint32_t)n;
	memcpy(p, &gi, sizeof(gi));
	policy_cmd_part(s, cmd, p, sizeof(gi) + MM_POLICY_GET_INFO_NAMES_SIZE, sizeof(gi) + n);
}

static void varadmin(struct seed *s, uint64_t fn, const void *p, size_t len)
{
	struct mm_var_header h = {.function = fn};
	memcpy(body, &h, sizeof(h));
	memcpy(body + sizeof(h), p, len);
	mm(s, &keel_varadmin_guid, body, sizeof(h) + len);
}

static void open_seed(struct seed *s, const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	s->f = fopen(path, "wb");
	s->bad = s->f == NULL;
}

static int close_seed(struct seed *s)
{
	if (s->f == NULL)
		return 1;
	return (fclose(s->f) != 0) | s->bad;
}

static void seed_variables(struct seed *s)
{
	static const uint8_t data[] = {1, 2, 3, 4, 5, 6, 7, 8};
	set_var(s, &vendor, "KeelTest", NBR, data, sizeof(data));
	set_var(s, &vendor, "Volatile", BS | RT, data, 3);
	set_var(s, &efi_global_variable_guid, "BootOrder", NBR, data, 4);
	get_var(s, &vendor, "KeelTest", 64);
	get_var(s, &vendor, "KeelTest", 2); /* BUFFER_TOO_SMALL */
	name_fn(s, MM_VAR_FN_GET_NEXT_VARIABLE_NAME, &vendor, "", 256);
	name_fn(s, MM_VAR_FN_GET_NEXT_VARIABLE_NAME, &vendor, "KeelTest", 256);
	name_fn(s, MM_VAR_FN_GET_NEXT_VARIABLE_NAME, &vendor, "", 4); /* too small */
	query(s, NBR);
	query(s, BS);
	memset(body + 16, 0, 8);
	var_fn(s, MM_VAR_FN_GET_PAYLOAD_SIZE, 8);
}

static void seed_append_delete(struct seed *s)
{
	static const uint8_t data[] = {0xaa, 0xbb, 0xcc};
	set_var(s, &vendor, "Grow", NBR, data, sizeof(data));
	set_var(s, &vendor, "Grow", NBR | EFI_VARIABLE_APPEND_WRITE, data, sizeof(data));
	get_var(s, &vendor, "Grow", 16);
	set_var(s, &vendor, "Grow", NBR, data, 0); /* delete */
	set_var(s, &vendor, "Grow", NBR, data, 0); /* NOT_FOUND */
	get_var(s, &vendor, "Grow", 16);
	set_var(s, &vendor, "Grow", NBR, data, 2);
	set_var(s, &vendor, "Grow", BS, data, 2); /* other attributes */
}

static void seed_lock_and_phases(struct seed *s)
{
	static const uint8_t one = 1;
	name_fn(s, MM_VAR_FN_LOCK_VARIABLE, &vendor, "Locked", 0);
	set_var(s, &vendor, "Locked", NBR, &one, 1);
	event(s, &mm_end_of_dxe_guid);
	set_var(s, &vendor, "Locked", NBR, &one, 1);             /* WRITE_PROTECTED */
	name_fn(s, MM_VAR_FN_LOCK_VARIABLE, &vendor, "Late", 0); /* ACCESS_DENIED */
	set_var(s, &vendor, "BsOnly", NV | BS, &one, 1);
	var_fn(s, MM_VAR_FN_READY_TO_BOOT, 0);
	var_fn(s, MM_VAR_FN_EXIT_BOOT_SERVICE, 0);
	get_var(s, &vendor, "BsOnly", 8); /* gone at runtime */
	set_var(s, &vendor, "RtVar", NBR, &one, 1);
	set_var(s, &vendor, "BsNew", NV | BS, &one, 1); /* refused at runtime */
	var_fn(s, MM_VAR_FN_GET_STATISTICS, 0);
}

static void seed_policy(struct seed *s)
{
	static const uint8_t one = 1;
	policy_register(s, "Guarded", VARIABLE_POLICY_TYPE_LOCK_ON_VAR_STATE, "Switch");
	policy_register(s, "Boot####", VARIABLE_POLICY_TYPE_NO_LOCK, NULL);
	policy_register(s, "Once", VARIABLE_POLICY_TYPE_LOCK_ON_CREATE, NULL);
	policy_register(s, NULL, VARIABLE_POLICY_TYPE_NO_LOCK, NULL);
	policy_register(s, "Boot####", VARIABLE_POLICY_TYPE_NO_LOCK, NULL); /* duplicate */
	uint8_t state = 0;
	policy_cmd(s, MM_POLICY_CMD_IS_ENABLED, &state, 1);
	policy_dump(s, 0);
	policy_dump(s, 1);
	policy_info(s, MM_POLICY_CMD_GET_INFO, "Boot00A1");
	policy_info(s, MM_POLICY_CMD_GET_LOCK_VAR_STATE_INFO, "Guarded");
	policy_cmd(s, MM_POLICY_CMD_DISABLE, NULL, 0);
	event(s, &mm_end_of_dxe_guid);
	set_var(s, &vendor, "Once", NBR, &one, 1);
	set_var(s, &vendor, "Once", NBR, &one, 1); /* locked on create */
	set_var(s, &vendor, "Switch", NBR, &one, 1);
	set_var(s, &vendor, "Guarded", NBR, &one, 1); /* locked by state */
	set_var(s, &vendor, "Boot00A1", NBR, &one, 1);
	set_var(s, &vendor, "Boot00A1", NV, &one, 1); /* must have BS */
	policy_cmd(s, MM_POLICY_CMD_LOCK, NULL, 0);
	policy_register(s, "After", VARIABLE_POLICY_TYPE_LOCK_NOW, NULL); /* WRITE_PROTECTED */
}

static void seed_varadmin(struct seed *s)
{
	static const uint8_t data[] = {9, 8, 7};
	uint8_t rec[256] = {0};
	set_var(s, &vendor, "Exported", NBR, data, sizeof(data));
	size_t ns = ucs2(rec + sizeof(struct mm_var_next_name), "Exported");
	struct mm_var_next_name q = {.guid = vendor, .name_size = ns};
	memcpy(rec, &q, sizeof(q));
	varadmin(s, KEEL_VARADMIN_GET_RECORD, rec, sizeof(q) + ns + 128); /* room for the record */
	/* IMPORT {u32 count; u32 reserved} then one record padded to 8. */
	uint8_t imp[256] = {1, 0, 0, 0, 0, 0, 0, 0};
	struct varadmin_record r = {.guid = vendor, .attributes = NBR, .data_size = sizeof(data)};
	size_t n = ucs2(imp + 8 + sizeof(r), "Imported");
	r.name_size = (uint32_t)n;
	memcpy(imp + 8, &r, sizeof(r));
	memcpy(imp + 8 + sizeof(r) + n, data, sizeof(data));
	size_t len = 8 + sizeof(r) + n + sizeof(data);
	len = (len + 7) & ~(size_t)7;
	varadmin(s, KEEL_VARADMIN_IMPORT, imp, len);
	get_var(s, &vendor, "Imported", 16);
}

/* An authenticated write to db with a made-up AUTHENTICATION_2: exercises the parser, refused. */
static void seed_auth(struct seed *s)
{
	uint8_t d[200] = {0};
	struct efi_time t = {.year = 2026, .month = 1, .day = 2};
	memcpy(d, &t, sizeof(t));
	/* WIN_CERTIFICATE_UEFI_GUID: u32 dwLength, u16 revision 0x200, u16 type 0xef1 (UEFI_GUID),
	 * CertType. */
	uint32_t wlen = 24 + 40;
	memcpy(d + 16, &wlen, 4);
	d[20] = 0x00;
	d[21] = 0x02;
	d[22] = 0xf1;
	d[23] = 0x0e;
	memcpy(d + 24, &efi_cert_type_pkcs7_guid, 16);
	memset(d + 40, 0x30, 40); /* not DER */
	memset(d + 80, 0x11, 20); /* the payload */
	uint32_t at = NBR | EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS;
	set_var(s, &efi_image_security_database_guid, "db", at, d, 100);
	set_var(s, &efi_global_variable_guid, "PK", at, d, 100);
	get_var(s, &efi_global_variable_guid, "SetupMode", 8);
	get_var(s, &efi_global_variable_guid, "SecureBoot", 8);
}

static void seed_big(struct seed *s)
{
	static uint8_t data[40000];
	memset(data, 0x5a, sizeof(data));
	set_var(s, &vendor, "Big", NBR, data, sizeof(data));
	/* The same request in a 256 KiB buffer: rewrite the last record's size. */
	get_var(s, &vendor, "Big", sizeof(data));
	struct mm_header h = {.guid = mm_variable_guid, .length = 0};
	memcpy(msg, &h, sizeof(h));
	record(s, MM_BUFFER_MAX, msg, sizeof(h)); /* empty variable message */
}

static void seed_malformed(struct seed *s)
{
	uint8_t b[64] = {0};
	struct mm_header h = {.guid = mm_variable_guid, .length = 1000};
	memcpy(b, &h, sizeof(h));
	record(s, 64, b, sizeof(b)); /* MessageLength past the buffer */
	record(s, MM_BUFFER_MIN, b, 24);
	/* Odd name size, and a name without its NUL. */
	uint8_t *a = body + 16;
	struct mm_var_access v = {
	    .guid = vendor, .data_size = 1, .name_size = 7, .attributes = NBR};
	memcpy(a, &v, sizeof(v));
	memset(a + sizeof(v), 'A', 8);
	var_fn(s, MM_VAR_FN_SET_VARIABLE, sizeof(v) + 8);
	v.name_size = 8;
	memcpy(a, &v, sizeof(v));
	var_fn(s, MM_VAR_FN_SET_VARIABLE, sizeof(v) + 8);
	v.name_size = 1u << 20; /* past the message */
	memcpy(a, &v, sizeof(v));
	var_fn(s, MM_VAR_FN_GET_VARIABLE, sizeof(v) + 8);
	var_fn(s, 99, 0);                                /* unknown function */
	mm(s, &vendor, body, 16);                        /* unknown GUID */
	policy_cmd(s, MM_POLICY_CMD_REGISTER, body, 10); /* short entry */
	/* Each policy command with just the header, in a buffer that ends there. */
	for (uint32_t cmd = MM_POLICY_CMD_DISABLE; cmd <= MM_POLICY_CMD_LOCK + 1; cmd++)
		policy_cmd(s, cmd, NULL, 0);
	/* A DUMP one byte short of its page, tight. */
	struct mm_policy_dump d = {.page_requested = 0};
	static uint8_t dump[sizeof(d) + MM_POLICY_DUMP_PAGE_SIZE];
	memcpy(dump, &d, sizeof(d));
	policy_cmd(s, MM_POLICY_CMD_DUMP, dump, sizeof(dump) - 1);
	h.guid = mm_var_policy_guid;
	h.length = 8;
	memcpy(b, &h, sizeof(h));
	record(s, 64, b, 32); /* policy message shorter than its header */
}

/* The whole of DIR/NAME in a malloc'd buffer; NULL when it cannot be read. */
static uint8_t *slurp(const char *dir, const char *name, size_t *size)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	uint8_t *buf = malloc(MM_BUFFER_EDK2);
	*size = buf ? fread(buf, 1, MM_BUFFER_EDK2, f) : 0;
	fclose(f);
	if (buf != NULL && (*size == 0 || *size == MM_BUFFER_EDK2)) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

/*
 * Secure Boot with real vectors (tests/unit/uefivars-auth/mkvectors.sh
 * made them in VECDIR): enroll PK, KEK, db; a wrongly signed db, an
 * append, SecureBoot read back, PK deleted. 0, or 1 if a file is missing.
 */
static int seed_secure_boot(struct seed *s, const char *vecdir)
{
	static const struct {
		const char *file, *var;
		int db, append;
	} steps[] = {
	    {"PK.auth", "PK", 0, 0},        {"KEK.auth", "KEK", 0, 0},
	    {"db.auth", "db", 1, 0},        {"db-evil.auth", "db", 1, 0},
	    {"db-append.auth", "db", 1, 1}, {"dbx.auth", "dbx", 1, 0},
	    {"db-older.auth", "db", 1, 0},  {"PK-delete.auth", "PK", 0, 0},
	};
	const uint32_t tb = NBR | EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		size_t size = 0;
		uint8_t *data = slurp(vecdir, steps[i].file, &size);
		if (data == NULL) {
			fprintf(stderr, "cannot read %s/%s\n", vecdir, steps[i].file);
			return 1;
		}
		const efi_guid *g =
		    steps[i].db ? &efi_image_security_database_guid : &efi_global_variable_guid;
		set_var(s, g, steps[i].var, tb | (steps[i].append ? EFI_VARIABLE_APPEND_WRITE : 0),
		        data, size);
		free(data);
		if (i == 2)
			get_var(s, &efi_global_variable_guid, "SecureBoot", 8);
	}
	get_var(s, &efi_global_variable_guid, "SetupMode", 8);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(struct seed *);
	} seeds[] = {
	    {"variables", seed_variables},
	    {"append-delete", seed_append_delete},
	    {"lock-phases", seed_lock_and_phases},
	    {"policy", seed_policy},
	    {"varadmin", seed_varadmin},
	    {"auth", seed_auth},
	    {"big", seed_big},
	    {"malformed", seed_malformed},
	};
	int bad = 0;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: %s DIR [VECTORDIR]\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		struct seed s;
		open_seed(&s, argv[1], seeds[i].name);
		if (s.f != NULL)
			seeds[i].fn(&s);
		bad |= close_seed(&s);
	}
	if (argc == 3) {
		struct seed s;
		open_seed(&s, argv[1], "secure-boot");
		if (s.f != NULL)
			bad |= seed_secure_boot(&s, argv[2]);
		bad |= close_seed(&s);
	}
	return bad;
}
