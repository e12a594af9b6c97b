/* blkdev's log lines (keel_log, one line each, printf format). */
#ifndef BLKDEV_LOG_H
#define BLKDEV_LOG_H

void blk_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
