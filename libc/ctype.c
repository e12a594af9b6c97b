/*
 * ctype over glibc's ABI: __ctype_b_loc() returns a pointer to a table of
 * class bits indexed -128..255 (the "C" locale), and the tolower/toupper
 * tables likewise. The bit values come from glibc's own <ctype.h>.
 */
#define __NO_CTYPE 1
#include <ctype.h>
#include <stdint.h>

static unsigned short class_table[384];
static int32_t lower_table[384];
static int32_t upper_table[384];
static int tables_ready;

static unsigned short class_of(int c)
{
	unsigned short m = 0;
	if (c >= 'A' && c <= 'Z')
		m |= _ISupper | _ISalpha | _ISalnum;
	if (c >= 'a' && c <= 'z')
		m |= _ISlower | _ISalpha | _ISalnum;
	if (c >= '0' && c <= '9')
		m |= _ISdigit | _ISxdigit | _ISalnum;
	if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
		m |= _ISxdigit;
	if (c == ' ' || (c >= '\t' && c <= '\r'))
		m |= _ISspace;
	if (c == ' ' || c == '\t')
		m |= _ISblank;
	if ((c >= 0 && c < 0x20) || c == 0x7f)
		m |= _IScntrl;
	if (c >= 0x20 && c < 0x7f)
		m |= _ISprint;
	if (c > 0x20 && c < 0x7f)
		m |= _ISgraph;
	if (c > 0x20 && c < 0x7f && !(m & _ISalnum))
		m |= _ISpunct;
	return m;
}

static void tables_init(void)
{
	for (int i = 0; i < 384; i++) {
		int c = i - 128;
		/* -128..-1 alias 128..255 (signed char); both are non-ASCII: no class. */
		class_table[i] = (c >= 0 && c < 128) ? class_of(c) : 0;
		/* Like glibc: a negative (signed char) index maps to its unsigned value, EOF to EOF. */
		int u = (c < -1) ? c + 256 : c;
		lower_table[i] = (c >= 'A' && c <= 'Z') ? c + 32 : u;
		upper_table[i] = (c >= 'a' && c <= 'z') ? c - 32 : u;
	}
	tables_ready = 1;
}

const unsigned short **__ctype_b_loc(void)
{
	static const unsigned short *p = class_table + 128;
	if (!tables_ready)
		tables_init();
	return &p;
}

const int32_t **__ctype_tolower_loc(void)
{
	static const int32_t *p = lower_table + 128;
	if (!tables_ready)
		tables_init();
	return &p;
}

const int32_t **__ctype_toupper_loc(void)
{
	static const int32_t *p = upper_table + 128;
	if (!tables_ready)
		tables_init();
	return &p;
}

static int is(int c, unsigned short bit)
{
	if (c < -128 || c > 255)
		return 0;
	return ((*__ctype_b_loc())[c] & bit) != 0;
}

int isalnum(int c) { return is(c, _ISalnum); }
int isalpha(int c) { return is(c, _ISalpha); }
int isblank(int c) { return is(c, _ISblank); }
int iscntrl(int c) { return is(c, _IScntrl); }
int isdigit(int c) { return is(c, _ISdigit); }
int isgraph(int c) { return is(c, _ISgraph); }
int islower(int c) { return is(c, _ISlower); }
int isprint(int c) { return is(c, _ISprint); }
int ispunct(int c) { return is(c, _ISpunct); }
int isspace(int c) { return is(c, _ISspace); }
int isupper(int c) { return is(c, _ISupper); }
int isxdigit(int c) { return is(c, _ISxdigit); }
int isascii(int c) { return (c & ~0x7f) == 0; }

int tolower(int c)
{
	return (c >= -128 && c <= 255) ? (*__ctype_tolower_loc())[c] : c;
}

int toupper(int c)
{
	return (c >= -128 && c <= 255) ? (*__ctype_toupper_loc())[c] : c;
}
