#include <keel/boot_info.h>

#include "arch/x86_64/cpu.h"
#include "lib/panic.h"
#include "mm/frame.h"
#include "mm/kernel_vm.h"
#include "mm/phys.h"
#include "mm/pt.h"

#define KSTACK_BASE 0xffffff0000000000ull
#define KSTACK_SLOT (2 * KSTACK_PAGES * PAGE_SIZE) /* lower half of each slot stays unmapped */
#define KSTACK_SLOTS 64
#define MMIO_BASE 0xfffffe8000000000ull
#define MMIO_LIMIT (MMIO_BASE + (1ull << 30))
#define TWO_MB (2ull << 20)

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __kernel_end[];

uint64_t phys_base;
static uint64_t root;
static uint64_t kstack_used; /* bitmap of KSTACK_SLOTS */
static uint64_t mmio_next = MMIO_BASE;

uint64_t kernel_vm_root(void)
{
	return root;
}

static void map_or_die(uint64_t va, uint64_t pa, uint64_t flags)
{
	if (pt_map(root, va, pa, flags))
		panic("kvm: cannot map %lx", va);
}

static void map_image(const char *start, const char *end, uint64_t flags)
{
	for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += PAGE_SIZE)
		map_or_die(va, va - KEEL_KERNEL_VBASE, flags);
}

static void map_direct(const struct mem_range *r)
{
	uint64_t pa = r->start;
	while (pa < r->end) {
		uint64_t va = KEEL_DIRECT_MAP_BASE + pa;
		if (!(pa & (TWO_MB - 1)) && r->end - pa >= TWO_MB) {
			if (pt_map_2m(root, va, pa, PTE_W | PTE_NX))
				panic("kvm: direct map at %lx", pa);
			pa += TWO_MB;
		} else {
			map_or_die(va, pa, PTE_W | PTE_NX);
			pa += PAGE_SIZE;
		}
	}
}

/* Create the top-level entry for a kernel region so every task shares it. */
static void reserve_pml4(uint64_t va)
{
	uint64_t *t = phys_to_virt(root);
	unsigned i = (unsigned)((va >> 39) & 511);
	if (t[i] & PTE_P)
		return;
	uint64_t pa = frame_alloc();
	if (!pa)
		panic("kvm: out of memory");
	t[i] = pa | PTE_P | PTE_W;
}

void kernel_vm_init(const struct mem_range *ram, size_t n)
{
	root = frame_alloc();
	if (!root || root >= (4ull << 30))
		panic("kvm: no low frame for the kernel page tables");
	map_image(__text_start, __text_end, 0);
	map_image(__rodata_start, __rodata_end, PTE_NX);
	map_image(__data_start, __kernel_end, PTE_W | PTE_NX);
	for (size_t i = 0; i < n; i++)
		map_direct(&ram[i]);
	reserve_pml4(KEEL_DIRECT_MAP_BASE);
	reserve_pml4(KSTACK_BASE);
	reserve_pml4(MMIO_BASE);
	write_cr3(root);
	phys_base = KEEL_DIRECT_MAP_BASE;
}

uint64_t kstack_alloc(void)
{
	for (unsigned s = 0; s < KSTACK_SLOTS; s++) {
		if (kstack_used & (1ull << s))
			continue;
		uint64_t top = KSTACK_BASE + (s + 1) * KSTACK_SLOT;
		for (unsigned p = 1; p <= KSTACK_PAGES; p++) {
			uint64_t pa = frame_alloc();
			if (!pa || pt_map(root, top - p * PAGE_SIZE, pa, PTE_W | PTE_NX | PTE_OWNED)) {
				frame_free(pa);
				kstack_used |= 1ull << s;
				kstack_free(top);
				return 0;
			}
		}
		kstack_used |= 1ull << s;
		return top;
	}
	return 0;
}

void kstack_free(uint64_t top)
{
	unsigned s = (unsigned)((top - KSTACK_BASE) / KSTACK_SLOT) - 1;
	if (top < KSTACK_BASE + KSTACK_SLOT || s >= KSTACK_SLOTS)
		panic("kstack_free: bad stack %lx", top);
	for (unsigned p = 1; p <= KSTACK_PAGES; p++) {
		uint64_t old = pt_unmap(root, top - p * PAGE_SIZE);
		if (old & PTE_P) {
			invlpg(top - p * PAGE_SIZE);
			frame_free(old & PTE_ADDR);
		}
	}
	kstack_used &= ~(1ull << s);
}

void *kernel_vm_map_mmio(uint64_t pa, size_t size)
{
	uint64_t off = pa & (PAGE_SIZE - 1), va = mmio_next;
	uint64_t len = PAGE_ROUND_UP(size + off);
	if (!size || len > MMIO_LIMIT - mmio_next)
		return NULL;
	for (uint64_t o = 0; o < len; o += PAGE_SIZE)
		if (pt_map(root, va + o, (pa & PAGE_MASK) + o, PTE_W | PTE_NX | PTE_PCD | PTE_PWT))
			return NULL;
	mmio_next += len;
	return (void *)(va + off);
}
