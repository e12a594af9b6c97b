# kernel: build rules (fragment of the top-level Makefile)
# build/kernel/keel.elf: the microkernel, linked at 0xffffffff81000000
# (loaded at 16 MiB); build/tasks/kernel-smoke: its private test task.

KERNEL_ELF := $(BUILD)/kernel/keel.elf
# The manifest parser and the SVSM buffer rules it reads: pure, built into
# the kernel and, from these same sources, into every host program that
# parses a manifest (keel-hosted, igvm-build, unit tests, fuzzers).
MANIFEST_SRCS := kernel/task/manifest.c kernel/task/manifest_lex.c kernel/svsm/buffer_rule.c
MANIFEST_HDRS := kernel/task/manifest.h kernel/task/manifest_lex.h kernel/task/limits.h \
	kernel/svsm/buffer_rule.h kernel/svsm/call.h
KERNEL_OBJDIR := $(BUILD)/kernel/obj
KERNEL_CFLAGS := -O2 -g -std=gnu11 -ffreestanding -fno-pic -fno-pie -mcmodel=kernel -mno-red-zone \
	-mno-sse -mno-mmx -mno-80387 -fno-stack-protector -nostdlib -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -fno-tree-loop-distribute-patterns $(WARN) $(INCLUDES) $(REPRO_CFLAGS)
KERNEL_DIRS := kernel kernel/arch/x86_64 kernel/mm kernel/task kernel/ipc kernel/syscall kernel/lib \
	kernel/platform/native kernel/platform/snp kernel/svsm
KERNEL_SRCS := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c))
KERNEL_ASMS := $(wildcard kernel/arch/x86_64/*.asm)
KERNEL_OBJS := $(patsubst kernel/%.c,$(KERNEL_OBJDIR)/%.o,$(KERNEL_SRCS)) \
	$(patsubst kernel/%.asm,$(KERNEL_OBJDIR)/%.asm.o,$(KERNEL_ASMS))

$(KERNEL_OBJDIR)/%.o: kernel/%.c
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -MMD -MP -c -o $@ $<

$(KERNEL_OBJDIR)/%.asm.o: kernel/%.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -Ikernel/arch/x86_64/ -o $@ $<

# Listed by hand: nasm 2.16's -MD leaves %include'd files out.
$(KERNEL_OBJDIR)/arch/x86_64/isr.asm.o $(KERNEL_OBJDIR)/arch/x86_64/syscall_entry.asm.o: \
	kernel/arch/x86_64/regs.inc

$(KERNEL_ELF): $(KERNEL_OBJS) kernel/kernel.ld
	@mkdir -p $(dir $@)
	$(CC) -nostdlib -static -no-pie -Wl,-T,kernel/kernel.ld -Wl,-z,max-page-size=0x1000 \
		-Wl,--build-id=none -Wl,-z,noexecstack -o $@ $(KERNEL_OBJS) -lgcc

ALL += $(KERNEL_ELF)

# The kernel's private smoke task: raw syscalls, no libc, so the kernel can
# be tested before (and independently of) the ring-3 runtime.
KSMOKE_CFLAGS := -O2 -g -std=gnu11 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -nostdlib $(WARN) $(TASK_INCLUDES) $(REPRO_CFLAGS)
$(BUILD)/tasks/kernel-smoke: tests/tasks/kernel-smoke/smoke.c tests/tasks/kernel-smoke/smoke.ld
	@mkdir -p $(dir $@)
	$(CC) $(KSMOKE_CFLAGS) -static -no-pie -Wl,-T,tests/tasks/kernel-smoke/smoke.ld \
		-Wl,--build-id=none -Wl,-z,noexecstack -o $@ tests/tasks/kernel-smoke/smoke.c

ALL += $(BUILD)/tasks/kernel-smoke
