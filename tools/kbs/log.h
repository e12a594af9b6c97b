/* The broker's log: one line per event on stderr, "kbs: " first. Callers
 * never pass key material (docs/kbs.md: detail never contains a key). */
#ifndef KBS_LOG_H
#define KBS_LOG_H

__attribute__((format(printf, 1, 2))) void kbs_log(const char *fmt, ...);

#endif
