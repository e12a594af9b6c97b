# tools: build rules (fragment of the top-level Makefile)

# keel-qemu: boots an IGVM file under QEMU 7.2 through the loader shim
# (source tools/keel-qemu/keel-qemu.sh; docs/shim.md).
$(BIN)/keel-qemu: tools/keel-qemu/keel-qemu.sh
	@mkdir -p $(dir $@)
	cp $< $@ && chmod +x $@
ALL += $(BIN)/keel-qemu
# end keel-qemu

# keel-hosted
# The hosted launcher (docs/hosted.md): the manifest's tasks as Linux processes.
KEEL_HOSTED_SRCS := tools/keel-hosted/main.c tools/keel-hosted/launch.c kernel/task/manifest.c \
	syscalls/hosted/handles.c
$(BIN)/keel-hosted: $(KEEL_HOSTED_SRCS) tools/keel-hosted/launch.h syscalls/hosted/hosted.h \
		kernel/task/manifest.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Isyscalls/hosted -o $@ $(KEEL_HOSTED_SRCS) -lpthread
ALL += $(BIN)/keel-hosted
# end keel-hosted
