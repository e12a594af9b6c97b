#include "boot_info_check.h"
#include "lib/kprintf.h"
#include "lib/kstring.h"
#include "mm/phys.h"
#include "platform/platform.h"

#define MAX_ENTRIES (KEEL_MEMMAP_PAGES * 4096 / sizeof(struct keel_igvm_memmap_entry))

static _Noreturn void fail(const char *what)
{
	kprintf("keel: boot failed: boot info: %s\n", what);
	platform_exit(1);
}

void boot_info_read(uint64_t gpa, struct boot_state *bs)
{
	static struct keel_igvm_memmap_entry map[MAX_ENTRIES + 1];
	const struct keel_boot_info *bi = phys_to_virt(gpa);
	memcpy(&bs->info, bi, sizeof(*bi));
	if (bs->info.magic != KEEL_BOOT_MAGIC || bs->info.version != KEEL_BOOT_VERSION)
		fail("bad magic or version");
	uint64_t n = bs->info.memmap_size / sizeof(map[0]);
	if (n > MAX_ENTRIES)
		n = MAX_ENTRIES;
	memcpy(map, phys_to_virt(bs->info.memmap_gpa), n * sizeof(map[0]));
	map[n].number_of_pages = 0;
	uint64_t bundle_end = bs->info.bundle_gpa + bs->info.bundle_size;
	uint64_t kernel_end = bs->info.kernel_gpa + bs->info.kernel_size;
	if (bundle_end < bs->info.bundle_gpa || kernel_end < bs->info.kernel_gpa)
		fail("bundle or kernel range overflows");
	uint64_t floor = bundle_end > kernel_end ? bundle_end : kernel_end;
	bs->nram = memmap_ranges(map, n, 0, bs->ram, BOOT_MAX_RANGES);
	bs->nusable = memmap_ranges(map, n, floor, bs->usable, BOOT_MAX_RANGES);
	if (bs->nram <= 0 || bs->nusable <= 0)
		fail("memory map has no usable RAM above the bundle, or is malformed");
	int covered = 0;
	for (int i = 0; i < bs->nram; i++)
		covered |= bs->info.bundle_gpa >= bs->ram[i].start && bundle_end <= bs->ram[i].end;
	if (!covered)
		fail("the bundle is not in RAM");
}
