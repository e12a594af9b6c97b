/*
 * ELF64 task images: parse and check everything first (elf_parse, pure,
 * host-tested), then map (elf_load). Static x86-64 executables only;
 * every PT_LOAD in the image region, no segment both writable and
 * executable, no two segments sharing a page.
 */
#ifndef KEEL_TASK_ELF_H
#define KEEL_TASK_ELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_LOADS 8
#define ELF_PF_X 1u
#define ELF_PF_W 2u
#define ELF_PF_R 4u

struct elf_segment {
	uint64_t vaddr, memsz, offset, filesz;
	uint32_t flags;
};

struct elf_image {
	uint64_t entry;
	unsigned nloads;
	struct elf_segment load[ELF_MAX_LOADS];
	int has_tls;
	struct elf_segment tls;
	uint64_t tls_align;
};

/* 0, or -1 with the reason in `err`. */
int elf_parse(const void *data, size_t size, struct elf_image *img, char *err, size_t err_len);

struct task;
/* Map the parsed image into `t` (charging its memory); 0 or KEEL_ENOMEM. */
int elf_load(struct task *t, const void *data, const struct elf_image *img);

#endif
