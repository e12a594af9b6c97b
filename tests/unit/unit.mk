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
LIBC_TESTS := printf strtol string malloc time
$(BUILD)/tests/unit/test-libc-%: tests/unit/libc/test_%.c tests/unit/libc/kl_stubs.c \
		tests/unit/libc/kl.h $(LIBC_HOST_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Wno-format-truncation -Itests/unit/libc -o $@ $< \
		tests/unit/libc/kl_stubs.c $(LIBC_HOST_LIB) $(CMOCKA_LIBS)
ALL_TESTS += $(patsubst %,$(BUILD)/tests/unit/test-libc-%,$(LIBC_TESTS))
# end libc
