#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/trap.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "platform/native/time.h"

#define PIT_HZ 1193182u
#define CALIBRATE_MS 20u
/* The PIT counts down ~1193 per ms: this many equal reads means it is dead. */
#define PIT_STUCK_READS 100000u
/* Hard cap on latched reads for one calibration window. */
#define PIT_MAX_READS (1u << 22)

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
 * TSC frequency the platform states: the hypervisor timing leaf
 * 0x40000010 (EAX = TSC kHz; QEMU/KVM with vmware-cpuid-freq, VMware), or
 * CPUID 0x15 when it enumerates the crystal (TSC = ECX * EBX / EAX).
 * 0 when neither is there (AMD, TCG): the PIT is measured instead.
 */
static uint64_t tsc_hz_from_cpuid(const char **src)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	if (r[2] & (1u << 31)) { /* hypervisor present */
		cpuid(0x40000000, 0, r);
		if (r[0] >= 0x40000010u && r[0] < 0x40010000u) {
			cpuid(0x40000010, 0, r);
			if (r[0]) {
				*src = "CPUID 0x40000010";
				return (uint64_t)r[0] * 1000u;
			}
		}
	}
	cpuid(0, 0, r);
	if (r[0] >= 0x15) {
		cpuid(0x15, 0, r);
		if (r[0] && r[1] && r[2]) {
			*src = "CPUID 0x15";
			return (uint64_t)r[2] * r[1] / r[0];
		}
	}
	return 0;
}

/*
 * Count TSC and LAPIC timer ticks across CALIBRATE_MS of PIT channel 0,
 * polled through counter latches: this needs no speaker gate (port 0x61),
 * which QEMU's microvm lacks. IRQ0 is masked at the 8259. Bounded: returns
 * 0 if the counter stands still (no PIT) or the read budget runs out.
 */
static int pit_calibrate(uint64_t *tsc_ticks, uint32_t *lapic_ticks)
{
	uint32_t want = PIT_HZ / 1000u * CALIBRATE_MS;
	outb(0x43, 0x30); /* channel 0, lo/hi byte, mode 0 (one count-down from 0xffff) */
	outb(0x40, 0xff);
	outb(0x40, 0xff);
	uint16_t start = pit0_read(), last = start;
	lapic_timer_oneshot_max();
	uint64_t t0 = rdtsc();
	uint32_t l0 = lapic_timer_current(), same = 0;
	for (uint32_t reads = 0;; reads++) {
		uint16_t now = pit0_read();
		if ((uint16_t)(start - now) >= want)
			break;
		same = now == last ? same + 1 : 0;
		last = now;
		if (same > PIT_STUCK_READS || reads > PIT_MAX_READS)
			return 0;
	}
	*tsc_ticks = rdtsc() - t0;
	*lapic_ticks = l0 - lapic_timer_current();
	return 1;
}

/* LAPIC timer ticks across CALIBRATE_MS measured with a known TSC. */
static uint32_t lapic_per_window_by_tsc(uint64_t tsc_hz)
{
	uint64_t span = tsc_hz / 1000u * CALIBRATE_MS;
	lapic_timer_oneshot_max();
	uint64_t t0 = rdtsc();
	uint32_t l0 = lapic_timer_current();
	while (rdtsc() - t0 < span)
		;
	return l0 - lapic_timer_current();
}

void time_init(void)
{
	const char *src = "PIT";
	uint64_t tsc_hz = tsc_hz_from_cpuid(&src), tsc = 0;
	uint32_t lap = 0;
	if (tsc_hz) {
		lap = lapic_per_window_by_tsc(tsc_hz);
	} else {
		if (!pit_calibrate(&tsc, &lap))
			panic("time: PIT channel 0 does not count and CPUID gives no TSC frequency");
		tsc_hz = tsc * (1000u / CALIBRATE_MS);
	}
	if (!tsc_hz || !lap)
		panic("time: calibration failed (tsc %lu Hz, lapic %u)", tsc_hz, lap);
	/* panic() does not return, so tsc_hz is non-zero here. */
	// cppcheck-suppress zerodivcond
	ns_mult = (1000000000ull << 32) / tsc_hz;
	tsc_at_boot = rdtsc();
	uint64_t rtc = rtc_read_unix();
	realtime_at_boot_ns = rtc * 1000000000ull;
	uint32_t period = (uint32_t)((uint64_t)lap * TIMER_PERIOD_MS / CALIBRATE_MS);
	kprintf("keel: time: TSC %lu kHz (%s), LAPIC timer %u ticks per %u ms, RTC %lu\n",
		tsc_hz / 1000, src, period, TIMER_PERIOD_MS, rtc);
	if (!rtc)
		kprintf("keel: time: no CMOS RTC (QEMU microvm needs rtc=on under KVM): REALTIME counts from 1970\n");
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
