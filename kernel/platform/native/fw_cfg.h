/*
 * QEMU's fw_cfg (I/O ports 0x510/0x511, on microvm and q35): how the host
 * hands the native kernel facts nobody measures, e.g. the launch digest
 * (docs/attestation-report.md).
 */
#ifndef KEEL_FW_CFG_H
#define KEEL_FW_CFG_H

#include <stddef.h>

/*
 * Reads the fw_cfg file `name` into buf (at most cap bytes). Its size, or
 * -1 if there is no fw_cfg device or no such file.
 */
long fw_cfg_read_file(const char *name, void *buf, size_t cap);

#endif
