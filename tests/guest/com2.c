/*
 * COM2 (0x2f8), the real second UART passed through to the guest
 * (docs/guest.md): polled, no interrupts. The passthrough modes' link to
 * the host (a QEMU chardev, a Unix socket in the tests).
 */
#include "guest.h"

#define COM2 0x2f8
#define LSR 5
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define COM2_FIFO 16u

void com2_init(void)
{
	outb(COM2 + 1, 0x00); /* no interrupts: polled */
	outb(COM2 + 3, 0x80);
	outb(COM2 + 0, 0x01); /* 115200 (irrelevant on a chardev socket) */
	outb(COM2 + 1, 0x00);
	outb(COM2 + 3, 0x03); /* 8N1 */
	outb(COM2 + 2, 0xc7); /* FIFO on, cleared */
	outb(COM2 + 4, 0x03);
}

uint8_t com2_get(void)
{
	while (!(inb(COM2 + LSR) & LSR_DR))
		;
	return inb(COM2);
}

void com2_put(uint8_t c)
{
	while (!(inb(COM2 + LSR) & LSR_THRE))
		;
	outb(COM2, c);
}

/*
 * n bytes, 16 per "transmitter empty": with the FIFO on, THRE means the
 * 16-byte transmit FIFO is empty, so one LSR read covers 16 writes (each
 * port access traps; this halves the traps of a long answer).
 */
void com2_write(const uint8_t *p, uint32_t n)
{
	while (n) {
		while (!(inb(COM2 + LSR) & LSR_THRE))
			;
		uint32_t k = n < COM2_FIFO ? n : COM2_FIFO;
		for (uint32_t i = 0; i < k; i++)
			outb(COM2, p[i]);
		p += k;
		n -= k;
	}
}
