/*
 * Time over KEEL_SYS_TIME (nanoseconds on a Keel clock), and UTC calendar
 * conversion (days-from-civil, H. Hinnant's algorithm). There are no time
 * zones: localtime is UTC and mktime is timegm.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <keel/syscall.h>

static int64_t now_ns(clockid_t id)
{
	uint32_t c;
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		c = KEEL_CLOCK_REALTIME;
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		c = KEEL_CLOCK_MONOTONIC;
		break;
	default:
		return KEEL_EINVAL;
	}
	return keel_time(c);
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	int64_t ns = now_ns(id);
	if (ns < 0) {
		errno = EINVAL;
		return -1;
	}
	ts->tv_sec = ns / 1000000000;
	ts->tv_nsec = ns % 1000000000;
	return 0;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	struct timespec ts;
	(void)tz;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

time_t time(time_t *out)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return (time_t)-1;
	if (out)
		*out = ts.tv_sec;
	return ts.tv_sec;
}

/* CPU time approximated by monotonic time since the first call. */
clock_t clock(void)
{
	static int64_t start = -1;
	int64_t ns = now_ns(CLOCK_MONOTONIC);
	if (ns < 0)
		return (clock_t)-1;
	if (start < 0)
		start = ns;
	return (clock_t)((ns - start) / (1000000000 / CLOCKS_PER_SEC));
}

/* Yields until `ns` nanoseconds of monotonic time have passed. */
static int wait_ns(int64_t ns)
{
	int64_t start = now_ns(CLOCK_MONOTONIC);
	if (start < 0) {
		errno = ENOSYS;
		return -1;
	}
	for (;;) {
		int64_t t = now_ns(CLOCK_MONOTONIC);
		if (t < 0 || t - start >= ns)
			return 0;
		keel_yield();
	}
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= 1000000000) {
		errno = EINVAL;
		return -1;
	}
	if (rem) {
		rem->tv_sec = 0;
		rem->tv_nsec = 0;
	}
	return wait_ns((int64_t)req->tv_sec * 1000000000 + req->tv_nsec);
}

int usleep(useconds_t us)
{
	return wait_ns((int64_t)us * 1000);
}

unsigned int sleep(unsigned int s)
{
	return wait_ns((int64_t)s * 1000000000) == 0 ? 0 : s;
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

struct tm *gmtime_r(const time_t *t, struct tm *tm)
{
	int64_t secs = *t;
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y - 1900 > INT32_MAX || y - 1900 < INT32_MIN) {
		errno = EOVERFLOW;
		return NULL;
	}
	tm->tm_year = (int)(y - 1900);
	tm->tm_mon = (int)m - 1;
	tm->tm_mday = (int)d;
	tm->tm_hour = (int)(rem / 3600);
	tm->tm_min = (int)(rem % 3600 / 60);
	tm->tm_sec = (int)(rem % 60);
	tm->tm_wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
	tm->tm_yday = (int)(days - days_from_civil(y, 1, 1));
	tm->tm_isdst = 0;
	tm->tm_gmtoff = 0;
	tm->tm_zone = "GMT";
	return tm;
}

struct tm *gmtime(const time_t *t)
{
	static struct tm tm;
	return gmtime_r(t, &tm);
}

struct tm *localtime_r(const time_t *t, struct tm *tm)
{
	return gmtime_r(t, tm);
}

struct tm *localtime(const time_t *t)
{
	return gmtime(t);
}

/* Normalises out-of-range fields like glibc, then converts. */
time_t timegm(struct tm *tm)
{
	int64_t mon = tm->tm_mon;
	int64_t y = (int64_t)tm->tm_year + 1900 + mon / 12;
	mon %= 12;
	if (mon < 0) {
		mon += 12;
		y--;
	}
	int64_t days = days_from_civil(y, (unsigned)mon + 1, 1) + tm->tm_mday - 1;
	int64_t secs = days * 86400 + (int64_t)tm->tm_hour * 3600 + (int64_t)tm->tm_min * 60 +
		       tm->tm_sec;
	time_t t = (time_t)secs;
	if (gmtime_r(&t, tm) == NULL)
		return (time_t)-1;
	return t;
}

time_t mktime(struct tm *tm)
{
	return timegm(tm);
}
