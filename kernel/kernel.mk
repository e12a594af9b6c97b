# kernel: build rules (fragment of the top-level Makefile)
# build/kernel/keel.elf: the microkernel, linked at 0xffffffff81000000
# (loaded at 16 MiB); build/tasks/kernel-smoke: its private test task.

KERNEL_ELF := $(BUILD)/kernel/keel.elf
# The manifest parser and the SVSM buffer rules it reads: pure, built into
# the kernel and, from these same sources, into every host program that
# parses a manifest (keel-hosted, igvm-build, unit tests, fuzzers).
MANIFEST_SRCS := kernel/task/manifest.c kernel/task/manifest_lex.c kernel/svsm/buffer_rule.c
MANIFEST_HDRS := kernel/task/manifest.h kernel/task/manifest_lex.h kernel/task/limits.h kernel/task/bundle.h \
	kernel/svsm/buffer_rule.h kernel/svsm/call.h
KERNEL_OBJDIR := $(BUILD)/kernel/obj
KERNEL_CFLAGS := -O2 -g -std=gnu11 -ffreestanding -fno-pic -fno-pie -mcmodel=kernel -mno-red-zone \
	-mno-sse -mno-mmx -mno-80387 -fno-stack-protector -nostdlib -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -fno-tree-loop-distribute-patterns $(WARN) $(INCLUDES) $(REPRO_CFLAGS)
KERNEL_DIRS := kernel kernel/arch/x86_64 kernel/mm kernel/task kernel/ipc kernel/syscall kernel/lib \
	kernel/platform/native kernel/platform/snp kernel/svsm kernel/crypto
