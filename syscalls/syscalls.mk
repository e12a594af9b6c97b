# syscalls/: the ABI headers, the ring-3 stubs (user/) and the hosted Linux
# implementation (hosted/), plus the one rule that builds a task both ways.

# Ring-3 tasks compile against the system (glibc) headers, which our libc
# implements ABI-compatibly, and link against libc/ instead of glibc.
TASK_CFLAGS := -O2 -g -std=gnu11 $(WARN) $(TASK_INCLUDES) -D_GNU_SOURCE -U_FORTIFY_SOURCE \
	-fno-pie -fno-pic -fstack-protector-strong -fno-omit-frame-pointer -mcmodel=small $(REPRO_CFLAGS)
TASK_LDFLAGS := -static -nostdlib -no-pie -Wl,-T,syscalls/user/task.ld -Wl,--build-id=none -Wl,-z,noexecstack
USER_CRT0 := $(BUILD)/syscalls/user/crt0.o
USER_LIB := $(BUILD)/syscalls/user/libkeel-user.a
KEEL_LIBC := $(BUILD)/libc/libkeelc.a
HOSTED_LIB := $(BUILD)/syscalls/hosted/libkeel-hosted.a

include syscalls/user/user.mk
include syscalls/hosted/hosted.mk

# $(call keel_task,NAME,SOURCES,BOOTED_EXTRA_LIBS,HOSTED_EXTRA_LIBS[,BOOTED_ONLY_SOURCES,HOSTED_ONLY_SOURCES])
# Builds $(BUILD)/tasks/NAME (static ELF for the booted kernel) and
# $(BUILD)/hosted/NAME (Linux process over syscalls/hosted) from the same
# sources, and adds both to ALL. Where the two modes must differ (e.g. a
# state backend: a file hosted, memory booted), the optional 5th and 6th
# arguments name the sources only one mode gets: configuration selects
# files, never #ifdefs in function bodies.
define keel_task
$(BUILD)/tasks/$(1): $(patsubst %.c,$(BUILD)/task-obj/%.o,$(2) $(5)) $(USER_CRT0) $(USER_LIB) $(KEEL_LIBC) syscalls/user/task.ld
	@mkdir -p $$(dir $$@)
	$$(CC) $(TASK_LDFLAGS) -o $$@ $(USER_CRT0) $(patsubst %.c,$(BUILD)/task-obj/%.o,$(2) $(5)) \
		-Wl,--start-group $(3) $(USER_LIB) $(KEEL_LIBC) -lgcc -Wl,--end-group

# Hosted tasks get Keel's rand() (libc/rand.c) ahead of glibc's, so a
# library that falls back to rand() (libtpms) is as unpredictable hosted as
# booted; an object, not an archive member, so it also interposes for
# shared libraries such as libtpms.so (docs/libc.md, "rand").
$(BUILD)/hosted/$(1): $(patsubst %.c,$(BUILD)/hosted-obj/%.o,$(2) $(6)) $(BUILD)/hosted-obj/libc/rand.o $(HOSTED_LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) -o $$@ $(patsubst %.c,$(BUILD)/hosted-obj/%.o,$(2) $(6)) $(BUILD)/hosted-obj/libc/rand.o \
		$(HOSTED_LIB) $(4) -lpthread

ALL += $(BUILD)/tasks/$(1) $(BUILD)/hosted/$(1)
endef

# $(call keel_data,ENTRY,SOURCE_FILE)
# A task's data= file (docs/manifest.md): copies SOURCE_FILE to
# $(BUILD)/tasks/ENTRY (igvm-build's --bin-dir: packed into the measured
# bundle) and $(BUILD)/hosted/ENTRY (keel-hosted's), and adds both to ALL,
# so build/keel.igvm is rebuilt when the file changes. E.g.
# $(eval $(call keel_data,OVMF_VARS_4M.ms.fd,/usr/share/OVMF/OVMF_VARS_4M.ms.fd))
define keel_data
$(BUILD)/tasks/$(1) $(BUILD)/hosted/$(1): $(2)
	@mkdir -p $$(dir $$@)
	cp $$< $$@

ALL += $(BUILD)/tasks/$(1) $(BUILD)/hosted/$(1)
endef

$(BUILD)/task-obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(TASK_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/hosted-obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HOSTED_TASK_CFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
