# libc: build rules (fragment of the top-level Makefile)
# The freestanding C library for ring-3 tasks: glibc's ABI for the subset
# libtpms.a and libcrypto.a need (docs/libc.md). Output: $(KEEL_LIBC).
# -fno-builtin and -fno-tree-loop-distribute-patterns keep GCC from turning
# memcpy/memset loops back into calls to themselves.
LIBC_SRCS := $(filter-out libc/start.c,$(wildcard libc/*.c)) libc/setjmp.S
LIBC_CFLAGS := $(TASK_CFLAGS) -fno-builtin -fno-tree-loop-distribute-patterns -fno-strict-aliasing
LIBC_OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(LIBC_SRCS))) $(BUILD)/libc/start.o

$(BUILD)/libc/%.o: libc/%.c
	@mkdir -p $(dir $@)
	$(CC) $(LIBC_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libc/%.o: libc/%.S
	@mkdir -p $(dir $@)
	$(CC) $(LIBC_CFLAGS) -c -o $@ $<

$(KEEL_LIBC): $(LIBC_OBJS)
	@rm -f $@
	ar rcs $@ $^

ALL += $(KEEL_LIBC)

# The same sources built for the host with every symbol renamed kl_*, so the
# unit tests (tests/unit/libc) can call kl_snprintf next to glibc's snprintf.
# start.c is left out (it calls main). The test supplies kl_keel_* stand-ins.
LIBC_HOST_OBJS := $(patsubst %,$(BUILD)/libc-host/%.o,$(basename $(LIBC_SRCS)))
LIBC_HOST_LIB := $(BUILD)/libc-host/libkeelc-kl.a

$(BUILD)/libc-host/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HOSTED_TASK_CFLAGS) -U_FORTIFY_SOURCE -fno-builtin -fno-tree-loop-distribute-patterns \
		-fno-strict-aliasing -fstack-protector-strong -MMD -MP -c -o $@ $<

$(BUILD)/libc-host/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(HOSTED_TASK_CFLAGS) -c -o $@ $<

$(LIBC_HOST_LIB): $(LIBC_HOST_OBJS)
	@rm -f $@ $@.o
	ld -r -o $@.o $^
	objcopy --prefix-symbols=kl_ $@.o
	ar rcs $@ $@.o
