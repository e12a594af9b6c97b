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

struct rtc_raw {
	uint8_t s, mi, h, d, mo, y;
};

static void rtc_raw_read(struct rtc_raw *r)
{
	for (int i = 0; i < 100000 && (cmos(0x0a) & 0x80); i++)
		; /* update in progress: at most ~2 ms */
	r->s = cmos(0x00);
	r->mi = cmos(0x02);
	r->h = cmos(0x04);
	r->d = cmos(0x07);
	r->mo = cmos(0x08);
	r->y = cmos(0x09);
}

/* 0 when there is no RTC (an absent device reads 0xff) or its date is bad. */
uint64_t rtc_read_unix(void)
{
	uint8_t b = cmos(0x0b);
	if (cmos(0x0a) == 0xff && b == 0xff)
		return 0;
	struct rtc_raw r, again;
	rtc_raw_read(&r);
	for (int i = 0; i < 3; i++) { /* read until two reads agree: no torn update */
		rtc_raw_read(&again);
		if (!__builtin_memcmp(&r, &again, sizeof(r)))
			break;
		r = again;
	}
	int bin = b & 0x04;
	unsigned s = from_bcd(r.s, bin), mi = from_bcd(r.mi, bin);
	unsigned h = from_bcd(r.h & 0x7f, bin);
	unsigned d = from_bcd(r.d, bin), mo = from_bcd(r.mo, bin);
	unsigned y = from_bcd(r.y, bin) + 2000;
	if (!(b & 0x02) && (r.h & 0x80))
		h = (h % 12) + 12; /* 12-hour mode, PM */
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
		return 0;
	int64_t days = rtc_days_from_civil(y, mo, d);
	return (uint64_t)(days * 86400 + h * 3600 + mi * 60 + s);
}
