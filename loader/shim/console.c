/*
 * COM1 (0x3f8) output, polled, 115200 8N1. The shim never reads input.
 */
#include <stdarg.h>
#include <stdio.h>

#include "console.h"

#define COM1 0x3f8
#define DEBUG_EXIT_PORT 0xf4

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void console_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts */
	outb(COM1 + 3, 0x80); /* DLAB */
	outb(COM1 + 0, 0x01); /* divisor 1: 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0xc7); /* FIFO on, cleared */
	outb(COM1 + 4, 0x03); /* DTR, RTS */
}

static void putc_serial(char c)
{
	/* Bounded wait for the transmitter: never hang on a missing UART. */
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		;
	outb(COM1, (uint8_t)c);
}

static void puts_serial(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			putc_serial('\r');
		putc_serial(*s);
	}
}

static void vprint(const char *prefix, const char *fmt, va_list ap)
{
	char line[256];

	puts_serial(prefix);
	vsnprintf(line, sizeof(line), fmt, ap);
	puts_serial(line);
}

void console_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint("", fmt, ap);
	va_end(ap);
}

void shim_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint("shim: error: ", fmt, ap);
	va_end(ap);
	puts_serial("\n");
	shim_exit(SHIM_EXIT_FAILURE);
}

void shim_exit(uint32_t code)
{
	outl(DEBUG_EXIT_PORT, code);
	for (;;)
		__asm__ volatile("cli; hlt");
}
