/* Guest port I/O: COM1 emulated and line-buffered, COM2 passed through (guest_io.h). */
#include "arch/x86_64/cpu.h"
#include "lib/kprintf.h"
#include "platform/native/guest_io.h"

#define COM1 0x3f8u
#define COM2 0x2f8u
#define UART_LSR 5u
#define LSR_THRE_TEMT 0x60u /* transmitter empty: the emulated COM1 is always ready */

void guest_io_flush(struct guest *g)
{
	if (!g->line_len)
		return;
	g->line[g->line_len] = '\0';
	kprintf("%s\n", g->line);
	g->line_len = 0;
}

static void com1_put(struct guest *g, uint8_t c)
{
	if (c == '\r')
		return;
	if (c == '\n') {
		if (!g->line_len)
			kprintf("\n");
		guest_io_flush(g);
		return;
	}
	g->line[g->line_len++] = (c >= 0x20 && c < 0x7f) || c == '\t' ? (char)c : '?';
	if (g->line_len == GUEST_LINE_MAX - 1)
		guest_io_flush(g);
}

int guest_io_in(struct guest *g, uint16_t port, uint8_t *val)
{
	(void)g;
	if (port >= COM2 && port < COM2 + 8) {
		*val = inb(port);
		return 0;
	}
	if (port >= COM1 && port < COM1 + 8) {
		*val = port == COM1 + UART_LSR ? LSR_THRE_TEMT : 0;
		return 0;
	}
	return -1;
}

int guest_io_out(struct guest *g, uint16_t port, uint8_t val)
{
	if (port >= COM2 && port < COM2 + 8) {
		outb(port, val);
		return 0;
	}
	if (port == COM1) {
		com1_put(g, val);
		return 0;
	}
	if (port > COM1 && port < COM1 + 8)
		return 0; /* line settings of the emulated COM1: nothing to set */
	return -1;
}
