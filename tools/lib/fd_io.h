/*
 * Whole-buffer I/O for the host tools (keel-svsm-call, keel-varctl,
 * keel-tpm-serial): all n bytes or failure, EINTR retried, no SIGPIPE on
 * a socket whose peer left.
 */
#ifndef KEEL_TOOLS_FD_IO_H
#define KEEL_TOOLS_FD_IO_H

#include <stddef.h>

/* 0 when all n bytes went out, -1 on an error or a peer that stopped taking them. */
int fd_write_all(int fd, const void *p, size_t n);
/* 0 when exactly n bytes came in, -1 on an error or end of file first. */
int fd_read_all(int fd, void *p, size_t n);

#endif
