# test-guest
# The test guest (tests/guest/README.md, docs/guest.md): a freestanding
# static ELF loaded as the manifest's `kind=guest` task, no libc, no SSE.
GUEST_SRCS := $(addprefix tests/guest/,start.S main.c io.c svsm.c vtpm.c selftest.c demo.c demo_uefi.c passthrough.c faults.c cpustate.c protoecho.c attest.c com2.c uefi.c uefipass.c uefibench.c svsmbench.c bench_report.c)
GUEST_CFLAGS := -O2 -g -std=gnu11 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -mgeneral-regs-only -mno-red-zone -nostdlib $(WARN) $(REPRO_CFLAGS)
$(BUILD)/tasks/test-guest: $(GUEST_SRCS) tests/guest/guest.h tests/guest/guest.ld
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -static -no-pie -Wl,-T,tests/guest/guest.ld -Wl,--build-id=none \
		-Wl,-z,noexecstack -Wl,-z,max-page-size=0x1000 -o $@ $(GUEST_SRCS)
# In ALL, not only ALL_TESTS: apps/boot.manifest (build/keel.igvm, `make run`) boots it in "demo" mode.
ALL += $(BUILD)/tasks/test-guest
# end test-guest
