/*
 * The kernel ELF as igvm-build needs it: PT_LOAD segments at their physical
 * addresses (p_paddr), flattened into one page-aligned image. Every field
 * read from the file is checked against the file size first.
 */
#ifndef KEEL_KERNEL_ELF_H
#define KEEL_KERNEL_ELF_H

#include <stddef.h>
#include <stdint.h>

struct kernel_image {
	uint64_t gpa;   /* first byte, page aligned */
	uint64_t size;  /* page-rounded, .bss included */
	uint64_t entry; /* virtual entry point (ELF e_entry) */
	uint8_t *bytes; /* `size` bytes, malloc'd */
};

/* 0, or -1 with a message naming the field in `err`. */
int kernel_elf_load(struct kernel_image *k, const uint8_t *elf, size_t len, char *err,
		    size_t err_len);
void kernel_image_free(struct kernel_image *k);

#endif
