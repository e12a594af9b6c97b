/* 16550 UART on COM1 (0x3f8), polled: the native console. */
#include "arch/x86_64/cpu.h"
#include "platform/platform.h"

#define COM1 0x3f8
#define LSR_THRE 0x20

void console_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts */
	outb(COM1 + 3, 0x80); /* DLAB */
	outb(COM1 + 0, 0x01); /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0xc7); /* FIFO on, cleared */
	outb(COM1 + 4, 0x03); /* DTR, RTS */
}

static void put_byte(char c)
{
	for (int spin = 0; spin < 100000 && !(inb(COM1 + 5) & LSR_THRE); spin++)
		;
	outb(COM1, (uint8_t)c);
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			put_byte('\r');
		put_byte(s[i]);
	}
}
