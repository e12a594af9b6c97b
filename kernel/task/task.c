#include <keel/errors.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/trap.h"
#include "ipc/chan.h"
#include "ipc/irq.h"
#include "lib/kprintf.h"
#include "lib/kstring.h"
#include "mm/frame.h"
#include "mm/kernel_vm.h"
#include "mm/phys.h"
#include "mm/pt.h"
#include "task/elf.h"
#include "task/guest.h"
#include "task/layout.h"
#include "task/sched.h"
#include "task/task.h"

struct task tasks[TASK_MAX];
unsigned task_count;

int task_charge(struct task *t, uint64_t pages)
{
	if (pages > t->mem_limit_pages - t->mem_pages)
		return KEEL_ENOMEM;
	t->mem_pages += pages;
	return 0;
}

void task_uncharge(struct task *t, uint64_t pages)
{
	t->mem_pages -= pages < t->mem_pages ? pages : t->mem_pages;
}

int task_map_anon(struct task *t, uint64_t va, uint64_t pages, uint64_t flags)
{
	int rc = task_charge(t, pages);
	if (rc)
		return rc;
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t pa = frame_alloc();
		rc = pa ? pt_map(t->root, va + i * PAGE_SIZE, pa, flags | PTE_U | PTE_OWNED) : KEEL_ENOMEM;
		if (rc) {
			frame_free(pa);
			for (uint64_t j = 0; j < i; j++) /* undo: all or nothing */
				frame_free(pt_unmap(t->root, va + j * PAGE_SIZE) & PTE_ADDR);
			task_uncharge(t, pages);
			return rc;
		}
	}
	return 0;
}

static int new_address_space(struct task *t)
{
	t->root = frame_alloc();
	if (!t->root)
		return KEEL_ENOMEM;
	uint64_t *dst = phys_to_virt(t->root), *src = phys_to_virt(kernel_vm_root());
	for (unsigned i = 256; i < 512; i++)
		dst[i] = src[i];
	return 0;
}

/* The first kernel stack: a user-entry trap frame, and a switch frame that returns into trap_return. */
static void prepare_kernel_stack(struct task *t, uint64_t entry, uint64_t rsp, uint64_t argc, uint64_t argv)
{
	struct trap_frame *f = (struct trap_frame *)(t->kstack_top - sizeof(*f));
	memset(f, 0, sizeof(*f));
	f->rip = entry;
	f->cs = GDT_UCODE;
	f->rflags = RFLAGS_IF | 0x2;
	f->rsp = rsp;
	f->ss = GDT_UDATA;
	f->rdi = argc;
	f->rsi = argv;
	uint64_t *sw = (uint64_t *)f - 7;
	memset(sw, 0, 6 * sizeof(uint64_t)); /* r15, r14, r13, r12, rbp, rbx */
	sw[6] = (uint64_t)trap_return;
	t->ksp = (uint64_t)sw;
}

/* The guest (task/guest.h): its own memory layout and entry registers, no TLS, no argv. */
static int build_guest(struct task *t, const void *elf, size_t size, char *err, size_t err_len)
{
	uint64_t entry, rsp, rdi, rsi;
	if (guest_load(t, elf, size, &entry, &rsp, &rdi, &rsi, err, err_len))
		return -1;
	fpu_init_state(&t->fpu);
	prepare_kernel_stack(t, entry, rsp, rdi, rsi);
	return 0;
}

static int build(struct task *t, const void *elf, size_t size, char *err, size_t err_len)
{
	struct elf_image img;
	uint64_t rsp, argc, argv;
	if (new_address_space(t) || !(t->kstack_top = kstack_alloc()))
		return ksnprintf(err, err_len, "out of kernel memory"), -1;
	if (t->mt->kind == MANIFEST_KIND_GUEST)
		return build_guest(t, elf, size, err, err_len);
	if (elf_parse(elf, size, &img, err, err_len))
		return -1;
	if (elf_load(t, elf, &img))
		return ksnprintf(err, err_len, "image does not fit in its memory limit"), -1;
	if (task_setup_tls(t, elf, &img))
		return ksnprintf(err, err_len, "TLS does not fit in its memory limit"), -1;
	if (task_setup_stack(t, &rsp, &argc, &argv))
		return ksnprintf(err, err_len, "stack does not fit in its memory limit"), -1;
	fpu_init_state(&t->fpu);
	prepare_kernel_stack(t, img.entry, rsp, argc, argv);
	return 0;
}

int task_create(unsigned id, const struct manifest_task *mt, const void *elf, size_t size, char *err,
		size_t err_len)
{
	struct task *t = &tasks[id];
	char why[96];
	memset(t, 0, sizeof(*t));
	kstr_copy(t->name, mt->name, sizeof(t->name));
	t->id = id;
	t->mt = mt;
	t->mem_limit_pages = mt->memory / PAGE_SIZE;
	t->heap_next = USER_HEAP_BASE;
	handle_table_init(&t->handles);
	if (build(t, elf, size, why, sizeof(why))) {
		ksnprintf(err, err_len, "task '%s': binary '%s': %s", mt->name, mt->binary, why);
		return -1;
	}
	t->state = TASK_READY;
	return 0;
}

static void release(struct task *t)
{
	for (unsigned s = 0; s < KEEL_MAX_HANDLES; s++) {
		uint8_t type;
		void *obj;
		if (handle_remove(&t->handles, KEEL_HANDLE_MAKE(s, t->handles.slot[s].gen), &type, &obj))
			continue;
		if (type == HANDLE_CHAN_END)
			chan_end_close(obj);
		else if (type == HANDLE_IRQ)
			irq_release(obj);
	}
	if (t->root) {
		write_cr3(kernel_vm_root()); /* never free the tables we are running on */
		pt_destroy_user(t->root);
		t->root = 0;
	}
	t->mem_pages = 0;
}

_Noreturn void task_end_current(enum task_outcome how, int status)
{
	struct task *t = sched_current();
	t->outcome = how;
	t->exit_status = status;
	if (how == OUTCOME_EXITED)
		kprintf("keel: task '%s' exited with status %d\n", t->name, status);
	release(t);
	sched_exit_current();
}
