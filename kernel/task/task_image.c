/*
 * Building a task's initial memory: the ELF segments, the TLS block with
 * its TCB (variant II: tdata copy, tbss zeroed, directly below the thread
 * pointer; self pointer at %fs:0 and %fs:0x10, stack canary at %fs:0x28),
 * and the user stack holding argc, argv and the argument strings.
 */
#include <keel/errors.h>

#include "arch/x86_64/random.h"
#include "lib/kstring.h"
#include "mm/phys.h"
#include "mm/pt.h"
#include "mm/uaccess.h"
#include "task/elf.h"
#include "task/layout.h"
#include "task/task.h"

/* Write into pages the loader itself just mapped, whatever their protection. */
static int poke(struct task *t, uint64_t va, const void *src, size_t n)
{
	const uint8_t *s = src;
	while (n) {
		uint64_t pte = pt_get(t->root, va & PAGE_MASK);
		size_t off = va & (PAGE_SIZE - 1), c = PAGE_SIZE - off;
		if (!(pte & PTE_P))
			return KEEL_EFAULT;
		if (c > n)
			c = n;
		memcpy((uint8_t *)phys_to_virt(pte & PTE_ADDR) + off, s, c);
		s += c, va += c, n -= c;
	}
	return 0;
}

int elf_load(struct task *t, const void *data, const struct elf_image *img)
{
	for (unsigned i = 0; i < img->nloads; i++) {
		const struct elf_segment *s = &img->load[i];
		uint64_t first = s->vaddr & PAGE_MASK, end = PAGE_ROUND_UP(s->vaddr + s->memsz);
		uint64_t flags = ((s->flags & ELF_PF_W) ? PTE_W : 0) | ((s->flags & ELF_PF_X) ? 0 : PTE_NX);
		int rc = task_map_anon(t, first, (end - first) / PAGE_SIZE, flags);
		if (rc)
			return rc;
		rc = poke(t, s->vaddr, (const uint8_t *)data + s->offset, s->filesz);
		if (rc)
			return rc;
	}
	return 0;
}

int task_setup_tls(struct task *t, const void *elf, const struct elf_image *img)
{
	uint64_t align = 1, memsz = 0, filesz = 0;
	if (img->has_tls) {
		align = img->tls_align;
		memsz = img->tls.memsz;
		filesz = img->tls.filesz;
	}
	/* The linker placed each variable at tp - round_up(memsz, p_align) + offset (psABI variant II). */
	uint64_t block = (memsz + align - 1) & ~(align - 1);
	uint64_t tp_align = align > 16 ? align : 16;
	uint64_t tp = USER_TLS_BASE + ((block + tp_align - 1) & ~(tp_align - 1));
	uint64_t pages = PAGE_ROUND_UP(tp - USER_TLS_BASE + USER_TCB_SIZE) / PAGE_SIZE;
	int rc = task_map_anon(t, USER_TLS_BASE, pages, PTE_W | PTE_NX);
	if (rc)
		return rc;
	if (filesz && (rc = poke(t, tp - block, (const uint8_t *)elf + img->tls.offset, filesz)))
		return rc;
	uint64_t canary;
	if (random_u64(&canary))
		return KEEL_EAGAIN;
	canary &= ~0xffull; /* a zero low byte stops string overflows, as glibc does */
	if ((rc = poke(t, tp, &tp, 8)) || (rc = poke(t, tp + 0x10, &tp, 8)) ||
	    (rc = poke(t, tp + 0x28, &canary, 8)))
		return rc;
	kmem_wipe(&canary, sizeof(canary));
	t->fs_base = tp;
	return 0;
}

int task_setup_stack(struct task *t, uint64_t *rsp, uint64_t *argc, uint64_t *argv)
{
	uint64_t base = USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE;
	int rc = task_map_anon(t, base, USER_STACK_PAGES, PTE_W | PTE_NX);
	if (rc)
		return rc;
	const char *strs[2] = {t->mt->name, t->mt->arg};
	uint64_t n = t->mt->arg[0] ? 2 : 1, sp = USER_STACK_TOP, ptrs[2];
	for (uint64_t i = 0; i < n; i++) {
		size_t len = strlen(strs[i]) + 1;
		sp -= len;
		if ((rc = copy_to_user(t->root, uaddr_from(sp), strs[i], len)))
			return rc;
		ptrs[i] = sp;
	}
	/* argc, argv[0..n-1], NULL, envp NULL, auxv AT_NULL (2 words): keep RSP 16-aligned. */
	uint64_t words[8] = {n}, nw = 0;
	for (uint64_t i = 0; i < n; i++)
		words[1 + i] = ptrs[i];
	nw = 1 + n + 1 + 1 + 2;
	sp &= ~15ull;
	sp -= nw * 8;
	sp &= ~15ull;
	if ((rc = copy_to_user(t->root, uaddr_from(sp), words, nw * 8)))
		return rc;
	*rsp = sp;
	*argc = n;
	*argv = sp + 8;
	return 0;
}
