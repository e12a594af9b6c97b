/*
 * Loading the guest (task/guest.h) and the router's view of its memory
 * (the svsm/call.h hooks). Guest memory is the task's user half from
 * GUEST_BASE, mapped 1:1, so a GPA is a user address of the guest task.
 */
#include <keel/errors.h>

#include "lib/kprintf.h"
#include "lib/kstring.h"
#include "mm/phys.h"
#include "mm/pt.h"
#include "mm/uaccess.h"
#include "svsm/call.h"
#include "task/elf.h"
#include "task/guest.h"

static struct guest the_guest;


struct task *guest_task(void)
{
	return the_guest.task;
}

static int check_image(const struct elf_image *img, uint64_t top, char *err, size_t err_len)
{
	uint64_t limit = top - GUEST_BOOT_FROM_TOP * PAGE_SIZE - GUEST_STACK_MIN;
	if (img->has_tls)
		return ksnprintf(err, err_len, "a guest has no TLS segment"), -1;
	for (unsigned i = 0; i < img->nloads; i++) {
		const struct elf_segment *s = &img->load[i];
		if (s->vaddr < GUEST_BASE || s->memsz > limit - s->vaddr || s->vaddr > limit)
			return ksnprintf(err, err_len, "segment at %lx not inside guest memory [%lx, %lx)",
					 s->vaddr, (uint64_t)GUEST_BASE, limit),
			       -1;
	}
	return 0;
}

/* The SVSM fields of an SNP secrets page, where Linux's SVSM code reads them. */
static int write_fixed_pages(struct guest *g, const char *arg)
{
	uint8_t s[SECRETS_SVSM_GUEST_VMPL + 4];
	uint64_t top = g->base + g->size, caa = top - GUEST_CA_FROM_TOP * PAGE_SIZE;
	uint32_t version = 3, max_version = 1;
	uint64_t zero = 0;
	memset(s, 0, sizeof(s));
	memcpy(s + SECRETS_VERSION, &version, 4);
	memcpy(s + SECRETS_SVSM_BASE, &zero, 8); /* no SVSM memory inside the guest's GPA range */
	memcpy(s + SECRETS_SVSM_SIZE, &zero, 8);
	memcpy(s + SECRETS_SVSM_CAA, &caa, 8);
	memcpy(s + SECRETS_SVSM_MAX_VERSION, &max_version, 4);
	s[SECRETS_SVSM_GUEST_VMPL] = 2; /* the guest's VMPL on SNP (docs/architecture.md §1) */
	g->caa = caa;
	uint64_t root = g->task->root;
	if (copy_to_user(root, uaddr_from(top - GUEST_SECRETS_FROM_TOP * PAGE_SIZE), s, sizeof(s)))
		return -1;
	return copy_to_user(root, uaddr_from(top - GUEST_BOOT_FROM_TOP * PAGE_SIZE), arg, strlen(arg) + 1);
}

/* Every guest page not holding the image: zeroed, writable, not executable. */
static int map_rest(struct task *t, uint64_t base, uint64_t top)
{
	for (uint64_t va = base; va < top; va += PAGE_SIZE)
		if (!(pt_get(t->root, va) & PTE_P) && task_map_anon(t, va, 1, PTE_W | PTE_NX))
			return -1;
	return 0;
}

int guest_load(struct task *t, const void *elf, size_t size, uint64_t *entry, uint64_t *rsp,
	       uint64_t *rdi, uint64_t *rsi, char *err, size_t err_len)
{
	struct elf_image img;
	uint64_t mem = t->mt->memory, top = GUEST_BASE + mem;
	if (the_guest.task)
		return ksnprintf(err, err_len, "a second guest"), -1;
	if (mem < GUEST_MEM_MIN || mem > GUEST_MEM_MAX)
		return ksnprintf(err, err_len, "guest memory must be 64K..1G"), -1;
	if (elf_parse(elf, size, &img, err, err_len) || check_image(&img, top, err, err_len))
		return -1;
	if (elf_load(t, elf, &img) || map_rest(t, GUEST_BASE, top))
		return ksnprintf(err, err_len, "guest memory does not fit its limit"), -1;
	the_guest = (struct guest){.task = t, .base = GUEST_BASE, .size = mem};
	t->guest = &the_guest;
	if (write_fixed_pages(&the_guest, t->mt->arg))
		return ksnprintf(err, err_len, "cannot write the guest's fixed pages"), -1;
	*entry = img.entry;
	*rsp = top - GUEST_BOOT_FROM_TOP * PAGE_SIZE;
	*rdi = top - GUEST_SECRETS_FROM_TOP * PAGE_SIZE;
	*rsi = top - GUEST_BOOT_FROM_TOP * PAGE_SIZE;
	return 0;
}

/* svsm/call.h hooks: guest memory the SVSM may read and write. */
int svsm_gmem_check(uint64_t gpa, uint64_t len)
{
	struct guest *g = &the_guest;
	if (!g->task || !len || gpa < g->base || gpa - g->base > g->size || len > g->size - (gpa - g->base))
		return -1;
	return uaccess_check(g->task->root, uaddr_from(gpa), len, UACCESS_WRITE) ? -1 : 0;
}

int svsm_gmem_read(uint64_t gpa, void *dst, size_t len)
{
	if (svsm_gmem_check(gpa, len))
		return -1;
	return copy_from_user(the_guest.task->root, dst, uaddr_from(gpa), len) ? -1 : 0;
}

int svsm_gmem_write(uint64_t gpa, const void *src, size_t len)
{
	if (svsm_gmem_check(gpa, len))
		return -1;
	return copy_to_user(the_guest.task->root, uaddr_from(gpa), src, len) ? -1 : 0;
}

void svsm_set_calling_area(uint64_t gpa)
{
	the_guest.caa = gpa;
}
