#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/trap.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "platform/native/time.h"

#define PIT_HZ 1193182u
#define CALIBRATE_MS 20u

static uint64_t tsc_at_boot;
static uint64_t ns_mult; /* ns per TSC tick, 32.32 fixed point */
static uint64_t realtime_at_boot_ns;

static uint16_t pit0_read(void)
{
	outb(0x43, 0x00); /* latch channel 0 */
	uint8_t lo = inb(0x40);
	return (uint16_t)(lo | (inb(0x40) << 8));
}

/*
 * Count TSC and LAPIC timer ticks across CALIBRATE_MS of PIT channel 0,
 * polled through counter latches: this needs no speaker gate (port 0x61),
 * which QEMU's microvm lacks. IRQ0 is masked at the 8259.
 */
static void calibrate(uint64_t *tsc_ticks, uint32_t *lapic_ticks)
{
	uint32_t want = PIT_HZ / 1000u * CALIBRATE_MS;
	outb(0x43, 0x30); /* channel 0, lo/hi byte, mode 0 (one count-down from 0xffff) */
	outb(0x40, 0xff);
	outb(0x40, 0xff);
	uint16_t start = pit0_read();
	lapic_timer_oneshot_max();
	uint64_t t0 = rdtsc();
	uint32_t l0 = lapic_timer_current();
	for (uint64_t spin = 0; (uint16_t)(start - pit0_read()) < want; spin++)
		if (spin > (1ull << 28))
			panic("time: PIT channel 0 does not count");
	*tsc_ticks = rdtsc() - t0;
	*lapic_ticks = l0 - lapic_timer_current();
}

void time_init(void)
{
	uint64_t tsc;
	uint32_t lap;
	calibrate(&tsc, &lap);
	uint64_t tsc_hz = tsc * (1000u / CALIBRATE_MS);
	if (!tsc_hz || !lap)
		panic("time: calibration failed (tsc %lu, lapic %u)", tsc, lap);
	/* panic() does not return, so tsc_hz is non-zero here. */
	// cppcheck-suppress zerodivcond
	ns_mult = (1000000000ull << 32) / tsc_hz;
	tsc_at_boot = rdtsc();
	realtime_at_boot_ns = rtc_read_unix() * 1000000000ull;
	uint32_t period = (uint32_t)((uint64_t)lap * TIMER_PERIOD_MS / CALIBRATE_MS);
	kprintf("keel: time: TSC %lu kHz, LAPIC timer %u ticks per %u ms, RTC %lu\n",
		tsc_hz / 1000, period, TIMER_PERIOD_MS, (uint64_t)(realtime_at_boot_ns / 1000000000u));
	lapic_timer_start(period, VECTOR_TIMER);
}

uint64_t time_monotonic_ns(void)
{
	uint64_t d = rdtsc() - tsc_at_boot;
	return (uint64_t)(((unsigned __int128)d * ns_mult) >> 32);
}

uint64_t time_realtime_ns(void)
{
	return realtime_at_boot_ns + time_monotonic_ns();
}
