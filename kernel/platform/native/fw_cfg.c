/* QEMU fw_cfg, legacy I/O interface (QEMU docs/specs/fw_cfg.rst). */
#include "arch/x86_64/cpu.h"
#include "lib/kstring.h"
#include "platform/native/fw_cfg.h"
#include <stdint.h>

#define FW_CFG_PORT_SEL 0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_FILE_DIR 0x0019
#define FW_CFG_NAME_LEN 56

static void fw_read(void *buf, size_t n)
{
	uint8_t *p = buf;
	for (size_t i = 0; i < n; i++)
		p[i] = inb(FW_CFG_PORT_DATA);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

long fw_cfg_read_file(const char *name, void *buf, size_t cap)
{
	uint8_t sig[4], cnt[4], ent[64];
	uint32_t n;
	outw(FW_CFG_PORT_SEL, FW_CFG_SIGNATURE);
	fw_read(sig, 4);
	if (memcmp(sig, "QEMU", 4)) /* no device: the port reads 0xff */
		return -1;
	outw(FW_CFG_PORT_SEL, FW_CFG_FILE_DIR);
	fw_read(cnt, 4);
	n = be32(cnt);
	for (uint32_t i = 0; i < n && i < 4096; i++) {
		fw_read(ent, sizeof(ent)); /* size be32, select be16, reserved, name[56] */
		ent[63] = 0;
		if (strcmp((const char *)ent + 8, name))
			continue;
		uint32_t size = be32(ent);
		uint16_t sel = (uint16_t)(ent[4] << 8 | ent[5]);
		size_t take = size < cap ? size : cap;
		outw(FW_CFG_PORT_SEL, sel);
		fw_read(buf, take);
		return (long)take;
	}
	return -1;
}
