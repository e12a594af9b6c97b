/*
 * keel-shim: loads an IGVM file under a QEMU without IGVM support.
 * QEMU boots this 32-bit multiboot image with `-kernel`; the IGVM file is
 * the first multiboot module (`-initrd`). See docs/shim.md.
 *
 * Order matters: everything read from multiboot structures (memory map,
 * module list, command line) is copied into the shim before any guest page
 * is written, since those structures may lie where IGVM pages go.
 */
#include <string.h>

#include "console.h"
#include "enter.h"
#include "igvm_parse.h"
#include "load.h"
#include "multiboot.h"
#include "ram.h"

#define PAGE 4096ull
#define MOVE_ALIGN 0x200000ull
#define CMDLINE_MAX 256

extern char shim_image_end[];

void shim_main(uint32_t magic, const struct multiboot_info *mbi);

static struct ram_map ram;
static struct igvm_file igvm;
static IgvmNativeVpContextX64 vp;
static char cmdline[CMDLINE_MAX];

/* The parser's status names: stable words for people and tests to match. */
static const char *status_name(int code)
{
	static const char *const names[] = {
	    "OK",          "TRUNCATED",     "MAGIC",     "VERSION",          "SIZE",
	    "CHECKSUM",    "HEADER_BOUNDS", "ALIGNMENT", "UNKNOWN_REQUIRED", "SECTION_ORDER",
	    "DATA_BOUNDS", "OVERLAP",       "PLATFORM",  "PARAMETER",        "FIELD",
	    "LIMIT",
	};

	if (code > 0 || -code >= (int)(sizeof(names) / sizeof(names[0])))
		return "UNKNOWN";
	return names[-code];
}

static void parse_or_fail(const void *buf, uint32_t size)
{
	struct igvm_error err;
	int rc = igvm_parse(&igvm, buf, size, &err);

	if (rc != IGVM_OK)
		shim_fail("IGVM file rejected: %s (IGVM_ERR_%s, header at file offset 0x%x)",
		          err.msg ? err.msg : "unknown error", status_name(rc), err.offset);
}

static void take_module(const struct multiboot_info *mbi, uint32_t *start, uint32_t *size)
{
	const struct multiboot_module *mod;

	if (!(mbi->flags & MULTIBOOT_INFO_MODS) || mbi->mods_count == 0)
		shim_fail("no multiboot module: pass the IGVM file with -initrd");
	mod = (const void *)(uintptr_t)mbi->mods_addr;
	if (mod->mod_end <= mod->mod_start)
		shim_fail("multiboot module 0 is empty (0x%x-0x%x)", mod->mod_start, mod->mod_end);
	*start = mod->mod_start;
	*size = mod->mod_end - mod->mod_start;
	if (mbi->mods_count > 1)
		console_printf("keel-shim: warning: %u modules, using the first\n",
		               mbi->mods_count);
}

/* QEMU (like GRUB) starts the multiboot command line with the kernel's path: drop it. */
static void take_cmdline(const struct multiboot_info *mbi)
{
	const char *src;

	if (!(mbi->flags & MULTIBOOT_INFO_CMDLINE) || !mbi->cmdline)
		return;
	src = (const char *)(uintptr_t)mbi->cmdline;
	while (*src && *src != ' ')
		src++;
	while (*src == ' ')
		src++;
	memcpy(cmdline, src, strnlen(src, CMDLINE_MAX - 1));
}

/*
 * Moves the module above every target range (and above the shim) if it is
 * in the way, then parses it again at its new place.
 */
static void move_module(uint32_t start, uint32_t size, const struct load_plan *plan)
{
	uint64_t min = plan->highest_end;
	uint64_t dest;

	if ((uintptr_t)shim_image_end > min)
		min = (uintptr_t)shim_image_end;
	dest = ram_find(&ram, min, size, MOVE_ALIGN);
	if (dest == 0)
		dest = ram_find(&ram, min, size, PAGE);
	if (dest == 0)
		shim_fail("no RAM below 4 GiB above 0x%llx for the %u-byte IGVM file",
		          (unsigned long long)min, size);
	console_printf(
	    "keel-shim: moved IGVM file from 0x%x to 0x%llx (it overlapped target pages)\n", start,
	    (unsigned long long)dest);
	memmove((void *)(uintptr_t)dest, (const void *)(uintptr_t)start, size);
	parse_or_fail((const void *)(uintptr_t)dest, size);
}

/* "keel-shim.entry=snp-stub" anywhere on the command line (a test path). */
static int want_snp_stub(void)
{
	static const char key[] = "keel-shim.entry=snp-stub";
	for (const char *p = cmdline; *p; p++)
		if (strncmp(p, key, sizeof(key) - 1) == 0)
			return 1;
	return 0;
}

void shim_main(uint32_t magic, const struct multiboot_info *mbi)
{
	struct load_plan plan;
	uint32_t mod_start, mod_size;

	console_init();
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		shim_fail("not started by a multiboot loader (EAX 0x%x)", magic);
	ram_from_multiboot(&ram, mbi);
	take_module(mbi, &mod_start, &mod_size);
	take_cmdline(mbi);
	console_printf("keel-shim: IGVM loader: module %u bytes at 0x%x, %u RAM ranges\n", mod_size,
	               mod_start, ram.count);

	parse_or_fail((const void *)(uintptr_t)mod_start, mod_size);
	if (load_plan(&igvm, &ram, mod_start, (uint64_t)mod_start + mod_size, &plan))
		move_module(mod_start, mod_size, &plan);
	load_apply(&igvm, &plan, &ram, cmdline, &vp);
	if (want_snp_stub()) {
		console_printf("keel-shim: %u NATIVE pages at 0x%llx-0x%llx\n", plan.npages,
		               (unsigned long long)plan.lowest_gpa,
		               (unsigned long long)plan.highest_end);
		enter_snp_vmsa32(&igvm);
	}
	enter_prepare(&vp);
	console_printf("keel-shim: %u NATIVE pages at 0x%llx-0x%llx, entering RIP 0x%llx\n",
	               plan.npages, (unsigned long long)plan.lowest_gpa,
	               (unsigned long long)plan.highest_end, (unsigned long long)vp.rip);
	shim_enter_long_mode();
}
