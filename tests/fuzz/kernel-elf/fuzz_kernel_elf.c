/*
 * libFuzzer target: the kernel's ELF checker (kernel/task/elf.c, built for
 * the host as tests/unit/kernel/test_elf.c does). Whatever the bytes, it
 * must not read outside them, and an image it accepts must keep every
 * promise task_image.c relies on: each PT_LOAD's file bytes inside the
 * file and no larger than its memory, inside the image region, not W+X,
 * no two segments sharing a page, the entry in an executable segment, and
 * a PT_TLS within the file with a power-of-two alignment of at most a page.
 * A refusal must say why. tests/hosted/fuzz-kernel-elf.sh runs it briefly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "task/elf.h"
#include "task/layout.h"

void console_write(const char *s, size_t n);
void console_write(const char *s, size_t n)
{
	(void)s;
	(void)n;
}

#define PAGE 4096ull

static void check_in_file(const struct elf_segment *s, size_t size)
{
	if (s->filesz > s->memsz || s->offset > size || s->filesz > size - s->offset)
		abort();
}

static void check_image(const struct elf_image *img, size_t size)
{
	if (img->nloads == 0 || img->nloads > ELF_MAX_LOADS)
		abort();
	int entry_ok = 0;
	for (unsigned i = 0; i < img->nloads; i++) {
		const struct elf_segment *s = &img->load[i];
		check_in_file(s, size);
		if (!s->memsz || s->vaddr < USER_IMAGE_MIN || s->vaddr >= USER_HEAP_BASE ||
		    s->memsz > USER_HEAP_BASE - s->vaddr)
			abort();
		if ((s->flags & ELF_PF_W) && (s->flags & ELF_PF_X))
			abort();
		if (s->vaddr % PAGE != s->offset % PAGE)
			abort();
		uint64_t a0 = s->vaddr & ~(PAGE - 1), a1 = (s->vaddr + s->memsz + PAGE - 1) & ~(PAGE - 1);
		for (unsigned j = 0; j < i; j++) {
			const struct elf_segment *o = &img->load[j];
			uint64_t b0 = o->vaddr & ~(PAGE - 1), b1 = (o->vaddr + o->memsz + PAGE - 1) & ~(PAGE - 1);
			if (a0 < b1 && b0 < a1)
				abort();
		}
		if ((s->flags & ELF_PF_X) && img->entry >= s->vaddr && img->entry - s->vaddr < s->memsz)
			entry_ok = 1;
	}
	if (!entry_ok)
		abort();
	if (img->has_tls) {
		check_in_file(&img->tls, size);
		if (!img->tls_align || (img->tls_align & (img->tls_align - 1)) || img->tls_align > PAGE ||
		    img->tls.memsz > (1ull << 20))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image img;
	char err[160];
	/* An exact-size copy, so ASan sees any read past the end of the file. */
	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	err[0] = '\0';
	if (elf_parse(copy, size, &img, err, sizeof(err)) == 0)
		check_image(&img, size);
	else if (!err[0] || !memchr(err, '\0', sizeof(err)))
		abort();
	free(copy);
	return 0;
}
