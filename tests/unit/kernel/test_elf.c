/* kernel/task/elf.c: what the task loader accepts and refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "task/elf.h"

void console_write(const char *s, size_t n);
void console_write(const char *s, size_t n)
{
	(void)s;
	(void)n;
}

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static uint8_t file[0x3000];
static char err[160];

/* A valid image: R at 0x400000, RX at 0x401000 (entry), RW at 0x402000, empty PT_TLS. */
static struct phdr *build(void)
{
	memset(file, 0, sizeof(file));
	memcpy(file, "\x7f" "ELF\x02\x01\x01", 7);
	*(uint16_t *)(file + 16) = 2;  /* ET_EXEC */
	*(uint16_t *)(file + 18) = 62; /* x86-64 */
	*(uint32_t *)(file + 20) = 1;
	*(uint64_t *)(file + 24) = 0x401010;
	*(uint64_t *)(file + 32) = 64;
	*(uint16_t *)(file + 54) = sizeof(struct phdr);
	*(uint16_t *)(file + 56) = 4;
	struct phdr *p = (struct phdr *)(file + 64);
	p[0] = (struct phdr){1, 4, 0, 0x400000, 0, 0x200, 0x200, 0x1000};
	p[1] = (struct phdr){1, 5, 0x1000, 0x401000, 0, 0x800, 0x800, 0x1000};
	p[2] = (struct phdr){1, 6, 0x2000, 0x402000, 0, 0x10, 0x5000, 0x1000};
	p[3] = (struct phdr){7, 4, 0, 0, 0, 0, 0, 1};
	return p;
}

static void accepts_a_wx_clean_static_image(void **state)
{
	struct elf_image img;
	(void)state;
	build();
	assert_int_equal(elf_parse(file, sizeof(file), &img, err, sizeof(err)), 0);
	assert_int_equal(img.nloads, 3);
	assert_int_equal(img.entry, 0x401010);
	assert_int_equal(img.load[2].memsz, 0x5000);
}

static void expect_refusal(const char *needle)
{
	struct elf_image img;
	assert_int_equal(elf_parse(file, sizeof(file), &img, err, sizeof(err)), -1);
	if (!strstr(err, needle))
		fail_msg("error '%s' does not mention '%s'", err, needle);
}

static void refuses_writable_executable(void **state)
{
	(void)state;
	build()[1].flags = 7;
	expect_refusal("W^X");
}

static void refuses_data_past_the_file(void **state)
{
	(void)state;
	build()[2].filesz = 0x2000;
	expect_refusal("beyond the file");
}

static void refuses_kernel_half_and_null_page(void **state)
{
	(void)state;
	build()[2].vaddr = 0xffffffff81000000ull;
	expect_refusal("outside");
	build()[0].vaddr = 0;
	expect_refusal("outside");
}

static void refuses_shared_pages_and_bad_entry(void **state)
{
	(void)state;
	struct phdr *p = build();
	p[2].vaddr = 0x401800;
	p[2].offset = 0x1800;
	expect_refusal("share a page");
	build();
	*(uint64_t *)(file + 24) = 0x402000; /* entry in data */
	expect_refusal("entry point");
}

static void refuses_bad_headers(void **state)
{
	struct elf_image img;
	(void)state;
	build();
	file[0] = 0;
	expect_refusal("not an ELF");
	build();
	*(uint16_t *)(file + 16) = 3; /* ET_DYN */
	expect_refusal("static x86-64");
	build();
	*(uint64_t *)(file + 32) = sizeof(file) - 10;
	expect_refusal("beyond the file");
	assert_int_equal(elf_parse(file, 10, &img, err, sizeof(err)), -1);
}

static void tls_segment_is_recorded(void **state)
{
	struct elf_image img;
	(void)state;
	struct phdr *p = build();
	p[3] = (struct phdr){7, 4, 0x2000, 0x402000, 0, 4, 8, 4};
	assert_int_equal(elf_parse(file, sizeof(file), &img, err, sizeof(err)), 0);
	assert_true(img.has_tls);
	assert_int_equal(img.tls.memsz, 8);
	assert_int_equal(img.tls_align, 4);
	p[3].align = 3;
	expect_refusal("PT_TLS alignment");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_a_wx_clean_static_image),
		cmocka_unit_test(refuses_writable_executable),
		cmocka_unit_test(refuses_data_past_the_file),
		cmocka_unit_test(refuses_kernel_half_and_null_page),
		cmocka_unit_test(refuses_shared_pages_and_bad_entry),
		cmocka_unit_test(refuses_bad_headers),
		cmocka_unit_test(tls_segment_is_recorded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
