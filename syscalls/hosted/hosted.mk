# syscalls/hosted: build rules (fragment of the top-level Makefile)
# libkeel-hosted.a: keel/syscall.h on Linux (docs/hosted.md). Linked into
# every $(BUILD)/hosted/* task by the keel_task macro, and its frame and fd
# conventions (hosted.h) are shared with tools/keel-hosted.
HOSTED_SRCS := syscalls/hosted/handles.c syscalls/hosted/chan.c syscalls/hosted/mbox.c syscalls/hosted/sys.c syscalls/hosted/uaccess.c \
	syscalls/hosted/task_data.c
# kernel/lib/log_escape.c: the kernel's own log-line rule, built here too (one source).
HOSTED_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(HOSTED_SRCS)) $(BUILD)/syscalls/hosted/log_escape.o \
	$(BUILD)/syscalls/hosted/logf.o

# syscalls/user/logf.c: keel_logf, the same source in both runtimes.
$(BUILD)/syscalls/hosted/logf.o: syscalls/user/logf.c syscalls/include/keel/syscall.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/syscalls/hosted/log_escape.o: kernel/lib/log_escape.c kernel/lib/log_escape.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/syscalls/hosted/%.o: syscalls/hosted/%.c syscalls/hosted/hosted.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c -o $@ $<

$(HOSTED_LIB): $(HOSTED_OBJS)
	@rm -f $@
	ar rcs $@ $^

ALL += $(HOSTED_LIB)
