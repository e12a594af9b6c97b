/* Kernel ELF64 to a flat physical image; see kernel_elf.h. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_elf.h"
#include "keel/boot_info.h"

#define KERNEL_MAX_SPAN (512ull << 20)
#define PAGE 4096ull

static int fail(char *err, size_t n, const char *msg, unsigned long long v)
{
	snprintf(err, n, "kernel ELF: %s (%#llx)", msg, v);
	return -1;
}

static int check_header(const Elf64_Ehdr *eh, size_t len, char *err, size_t n)
{
	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return fail(err, n, "not an ELF file", len);
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(err, n, "not a little-endian ELF64", eh->e_ident[EI_CLASS]);
	if (eh->e_machine != EM_X86_64)
		return fail(err, n, "e_machine is not x86-64", eh->e_machine);
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0)
		return fail(err, n, "bad e_phentsize or no program headers", eh->e_phentsize);
	if (eh->e_phoff > len || (len - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum)
		return fail(err, n, "program headers past the end of the file", eh->e_phoff);
	return 0;
}

static int check_segment(const Elf64_Phdr *ph, size_t len, char *err, size_t n)
{
	if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset)
		return fail(err, n, "PT_LOAD file range past the end of the file", ph->p_offset);
	if (ph->p_filesz > ph->p_memsz)
		return fail(err, n, "PT_LOAD p_filesz larger than p_memsz", ph->p_filesz);
	if (ph->p_paddr < KEEL_GPA_KERNEL || ph->p_memsz > KERNEL_MAX_SPAN ||
	    ph->p_paddr > KEEL_GPA_KERNEL + KERNEL_MAX_SPAN)
		return fail(err, n, "PT_LOAD p_paddr outside [16 MiB, 16 MiB + 512 MiB)", ph->p_paddr);
	if (ph->p_vaddr != KEEL_KERNEL_VBASE + ph->p_paddr)
		return fail(err, n, "PT_LOAD p_vaddr is not KEEL_KERNEL_VBASE + p_paddr",
			    ph->p_vaddr);
	return 0;
}

/* Two PT_LOAD segments sharing physical bytes make the image ambiguous. */
static int overlaps_earlier(const uint8_t *elf, const Elf64_Ehdr *eh, unsigned upto,
			    const Elf64_Phdr *ph, char *err, size_t n)
{
	for (unsigned j = 0; j < upto; j++) {
		Elf64_Phdr o;
		memcpy(&o, elf + eh->e_phoff + j * sizeof(o), sizeof(o));
		if (o.p_type == PT_LOAD && o.p_memsz != 0 && o.p_paddr < ph->p_paddr + ph->p_memsz &&
		    ph->p_paddr < o.p_paddr + o.p_memsz)
			return fail(err, n, "PT_LOAD segments overlap", ph->p_paddr);
	}
	return 0;
}

/* Bounds of all PT_LOAD segments; 0 segments is an error. */
static int span(const uint8_t *elf, const Elf64_Ehdr *eh, size_t len, uint64_t *lo,
		uint64_t *hi, char *err, size_t n)
{
	*lo = UINT64_MAX;
	*hi = 0;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, elf + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (check_segment(&ph, len, err, n) || overlaps_earlier(elf, eh, i, &ph, err, n))
			return -1;
		if (ph.p_paddr < *lo)
			*lo = ph.p_paddr;
		if (ph.p_paddr + ph.p_memsz > *hi)
			*hi = ph.p_paddr + ph.p_memsz;
	}
	if (*hi == 0)
		return fail(err, n, "no PT_LOAD segment", 0);
	*lo &= ~(PAGE - 1);
	*hi = (*hi + PAGE - 1) & ~(PAGE - 1);
	if (*hi - *lo > KERNEL_MAX_SPAN)
		return fail(err, n, "PT_LOAD segments span more than 512 MiB", *hi - *lo);
	return 0;
}

static int entry_in_segment(const uint8_t *elf, const Elf64_Ehdr *eh)
{
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, elf + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_LOAD && eh->e_entry >= ph.p_vaddr &&
		    eh->e_entry - ph.p_vaddr < ph.p_memsz && (ph.p_flags & PF_X))
			return 1;
	}
	return 0;
}

int kernel_elf_load(struct kernel_image *k, const uint8_t *elf, size_t len, char *err,
		    size_t err_len)
{
	Elf64_Ehdr eh;
	uint64_t lo, hi;

	memset(k, 0, sizeof(*k));
	if (len < sizeof(eh))
		return fail(err, err_len, "file shorter than an ELF header", len);
	memcpy(&eh, elf, sizeof(eh));
	if (check_header(&eh, len, err, err_len) || span(elf, &eh, len, &lo, &hi, err, err_len))
		return -1;
	if (!entry_in_segment(elf, &eh))
		return fail(err, err_len, "e_entry is not inside an executable PT_LOAD", eh.e_entry);
	uint8_t *img = calloc(1, hi - lo);
	if (!img)
		return fail(err, err_len, "out of memory", hi - lo);
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, elf + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_LOAD && ph.p_memsz != 0)
			memcpy(img + (ph.p_paddr - lo), elf + ph.p_offset, ph.p_filesz);
	}
	k->gpa = lo;
	k->size = hi - lo;
	k->entry = eh.e_entry;
	k->bytes = img;
	return 0;
}

void kernel_image_free(struct kernel_image *k)
{
	free(k->bytes);
	memset(k, 0, sizeof(*k));
}
