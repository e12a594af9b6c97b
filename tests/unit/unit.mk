# manifest/bundle
$(BUILD)/tests/unit/manifest: tests/unit/manifest/test_manifest.c kernel/task/manifest.c kernel/task/manifest.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/manifest/test_manifest.c kernel/task/manifest.c $(CMOCKA_LIBS)

$(BUILD)/tests/unit/bundle: tests/unit/bundle/test_bundle.c kernel/task/bundle.c kernel/task/bundle.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/bundle/test_bundle.c kernel/task/bundle.c $(CMOCKA_LIBS)

ALL_TESTS += $(BUILD)/tests/unit/manifest $(BUILD)/tests/unit/bundle
# end manifest/bundle

# libc
# libc/ compared with glibc: the libc sources built for the host with
# symbols renamed kl_* ($(LIBC_HOST_LIB), libc/libc.mk) plus keel_* stand-ins.
LIBC_TESTS := printf strtol string malloc time fortify
$(BUILD)/tests/unit/test-libc-%: tests/unit/libc/test_%.c tests/unit/libc/kl_stubs.c \
		tests/unit/libc/kl.h $(LIBC_HOST_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Wno-format-truncation -Itests/unit/libc -o $@ $< \
		tests/unit/libc/kl_stubs.c $(LIBC_HOST_LIB) $(CMOCKA_LIBS)
ALL_TESTS += $(patsubst %,$(BUILD)/tests/unit/test-libc-%,$(LIBC_TESTS))
# end libc

# loader
LOADER_TEST_FIXTURE := $(BUILD)/tests/fixtures/loader/test-kernel.elf
$(LOADER_TEST_FIXTURE): tests/unit/loader/test_kernel.asm tests/unit/loader/test_kernel.ld
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -o $@.o tests/unit/loader/test_kernel.asm
	ld -m elf_x86_64 -T tests/unit/loader/test_kernel.ld -z max-page-size=4096 -o $@ $@.o
LOADER_TEST_CFLAGS := $(HOST_CFLAGS) -Iloader/igvm -Iloader/igvm-measure -Iloader/igvm-build \
	-DTEST_KERNEL_ELF='"$(CURDIR)/$(LOADER_TEST_FIXTURE)"'
$(BUILD)/tests/unit/test-igvm-%: tests/unit/loader/test_igvm_%.c tests/unit/loader/igvm_test_util.h \
		$(IGVM_HOST_LIB) $(IGVM_LIB) $(LOADER_TEST_FIXTURE)
	@mkdir -p $(dir $@)
	$(CC) $(LOADER_TEST_CFLAGS) -o $@ $< $(IGVM_LIBS) $(CMOCKA_LIBS)
ALL_TESTS += $(BUILD)/tests/unit/test-igvm-parse $(BUILD)/tests/unit/test-igvm-build \
	$(BUILD)/tests/unit/test-igvm-measure $(LOADER_TEST_FIXTURE)
# end loader
