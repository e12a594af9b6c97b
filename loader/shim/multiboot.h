/*
 * Multiboot v1 (Multiboot Specification 0.6.96, section 3.3): the parts of
 * the boot information structure the shim reads. Addresses are physical;
 * the shim runs with paging off, so they are also pointers.
 */
#ifndef SHIM_MULTIBOOT_H
#define SHIM_MULTIBOOT_H

#include <stdint.h>

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u

#define MULTIBOOT_INFO_MEMORY (1u << 0)
#define MULTIBOOT_INFO_CMDLINE (1u << 2)
#define MULTIBOOT_INFO_MODS (1u << 3)
#define MULTIBOOT_INFO_MEM_MAP (1u << 6)

#define MULTIBOOT_MEMORY_AVAILABLE 1u

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower; /* KiB */
	uint32_t mem_upper; /* KiB above 1 MiB */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count;
	uint32_t mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length;
	uint32_t mmap_addr;
} __attribute__((packed));
_Static_assert(sizeof(struct multiboot_info) == 52, "multiboot_info prefix");

struct multiboot_module {
	uint32_t mod_start;
	uint32_t mod_end; /* exclusive */
	uint32_t string;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct multiboot_module) == 16, "multiboot module");

/* `size` does not count itself: the next entry is at +size+4. */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct multiboot_mmap_entry) == 24, "multiboot mmap entry");

#endif
