/* The guest's console (COM1, emulated by Keel) and the few libc pieces it needs. */
#include "guest.h"

#define COM1 0x3f8

void con_puts(const char *s)
{
	while (*s)
		outb(COM1, (uint8_t)*s++);
}

void con_hex(uint64_t v)
{
	char b[19];
	int i = 18;
	b[i] = 0;
	do {
		b[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	b[--i] = 'x';
	b[--i] = '0';
	con_puts(b + i);
}

void con_dec(uint64_t v)
{
	char b[21];
	int i = 20;
	b[i] = 0;
	do {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	con_puts(b + i);
}

void *memset(void *d, int c, size_t n)
{
	volatile uint8_t *p = d; /* volatile: keep the compiler from calling memset here */
	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	volatile uint8_t *p = d;
	const uint8_t *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

int str_starts(const char *s, const char *prefix)
{
	while (*prefix && *s == *prefix)
		s++, prefix++;
	return *prefix == 0;
}