KERNEL_SRCS := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c))
KERNEL_ASMS := $(wildcard kernel/arch/x86_64/*.asm)
KERNEL_OBJS := $(patsubst kernel/%.c,$(KERNEL_OBJDIR)/%.o,$(KERNEL_SRCS)) \
	$(patsubst kernel/%.asm,$(KERNEL_OBJDIR)/%.asm.o,$(KERNEL_ASMS))

$(KERNEL_OBJDIR)/%.o: kernel/%.c | $(BEARSSL_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -I$(BEARSSL_DIR)/inc -MMD -MP -c -o $@ $<

# BearSSL (docs/decisions.md, "BearSSL in the kernel"): Debian's source,
# fetched and checked by tools/fetch-bearssl.sh, only the files the
# emulated report needs, compiled with the kernel's code model and no
# SSE/RDRAND/OS hooks into an archive so the link takes only what is used.
BEARSSL_DIR := $(BUILD)/bearssl/bearssl-0.6
BEARSSL_STAMP := $(BEARSSL_DIR)/.keel-ok
BEARSSL_FILES := symcipher/aes_ct64.c symcipher/aes_ct64_enc.c symcipher/aes_ct64_ctr.c \
	symcipher/aes_common.c aead/gcm.c hash/ghash_ctmul64.c codec/dec64le.c codec/enc64le.c \
	ec/ec_secp256r1.c ec/ec_secp384r1.c ec/ec_secp521r1.c ec/ec_prime_i31.c ec/ecdsa_i31_sign_raw.c ec/ecdsa_i31_bits.c \
	hash/sha2big.c mac/hmac.c rand/hmac_drbg.c codec/ccopy.c codec/dec32be.c codec/enc32be.c \
	codec/dec64be.c codec/enc64be.c codec/dec32le.c codec/enc32le.c \
	int/i31_add.c int/i31_bitlen.c int/i31_decmod.c int/i31_decode.c int/i31_decred.c \
	int/i31_encode.c int/i31_fmont.c int/i31_iszero.c int/i31_moddiv.c int/i31_modpow.c \
	int/i31_modpow2.c int/i31_montmul.c int/i31_mulacc.c int/i31_muladd.c int/i31_ninv31.c \
	int/i31_reduce.c int/i31_rshift.c int/i31_sub.c int/i31_tmont.c int/i32_div32.c
BEARSSL_NOOS := -DBR_AES_X86NI=0 -DBR_SSE2=0 -DBR_RDRAND=0 -DBR_POWER8=0 -DBR_USE_URANDOM=0 \
	-DBR_USE_GETENTROPY=0 -DBR_USE_WIN32_RAND=0 -DBR_USE_UNIX_TIME=0 -DBR_USE_WIN32_TIME=0
BEARSSL_KOBJDIR := $(BUILD)/kernel/bearssl
BEARSSL_KLIB := $(BUILD)/kernel/libbearssl-kernel.a
$(BEARSSL_STAMP):
	tools/fetch-bearssl.sh $(BUILD)/bearssl
$(BEARSSL_KOBJDIR)/%.o: $(BEARSSL_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(filter-out $(WARN) $(INCLUDES),$(KERNEL_CFLAGS)) $(BEARSSL_NOOS) -I$(BEARSSL_DIR)/inc \
		-I$(BEARSSL_DIR)/src -c -o $@ $(BEARSSL_DIR)/src/$*.c
$(BEARSSL_KLIB): $(addprefix $(BEARSSL_KOBJDIR)/,$(BEARSSL_FILES:.c=.o))
	rm -f $@
	$(AR) rcs $@ $^
# The same files for host programs (keel-hosted's signer, unit tests).
BEARSSL_HOBJDIR := $(BUILD)/host/bearssl
BEARSSL_HOST_LIB := $(BUILD)/host/libbearssl-host.a
$(BEARSSL_HOBJDIR)/%.o: $(BEARSSL_STAMP)
	@mkdir -p $(dir $@)
	$(CC) -O2 -g $(BEARSSL_NOOS) -I$(BEARSSL_DIR)/inc -I$(BEARSSL_DIR)/src -c -o $@ $(BEARSSL_DIR)/src/$*.c
$(BEARSSL_HOST_LIB): $(addprefix $(BEARSSL_HOBJDIR)/,$(BEARSSL_FILES:.c=.o))
	rm -f $@
	$(AR) rcs $@ $^
# The emulated report (fill + sign) and its fixed key, for host programs too.
EMULATED_REPORT_SRCS := kernel/crypto/emulated_report.c kernel/platform/native/emulated_vcek_key.c
EMULATED_REPORT_HDRS := kernel/crypto/emulated_report.h kernel/platform/native/emulated_vcek.h \
	syscalls/include/keel/snp_report.h

$(KERNEL_OBJDIR)/%.asm.o: kernel/%.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -Ikernel/arch/x86_64/ -o $@ $<

# Listed by hand: nasm 2.16's -MD leaves %include'd files out.
$(KERNEL_OBJDIR)/arch/x86_64/isr.asm.o $(KERNEL_OBJDIR)/arch/x86_64/syscall_entry.asm.o: \
	kernel/arch/x86_64/regs.inc

$(KERNEL_ELF): $(KERNEL_OBJS) $(BEARSSL_KLIB) kernel/kernel.ld
	@mkdir -p $(dir $@)
	$(CC) -nostdlib -static -no-pie -Wl,-T,kernel/kernel.ld -Wl,-z,max-page-size=0x1000 \
		-Wl,--build-id=none -Wl,-z,noexecstack -o $@ $(KERNEL_OBJS) $(BEARSSL_KLIB) -lgcc

ALL += $(KERNEL_ELF)

# The kernel's private smoke task: raw syscalls, no libc, so the kernel can
# be tested before (and independently of) the ring-3 runtime.
KSMOKE_CFLAGS := -O2 -g -std=gnu11 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -nostdlib $(WARN) $(TASK_INCLUDES) $(REPRO_CFLAGS)
$(BUILD)/tasks/kernel-smoke: tests/tasks/kernel-smoke/smoke.c tests/tasks/kernel-smoke/smoke.ld \
		$(wildcard tests/tasks/kernel-smoke/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(KSMOKE_CFLAGS) -static -no-pie -Wl,-T,tests/tasks/kernel-smoke/smoke.ld \
		-Wl,--build-id=none -Wl,-z,noexecstack -o $@ tests/tasks/kernel-smoke/smoke.c

ALL += $(BUILD)/tasks/kernel-smoke
