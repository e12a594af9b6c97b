# tools: build rules (fragment of the top-level Makefile)

# keel-qemu: boots an IGVM file under QEMU 7.2 through the loader shim
# (source tools/keel-qemu/keel-qemu.sh; docs/shim.md).
$(BIN)/keel-qemu: tools/keel-qemu/keel-qemu.sh
	@mkdir -p $(dir $@)
	cp $< $@ && chmod +x $@
ALL += $(BIN)/keel-qemu
# end keel-qemu
