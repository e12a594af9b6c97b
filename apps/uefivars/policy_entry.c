/*
 * One variable policy entry: decoding a registration from outside input
 * and matching a variable against it (edk2 MdeModulePkg/Library/
 * VariablePolicyLib/VariablePolicyLib.c: IsValidVariablePolicyStructure,
 * EvaluatePolicyMatch). Every read of the entry is bounded by both its
 * own Size and the bytes actually there: edk2 reads a CHAR16 before
 * checking it is inside; here a name must end with a whole NUL character
 * inside the entry.
 */
#include <stdlib.h>
#include <string.h>

#include "policy_table.h"
#include "policy_wire.h"

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

/*
 * The NUL-terminated UCS-2 string at p[off..end): its size in bytes with
 * the NUL (0 when it does not end inside), and its count of '#'.
 */
static size_t str_size(const uint8_t *p, size_t off, size_t end, size_t *wildcards)
{
	size_t hashes = 0;

	for (size_t at = off; at + 2 <= end; at += 2) {
		uint16_t c = rd16(p + at);
		if (c == 0) {
			if (wildcards != NULL)
				*wildcards = hashes;
			return at + 2 - off;
		}
		if (c == '#')
			hashes++;
	}
	return 0;
}

static uint16_t *copy_str(const uint8_t *p, size_t size)
{
	uint16_t *s = malloc(size);

	if (s != NULL)
		memcpy(s, p, size);
	return s;
}

/* The LOCK_ON_VAR_STATE part: {namespace, value, reserved, name}, which must end exactly at
 * OffsetToName. */
static bool parse_state(const uint8_t *p, size_t end, size_t name_off, struct policy_ent *out)
{
	struct variable_lock_on_var_state_policy st;
	size_t st_off = sizeof(struct variable_policy_entry);
	size_t name_at = st_off + sizeof(st);

	if (end <= name_at)
		return false;
	memcpy(&st, p + st_off, sizeof(st));
	size_t size = str_size(p, name_at, end, NULL);
	if (size == 0 || name_at + size != name_off)
		return false;
	out->state_ns = st.ns;
	out->state_value = st.value;
	out->state_name_size = size;
	out->state_name = copy_str(p + name_at, size);
	return out->state_name != NULL;
}

bool policy_entry_parse(const uint8_t *p, size_t avail, struct policy_ent *out)
{
	struct variable_policy_entry h;

	memset(out, 0, sizeof(*out));
	if (avail < sizeof(h))
		return false;
	memcpy(&h, p, sizeof(h));
	if (h.version != VARIABLE_POLICY_ENTRY_REVISION || h.size < sizeof(h) || h.size > avail ||
	    h.max_size == 0 || h.lock_type > VARIABLE_POLICY_TYPE_LOCK_ON_VAR_STATE)
		return false;
	size_t end = h.size, name_off = h.offset_to_name;

	if (h.lock_type == VARIABLE_POLICY_TYPE_LOCK_ON_VAR_STATE) {
		if (!parse_state(p, end, name_off, out))
			goto bad;
	} else if (name_off != sizeof(h)) {
		return false;
	}
	if (name_off != end) {
		size_t hashes = 0, size = str_size(p, name_off, end, &hashes);
		/* The name ends exactly at Size; edk2 allows at most 255 wildcards
		 * (MATCH_PRIORITY_MIN). */
		if (size == 0 || name_off + size != end || hashes > POLICY_MATCH_NAMESPACE)
			goto bad;
		out->has_name = true;
		out->name_len = size / 2 - 1;
		out->name = copy_str(p + name_off, size);
		if (out->name == NULL)
			goto bad;
	}
	out->ns = h.ns;
	out->min_size = h.min_size;
	out->max_size = h.max_size;
	out->must_have = h.attrs_must_have;
	out->cant_have = h.attrs_cant_have;
	out->lock_type = h.lock_type;
	return true;
bad:
	policy_entry_free(out);
	return false;
}

void policy_entry_free(struct policy_ent *e)
{
	free(e->name);
	free(e->state_name);
	e->name = NULL;
	e->state_name = NULL;
}

static bool is_hex_digit(uint16_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

int policy_entry_match(const struct policy_ent *e, const efi_guid *guid, const uint16_t *name,
                       size_t len)
{
	int prio = POLICY_MATCH_EXACT;

	if (!efi_guid_eq(&e->ns, guid))
		return -1;
	if (!e->has_name)
		return POLICY_MATCH_NAMESPACE;
	/* edk2 walks both strings to their NULs: the lengths must agree. */
	if (e->name_len != len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		uint16_t pc = e->name[i], vc = name[i];
		if (pc == '#') {
			if (!is_hex_digit(vc))
				return -1;
			if (prio < POLICY_MATCH_NAMESPACE)
				prio++;
		} else if (pc != vc) {
			return -1;
		}
	}
	return prio;
}

bool policy_entry_same(const struct policy_ent *a, const struct policy_ent *b)
{
	if (!efi_guid_eq(&a->ns, &b->ns) || a->has_name != b->has_name)
		return false;
	if (!a->has_name)
		return true;
	return a->name_len == b->name_len && memcmp(a->name, b->name, a->name_len * 2) == 0;
}
