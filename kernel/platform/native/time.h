/*
 * Time: the TSC, calibrated against the PIT at boot, gives monotonic
 * nanoseconds; REALTIME is the CMOS RTC read at boot plus monotonic.
 * The same calibration sets the LAPIC timer period for preemption.
 */
#ifndef KEEL_PLATFORM_TIME_H
#define KEEL_PLATFORM_TIME_H

#include <stdint.h>

#include "platform/platform.h" /* time_init, time_monotonic_ns, time_realtime_ns */

#define TIMER_PERIOD_MS 4

/* Seconds since 1970 from the CMOS RTC (read once at boot). */
uint64_t rtc_read_unix(void);
/* Pure: days since 1970-01-01 for a proleptic Gregorian date. */
int64_t rtc_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
