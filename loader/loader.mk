# loader: build rules (fragment of the top-level Makefile)
# loader/igvm: the IGVM v1 format, parser (host + 32-bit freestanding),
# writer; loader/igvm-build, igvm-dump, igvm-measure: the host tools.

LOADER_OBJ := $(BUILD)/loader/obj
LOADER_CFLAGS := $(HOST_CFLAGS) -Iloader/igvm

# The parser: used by every tool, the fuzzer and (compiled by the shim's
# own rules) the shim.
IGVM_PARSE_SRCS := loader/igvm/igvm_crc32.c loader/igvm/igvm_decode.c \
	loader/igvm/igvm_parse.c loader/igvm/igvm_names.c
IGVM_LIB := $(BUILD)/loader/libigvm.a

$(LOADER_OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(LOADER_CFLAGS) -MMD -MP -c -o $@ $<

$(IGVM_LIB): $(patsubst %.c,$(LOADER_OBJ)/%.o,$(IGVM_PARSE_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# Proof on every build that the parser stays 32-bit freestanding-clean.
IGVM_FREESTANDING_CFLAGS := -m32 -ffreestanding -fno-builtin -nostdlib -fno-pie -O2 \
	-std=gnu11 $(WARN) -Iloader/igvm
$(BUILD)/loader/obj32/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(IGVM_FREESTANDING_CFLAGS) -MMD -MP -c -o $@ $<
IGVM_FREESTANDING_OBJS := $(patsubst %.c,$(BUILD)/loader/obj32/%.o,$(IGVM_PARSE_SRCS))

ALL += $(IGVM_LIB) $(IGVM_FREESTANDING_OBJS)

# Host-only pieces: writer, file I/O, SNP measurement, Keel layout.
IGVM_HOST_SRCS := loader/igvm/igvm_write.c loader/igvm/igvm_io.c \
	loader/igvm-measure/snp_measure.c
IGVM_LAYOUT_SRCS := loader/igvm-build/layout.c loader/igvm-build/kernel_elf.c \
	loader/igvm-build/boot_pages.c
IGVM_HOST_LIB := $(BUILD)/loader/libigvm-host.a
# The 32-bit SNP entry stub: nasm flat binary -> C array (xxd -i).
LOADER_GEN := $(BUILD)/loader/gen
$(LOADER_GEN)/boot_info.inc: loader/include/keel/boot_info.h
	@mkdir -p $(dir $@)
	awk '$$1 == "#define" && $$2 ~ /^KEEL_/ && $$3 ~ /^0x/ { v = $$3; sub(/u?l*$$/, "", v); print "%define " $$2 " " v }' $< > $@
$(LOADER_GEN)/snp_entry32.bin: loader/igvm-build/snp_entry32.asm $(LOADER_GEN)/boot_info.inc
	$(NASM) -f bin -I$(LOADER_GEN)/ -o $@ $<
$(LOADER_GEN)/snp_entry32.c: $(LOADER_GEN)/snp_entry32.bin
	cd $(LOADER_GEN) && xxd -i snp_entry32.bin | sed 's/^unsigned/const unsigned/' > snp_entry32.c
$(LOADER_OBJ)/gen/snp_entry32.o: $(LOADER_GEN)/snp_entry32.c
	@mkdir -p $(dir $@)
	$(CC) $(LOADER_CFLAGS) -c -o $@ $<
$(IGVM_HOST_LIB): $(patsubst %.c,$(LOADER_OBJ)/%.o,$(IGVM_HOST_SRCS) $(IGVM_LAYOUT_SRCS)) \
		$(LOADER_OBJ)/gen/snp_entry32.o
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
LOADER_CFLAGS += -Iloader/igvm-measure -Iloader/igvm-build
IGVM_LIBS := $(IGVM_HOST_LIB) $(IGVM_LIB) -lcrypto

IGVM_BUILD_SRCS := loader/igvm-build/main.c loader/igvm-build/bundle_files.c \
	kernel/task/bundle.c $(MANIFEST_SRCS)
$(BIN)/igvm-build: $(patsubst %.c,$(LOADER_OBJ)/%.o,$(IGVM_BUILD_SRCS)) $(IGVM_HOST_LIB) $(IGVM_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_LDFLAGS) -o $@ $(filter %.o,$^) $(IGVM_LIBS)

IGVM_DUMP_SRCS := loader/igvm-dump/main.c loader/igvm-dump/dump_directive.c \
	loader/igvm-dump/dump_vp.c
$(BIN)/igvm-dump: $(patsubst %.c,$(LOADER_OBJ)/%.o,$(IGVM_DUMP_SRCS)) $(IGVM_HOST_LIB) $(IGVM_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_LDFLAGS) -o $@ $(filter %.o,$^) $(IGVM_LIBS)

# igvm-measure reads the measured manifest too (measured_manifest.c: bundle + manifest parsers).
IGVM_MEASURE_SRCS := loader/igvm-measure/main.c loader/igvm-measure/measured_manifest.c \
	kernel/task/bundle.c $(MANIFEST_SRCS)
$(BIN)/igvm-measure: $(patsubst %.c,$(LOADER_OBJ)/%.o,$(IGVM_MEASURE_SRCS)) $(IGVM_HOST_LIB) $(IGVM_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_LDFLAGS) -o $@ $(filter %.o,$^) $(IGVM_LIBS)

ALL += $(BIN)/igvm-dump $(BIN)/igvm-measure
# igvm-build links the manifest and bundle code from kernel/task.
ifeq ($(words $(wildcard kernel/task/bundle.c kernel/task/manifest.c)),2)
ALL += $(BIN)/igvm-build
endif

# build/keel.igvm from apps/boot.manifest, once the kernel fragment builds the ELF.
# Second expansion so the task list includes fragments read after this one.
KEEL_IGVM_MANIFEST := apps/boot.manifest
.SECONDEXPANSION:
$(BUILD)/keel.igvm: $(BIN)/igvm-build $(BUILD)/kernel/keel.elf $(KEEL_IGVM_MANIFEST) \
		$$(filter $(BUILD)/tasks/%,$$(ALL))
	$(BIN)/igvm-build --kernel $(BUILD)/kernel/keel.elf --manifest $(KEEL_IGVM_MANIFEST) \
		--bin-dir $(BUILD)/tasks -o $@
ifneq ($(filter $(BUILD)/kernel/keel.elf,$(ALL)),)
ALL += $(BUILD)/keel.igvm
endif

-include loader/shim/shim.mk
