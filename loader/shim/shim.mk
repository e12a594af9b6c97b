# loader/shim: the 32-bit multiboot shim that loads build/keel.igvm under a
# QEMU without IGVM support (docs/shim.md). Output: $(BUILD)/loader/shim.elf.
# The shared IGVM parser (loader/igvm) is compiled a second time, for -m32.

SHIM_DIR := loader/shim
SHIM_OUT := $(BUILD)/loader/shim
SHIM_ELF := $(BUILD)/loader/shim.elf
# Recursive (=): $(shell $(CC) ...) runs only when a shim object is built,
# not when `make check` first reads this file on a machine without gcc yet.
SHIM_CFLAGS = -m32 -march=i686 -O2 -g -std=gnu11 $(WARN) -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-builtin -fno-tree-loop-distribute-patterns -mgeneral-regs-only \
	-fno-asynchronous-unwind-tables -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-I$(SHIM_DIR)/include -Iloader/igvm -Iloader/include
SHIM_C := $(SHIM_DIR)/shim.c $(SHIM_DIR)/load.c $(SHIM_DIR)/ram.c $(SHIM_DIR)/enter.c \
	$(SHIM_DIR)/console.c $(SHIM_DIR)/fmt.c $(SHIM_DIR)/libgcc_div.c
# The parser's own list (loader/loader.mk), so the shim follows its files.
SHIM_IGVM_C := $(or $(IGVM_PARSE_SRCS),loader/igvm/igvm_crc32.c loader/igvm/igvm_parse.c)
# mem*/str*: the kernel's freestanding kernel/lib/string.c, built for -m32.
SHIM_STRING_C := kernel/lib/string.c
SHIM_OBJS := $(SHIM_OUT)/entry.o \
	$(patsubst %.c,$(SHIM_OUT)/%.o,$(notdir $(SHIM_C) $(SHIM_IGVM_C) $(SHIM_STRING_C)))

# The parser is another engineer's code: until all its files exist, leave the shim out
# of ALL rather than break `make` (its system tests then report "not ok").
ifeq ($(words $(wildcard $(SHIM_IGVM_C))),$(words $(SHIM_IGVM_C)))
ALL += $(SHIM_ELF)
endif

$(SHIM_OUT)/entry.o: $(SHIM_DIR)/entry.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -o $@ $<

$(SHIM_OUT)/%.o: $(SHIM_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SHIM_CFLAGS) -MMD -MP -c -o $@ $<

$(SHIM_OUT)/%.o: loader/igvm/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SHIM_CFLAGS) -MMD -MP -c -o $@ $<

# -Ikernel for this file only (its "lib/kstring.h"), not for the shim's own code.
$(SHIM_OUT)/string.o: $(SHIM_STRING_C)
	@mkdir -p $(dir $@)
	$(CC) $(SHIM_CFLAGS) -Ikernel -MMD -MP -c -o $@ $<

$(SHIM_ELF): $(SHIM_OBJS) $(SHIM_DIR)/shim.ld
	ld -m elf_i386 -T $(SHIM_DIR)/shim.ld --build-id=none -z noexecstack -o $@ $(SHIM_OBJS)

# The shim's system-test fixture: a tiny 64-bit kernel that checks the boot
# contract (tests/system/fixtures/, used by tests/system/shim-boot.sh).
SHIM_FIXTURE_DIR := tests/system/fixtures
SHIM_FIXTURE := $(BUILD)/tests/system/fixture-kernel.elf
$(BUILD)/tests/system/fixture-kernel.o: $(SHIM_FIXTURE_DIR)/fixture-kernel.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -o $@ $<
$(SHIM_FIXTURE): $(BUILD)/tests/system/fixture-kernel.o $(SHIM_FIXTURE_DIR)/fixture.ld
	ld -m elf_x86_64 -T $(SHIM_FIXTURE_DIR)/fixture.ld --build-id=none -z noexecstack -o $@ $<
ALL += $(SHIM_FIXTURE)

# A 32-bit multiboot kernel that exits as its command line says: stands in
# for the shim when tests/system/shim-keel-qemu.sh checks keel-qemu itself.
SHIM_EXIT_KERNEL := $(BUILD)/tests/system/exit-kernel.elf
$(BUILD)/tests/system/exit-kernel.o: $(SHIM_FIXTURE_DIR)/exit-kernel.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -o $@ $<
$(SHIM_EXIT_KERNEL): $(BUILD)/tests/system/exit-kernel.o
	ld -m elf_i386 -Ttext=0x100000 --build-id=none -z noexecstack -o $@ $<
ALL += $(SHIM_EXIT_KERNEL)

# ram.c on the host against unusual multiboot maps (tests/system/shim-ram.sh).
SHIM_RAM_CHECK := $(BUILD)/tests/system/shim-ram-check
$(SHIM_RAM_CHECK): $(SHIM_FIXTURE_DIR)/ram-check.c $(SHIM_DIR)/ram.c $(SHIM_DIR)/ram.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -no-pie -fno-pie -I$(SHIM_DIR) -o $@ \
		$(SHIM_FIXTURE_DIR)/ram-check.c $(SHIM_DIR)/ram.c
ALL += $(SHIM_RAM_CHECK)
