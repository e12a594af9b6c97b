# syscalls/user: build rules (fragment of the top-level Makefile)
# The ring-3 side of the syscall ABI: crt0.o (task entry) and
# libkeel-user.a (one stub per call in keel/syscall.h). Built with
# TASK_CFLAGS like every ring-3 object.
USER_SRCS := syscalls/user/syscalls.c syscalls/user/logf.c syscalls/user/syscall6.S
USER_OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(USER_SRCS)))

$(BUILD)/syscalls/user/%.o: syscalls/user/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TASK_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/syscalls/user/%.o: syscalls/user/%.S
	@mkdir -p $(dir $@)
	$(CC) $(TASK_CFLAGS) -c -o $@ $<

$(USER_LIB): $(USER_OBJS)
	@rm -f $@
	ar rcs $@ $^

ALL += $(USER_CRT0) $(USER_LIB)

$(USER_CRT0): syscalls/user/crt0.S
	@mkdir -p $(dir $@)
	$(CC) $(TASK_CFLAGS) -c -o $@ $<
