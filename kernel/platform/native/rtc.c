/* CMOS real-time clock, read once at boot. */
#include "arch/x86_64/cpu.h"
#include "platform/native/time.h"

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static unsigned from_bcd(uint8_t v, int binary)
{
	return binary ? v : (unsigned)((v >> 4) * 10 + (v & 0xf));
}

/* Howard Hinnant's days_from_civil. */
int64_t rtc_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

uint64_t rtc_read_unix(void)
{
	for (int i = 0; i < 1000000 && (cmos(0x0a) & 0x80); i++)
		; /* update in progress */
	uint8_t b = cmos(0x0b);
	int bin = b & 0x04;
	unsigned s = from_bcd(cmos(0x00), bin), mi = from_bcd(cmos(0x02), bin);
	uint8_t hraw = cmos(0x04);
	unsigned h = from_bcd(hraw & 0x7f, bin);
	unsigned d = from_bcd(cmos(0x07), bin), mo = from_bcd(cmos(0x08), bin);
	unsigned y = from_bcd(cmos(0x09), bin) + 2000;
	if (!(b & 0x02) && (hraw & 0x80))
		h = (h % 12) + 12; /* 12-hour mode, PM */
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return 0;
	int64_t days = rtc_days_from_civil(y, mo, d);
	return (uint64_t)(days * 86400 + h * 3600 + mi * 60 + s);
}
