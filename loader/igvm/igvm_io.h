/* Host helpers shared by the IGVM tools: whole-file read and write. */
#ifndef KEEL_IGVM_IO_H
#define KEEL_IGVM_IO_H

#include <stddef.h>
#include <stdint.h>

/* Read all of `path` (at most `max` bytes) into a malloc'd buffer. 0 or -1
 * with a message naming the file in `err`. */
int igvm_read_file(const char *path, size_t max, uint8_t **buf, size_t *len, char *err,
		   size_t err_len);
int igvm_write_file(const char *path, const void *buf, size_t len, char *err, size_t err_len);

#endif
