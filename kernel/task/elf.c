/* ELF64 header and program-header checks (System V gABI, x86-64 psABI). */
#include "lib/kprintf.h"
#include "lib/kstring.h"
#include "task/elf.h"
#include "task/layout.h"

#define PT_LOAD 1u
#define PT_TLS 7u
#define ET_EXEC 2u
#define EM_X86_64 62u
#define PAGE 4096ull

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header");

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header");

#define FAIL(...)                                          \
	do {                                               \
		ksnprintf(err, err_len, __VA_ARGS__);      \
		return -1;                                 \
	} while (0)

static int check_header(const struct elf64_ehdr *h, size_t size, char *err, size_t err_len)
{
	static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};
	if (memcmp(h->ident, magic, 4))
		FAIL("not an ELF file");
	if (h->ident[4] != 2 || h->ident[5] != 1 || h->ident[6] != 1)
		FAIL("not a little-endian ELF64 version 1 file");
	if (h->type != ET_EXEC || h->machine != EM_X86_64)
		FAIL("not a static x86-64 executable (type %u, machine %u)", h->type, h->machine);
	if (h->phentsize != sizeof(struct elf64_phdr) || h->phnum == 0 || h->phnum > 32)
		FAIL("bad program header table (entsize %u, count %u)", h->phentsize, h->phnum);
	if (h->phoff > size || (uint64_t)h->phnum * sizeof(struct elf64_phdr) > size - h->phoff)
		FAIL("program headers beyond the file");
	return 0;
}

static int check_segment(const struct elf64_phdr *p, size_t size, int is_load, char *err, size_t err_len)
{
	if (p->filesz > p->memsz)
		FAIL("segment at %lx: file size exceeds memory size", p->vaddr);
	if (p->offset > size || p->filesz > size - p->offset)
		FAIL("segment at %lx: data beyond the file", p->vaddr);
	if (!is_load)
		return 0; /* PT_TLS: only its file bytes are used (copied into the TLS block) */
	if (p->vaddr < USER_IMAGE_MIN || p->vaddr > USER_HEAP_BASE || p->memsz > USER_HEAP_BASE - p->vaddr)
		FAIL("segment at %lx size %lx outside the task image region", p->vaddr, p->memsz);
	if ((p->flags & ELF_PF_W) && (p->flags & ELF_PF_X))
		FAIL("segment at %lx is writable and executable (W^X)", p->vaddr);
	if ((p->vaddr % PAGE) != (p->offset % PAGE))
		FAIL("segment at %lx: address and file offset disagree modulo the page size", p->vaddr);
	return 0;
}

static int pages_overlap(const struct elf_segment *a, const struct elf_segment *b)
{
	uint64_t a0 = a->vaddr & ~(PAGE - 1), a1 = (a->vaddr + a->memsz + PAGE - 1) & ~(PAGE - 1);
	uint64_t b0 = b->vaddr & ~(PAGE - 1), b1 = (b->vaddr + b->memsz + PAGE - 1) & ~(PAGE - 1);
	return a0 < b1 && b0 < a1;
}

static int add_load(struct elf_image *img, const struct elf64_phdr *p, char *err, size_t err_len)
{
	struct elf_segment s = {p->vaddr, p->memsz, p->offset, p->filesz, p->flags};
	if (p->memsz == 0)
		return 0;
	if (img->nloads >= ELF_MAX_LOADS)
		FAIL("more than %d PT_LOAD segments", ELF_MAX_LOADS);
	for (unsigned i = 0; i < img->nloads; i++)
		if (pages_overlap(&img->load[i], &s))
			FAIL("segments at %lx and %lx share a page", img->load[i].vaddr, s.vaddr);
	img->load[img->nloads++] = s;
	return 0;
}

static int set_tls(struct elf_image *img, const struct elf64_phdr *p, char *err, size_t err_len)
{
	uint64_t align = p->align ? p->align : 1;
	if (img->has_tls)
		FAIL("more than one PT_TLS");
	if (align & (align - 1) || align > PAGE)
		FAIL("PT_TLS alignment %lx", p->align);
	if (p->memsz > (1ull << 20))
		FAIL("PT_TLS larger than 1 MiB");
	img->has_tls = 1;
	img->tls = (struct elf_segment){p->vaddr, p->memsz, p->offset, p->filesz, p->flags};
	img->tls_align = align;
	return 0;
}

static int entry_is_code(const struct elf_image *img)
{
	for (unsigned i = 0; i < img->nloads; i++) {
		const struct elf_segment *s = &img->load[i];
		if ((s->flags & ELF_PF_X) && img->entry >= s->vaddr && img->entry - s->vaddr < s->memsz)
			return 1;
	}
	return 0;
}

int elf_parse(const void *data, size_t size, struct elf_image *img, char *err, size_t err_len)
{
	const struct elf64_ehdr *h = data;
	memset(img, 0, sizeof(*img));
	if (!data || size < sizeof(*h))
		FAIL("file too small for an ELF header");
	if (check_header(h, size, err, err_len))
		return -1;
	const struct elf64_phdr *ph = (const struct elf64_phdr *)((const uint8_t *)data + h->phoff);
	for (unsigned i = 0; i < h->phnum; i++) {
		struct elf64_phdr p;
		memcpy(&p, &ph[i], sizeof(p)); /* phoff may be unaligned */
		if (p.type != PT_LOAD && p.type != PT_TLS)
			continue;
		if (check_segment(&p, size, p.type == PT_LOAD, err, err_len))
			return -1;
		if (p.type == PT_LOAD ? add_load(img, &p, err, err_len) : set_tls(img, &p, err, err_len))
			return -1;
	}
	img->entry = h->entry;
	if (!img->nloads)
		FAIL("no PT_LOAD segment");
	if (!entry_is_code(img))
		FAIL("entry point %lx is not in an executable segment", img->entry);
	return 0;
}
