# manifest/bundle
$(BUILD)/tests/unit/manifest: tests/unit/manifest/test_manifest.c kernel/task/manifest.c kernel/task/manifest.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/manifest/test_manifest.c kernel/task/manifest.c $(CMOCKA_LIBS)

$(BUILD)/tests/unit/bundle: tests/unit/bundle/test_bundle.c kernel/task/bundle.c kernel/task/bundle.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/bundle/test_bundle.c kernel/task/bundle.c $(CMOCKA_LIBS)

ALL_TESTS += $(BUILD)/tests/unit/manifest $(BUILD)/tests/unit/bundle
# end manifest/bundle
