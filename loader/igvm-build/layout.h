/*
 * The Keel IGVM layout (docs/boot.md, docs/igvm.md): given the kernel ELF
 * and a packed boot bundle, add every header to an IGVM writer.
 */
#ifndef KEEL_LAYOUT_H
#define KEEL_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "igvm_write.h"

#define LAYOUT_MASK_NATIVE 0x1u
#define LAYOUT_MASK_SNP 0x2u
#define LAYOUT_AREA_MEMMAP 0u
#define LAYOUT_AREA_VPCOUNT 1u
#define LAYOUT_SNP_POLICY 0x30000ull /* SMT allowed, reserved bit 17 set, ABI 0.0 */

struct layout_in {
	const uint8_t *kernel_elf;
	size_t kernel_elf_len;
	const uint8_t *bundle;
	size_t bundle_len;
	int snp; /* also emit the SEV_SNP platform */
};

/* 0, or -1 with a message in `err`. */
int layout_build(struct igvm_writer *w, const struct layout_in *in, char *err, size_t err_len);

#endif
