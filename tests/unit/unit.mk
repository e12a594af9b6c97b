# manifest/bundle
$(BUILD)/tests/unit/manifest: tests/unit/manifest/test_manifest.c $(MANIFEST_SRCS) $(MANIFEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/manifest/test_manifest.c $(MANIFEST_SRCS) $(CMOCKA_LIBS)

$(BUILD)/tests/unit/bundle: tests/unit/bundle/test_bundle.c kernel/task/bundle.c kernel/task/bundle.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/bundle/test_bundle.c kernel/task/bundle.c $(CMOCKA_LIBS)

ALL_TESTS += $(BUILD)/tests/unit/manifest $(BUILD)/tests/unit/bundle
# end manifest/bundle

# virtio
# apps/virtio/virtq.c on the host: the used-ring checks against a hostile device.
$(BUILD)/tests/unit/virtq: tests/unit/virtio/test_virtq.c apps/virtio/virtq.c apps/virtio/virtq.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/virtio/test_virtq.c apps/virtio/virtq.c $(CMOCKA_LIBS)
ALL_TESTS += $(BUILD)/tests/unit/virtq
# end virtio

# libc
# libc/ compared with glibc: the libc sources built for the host with
# symbols renamed kl_* ($(LIBC_HOST_LIB), libc/libc.mk) plus keel_* stand-ins.
LIBC_TESTS := printf strtol string malloc time fortify stdio string_ext sys
$(BUILD)/tests/unit/test-libc-%: tests/unit/libc/test_%.c tests/unit/libc/kl_stubs.c \
		tests/unit/libc/kl.h $(LIBC_HOST_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Wno-format-truncation -Itests/unit/libc -o $@ $< \
		tests/unit/libc/kl_stubs.c $(LIBC_HOST_LIB) $(CMOCKA_LIBS)
ALL_TESTS += $(patsubst %,$(BUILD)/tests/unit/test-libc-%,$(LIBC_TESTS))
# end libc

# loader
LOADER_TEST_FIXTURE := $(BUILD)/tests/fixtures/loader/test-kernel.elf
$(LOADER_TEST_FIXTURE): tests/unit/loader/test_kernel.asm tests/unit/loader/test_kernel.ld
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -o $@.o tests/unit/loader/test_kernel.asm
	ld -m elf_x86_64 -T tests/unit/loader/test_kernel.ld -z max-page-size=4096 -o $@ $@.o
LOADER_TEST_CFLAGS := $(HOST_CFLAGS) -Iloader/igvm -Iloader/igvm-measure -Iloader/igvm-build \
	-DTEST_KERNEL_ELF='"$(CURDIR)/$(LOADER_TEST_FIXTURE)"'
$(BUILD)/tests/unit/test-igvm-%: tests/unit/loader/test_igvm_%.c tests/unit/loader/igvm_test_util.h \
		$(IGVM_HOST_LIB) $(IGVM_LIB) $(LOADER_TEST_FIXTURE)
	@mkdir -p $(dir $@)
	$(CC) $(LOADER_TEST_CFLAGS) -o $@ $< $(IGVM_LIBS) $(CMOCKA_LIBS)
ALL_TESTS += $(BUILD)/tests/unit/test-igvm-parse $(BUILD)/tests/unit/test-igvm-crate $(BUILD)/tests/unit/test-igvm-build \
	$(BUILD)/tests/unit/test-igvm-measure $(LOADER_TEST_FIXTURE)
# end loader

# kernel
# Host builds of the kernel's pure logic (handles, page tables and user
# copies over a fake physical memory, memory map, ELF checks, GHCB MSR
# protocol, SVSM router, RTC dates).
KERNEL_UT := $(BUILD)/tests/unit
$(KERNEL_UT)/kernel-handle: tests/unit/kernel/test_handle.c kernel/task/handle.c kernel/task/handle.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/kernel/test_handle.c kernel/task/handle.c $(CMOCKA_LIBS)
$(KERNEL_UT)/kernel-uaccess: tests/unit/kernel/test_uaccess.c kernel/mm/pt.c kernel/mm/uaccess.c kernel/mm/pt.h kernel/mm/uaccess.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/kernel/test_uaccess.c kernel/mm/pt.c kernel/mm/uaccess.c $(CMOCKA_LIBS)
$(KERNEL_UT)/kernel-memmap: tests/unit/kernel/test_memmap.c kernel/mm/memmap.c kernel/mm/memmap.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/kernel/test_memmap.c kernel/mm/memmap.c $(CMOCKA_LIBS)
$(KERNEL_UT)/kernel-elf: tests/unit/kernel/test_elf.c kernel/task/elf.c kernel/lib/kprintf.c kernel/task/elf.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/kernel/test_elf.c kernel/task/elf.c kernel/lib/kprintf.c $(CMOCKA_LIBS)
$(KERNEL_UT)/kernel-platform: tests/unit/kernel/test_platform.c kernel/platform/snp/ghcb_msr.c kernel/svsm/router.c kernel/platform/native/rtc.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/kernel/test_platform.c kernel/platform/snp/ghcb_msr.c \
		kernel/svsm/router.c kernel/platform/native/rtc.c $(CMOCKA_LIBS)
# sys_mem.c with pt.c/uaccess.c real; the fake cpu.h (no invlpg in ring 3) comes first.
$(KERNEL_UT)/kernel-sys-mem: tests/unit/kernel/test_sys_mem.c kernel/syscall/sys_mem.c kernel/mm/pt.c \
		kernel/mm/uaccess.c tests/unit/kernel/fake/arch/x86_64/cpu.h
	@mkdir -p $(dir $@)
	$(CC) -Itests/unit/kernel/fake $(HOST_CFLAGS) -o $@ tests/unit/kernel/test_sys_mem.c \
		kernel/syscall/sys_mem.c kernel/mm/pt.c kernel/mm/uaccess.c $(CMOCKA_LIBS)
$(KERNEL_UT)/kernel-log-escape: tests/unit/kernel/test_log_escape.c kernel/lib/log_escape.c kernel/lib/log_escape.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/kernel/test_log_escape.c kernel/lib/log_escape.c $(CMOCKA_LIBS)
$(KERNEL_UT)/kernel-snp-psc: tests/unit/kernel/test_snp_psc.c kernel/platform/snp/psc.c \
		kernel/platform/snp/ghcb_msr.c kernel/platform/snp/psc.h kernel/platform/snp/ghcb_msr.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/kernel/test_snp_psc.c kernel/platform/snp/psc.c \
		kernel/platform/snp/ghcb_msr.c $(CMOCKA_LIBS)
# ipc/chan.c with handle.c real, the scheduler and user copies faked in the test.
$(KERNEL_UT)/kernel-chan: tests/unit/kernel/test_chan.c kernel/ipc/chan.c kernel/task/handle.c kernel/ipc/chan.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/kernel/test_chan.c kernel/ipc/chan.c kernel/task/handle.c $(CMOCKA_LIBS)
# task/outcome.c: the run's end and expected outcomes, the kernel's and keel-hosted's rule.
$(KERNEL_UT)/kernel-outcome: tests/unit/kernel/test_outcome.c kernel/task/outcome.c kernel/task/outcome.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/kernel/test_outcome.c kernel/task/outcome.c $(CMOCKA_LIBS)
# platform/snp/guest_msg.c (the SNP guest-message protocol) against a fake PSP in OpenSSL.
$(KERNEL_UT)/kernel-snp-guest-msg: tests/unit/kernel/test_snp_guest_msg.c kernel/platform/snp/guest_msg.c \
		kernel/platform/snp/guest_msg.h $(BEARSSL_HOST_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -I$(BEARSSL_DIR)/inc -o $@ tests/unit/kernel/test_snp_guest_msg.c \
		kernel/platform/snp/guest_msg.c $(BEARSSL_HOST_LIB) -lcrypto $(CMOCKA_LIBS)
ALL_TESTS += $(addprefix $(KERNEL_UT)/kernel-,handle uaccess memmap elf platform sys-mem log-escape snp-psc chan \
	outcome snp-guest-msg)
# end kernel

# vtpm
# apps/vtpm's pure parts on the host: request parser, marshalling + EK
# templates, the state store's staging (state_stage.c) over a fake backend.
$(BUILD)/tests/unit/vtpm-request: tests/unit/vtpm/test_request.c apps/vtpm/request.c apps/vtpm/request.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/vtpm/test_request.c apps/vtpm/request.c $(CMOCKA_LIBS)
$(BUILD)/tests/unit/vtpm-marshal: tests/unit/vtpm/test_marshal.c apps/vtpm/marshal.c apps/vtpm/ek.c \
		apps/vtpm/marshal.h apps/vtpm/ek.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/vtpm/test_marshal.c apps/vtpm/marshal.c apps/vtpm/ek.c $(CMOCKA_LIBS)
$(BUILD)/tests/unit/vtpm-state-stage: tests/unit/vtpm/test_state_stage.c apps/vtpm/state_stage.c \
		apps/vtpm/state_name.c apps/vtpm/state.h apps/vtpm/state_backend.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/vtpm/test_state_stage.c apps/vtpm/state_stage.c \
		apps/vtpm/state_name.c $(CMOCKA_LIBS)
ALL_TESTS += $(addprefix $(BUILD)/tests/unit/vtpm-,request marshal state-stage)
# end vtpm

# svsm-router
# The SVSM router (kernel/svsm/) and the guest instruction decoder against a
# fake guest memory and a scriptable fake service (tests/unit/kernel/test_svsm_router.c).
SVSM_ROUTER_UT_SRCS := tests/unit/kernel/test_svsm_router.c kernel/svsm/router.c kernel/svsm/core.c \
	kernel/svsm/forward.c kernel/svsm/parts.c kernel/svsm/dispatch.c kernel/platform/native/guest_insn.c $(MANIFEST_SRCS)
$(KERNEL_UT)/kernel-svsm-router: $(SVSM_ROUTER_UT_SRCS) $(wildcard kernel/svsm/*.h) $(MANIFEST_HDRS) \
		kernel/platform/native/guest_insn.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $(SVSM_ROUTER_UT_SRCS) $(CMOCKA_LIBS)
ALL_TESTS += $(KERNEL_UT)/kernel-svsm-router
# The shared buffer= rule module alone (kernel/svsm/buffer_rule.c).
$(KERNEL_UT)/kernel-buffer-rule: tests/unit/kernel/test_buffer_rule.c kernel/svsm/buffer_rule.c $(MANIFEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/kernel/test_buffer_rule.c kernel/svsm/buffer_rule.c $(CMOCKA_LIBS)
ALL_TESTS += $(KERNEL_UT)/kernel-buffer-rule
# end svsm-router

# svsm-serve
# apps/svsm/svsm_serve.c (a service's side of large SVSM buffers) against a
# scripted router (tests/unit/svsm/test_svsm_serve.c).
$(BUILD)/tests/unit/svsm-serve: tests/unit/svsm/test_svsm_serve.c $(SVSM_SERVE_SRCS) apps/svsm/svsm_serve.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/svsm/test_svsm_serve.c $(SVSM_SERVE_SRCS) $(CMOCKA_LIBS)
ALL_TESTS += $(BUILD)/tests/unit/svsm-serve
# end svsm-serve

# frame
# kernel/mm/frame.c's allocation policy over a fake physical memory.
$(BUILD)/tests/unit/kernel-frame: tests/unit/kernel/test_frame.c kernel/mm/frame.c kernel/mm/frame.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/kernel/test_frame.c kernel/mm/frame.c $(CMOCKA_LIBS)
ALL_TESTS += $(BUILD)/tests/unit/kernel-frame
# end frame

# hosted mailbox
# syscalls/hosted/mbox.c against a peer that writes the shared mailbox directly.
$(BUILD)/tests/unit/hosted-mbox: tests/unit/hosted/test_mbox.c syscalls/hosted/mbox.c syscalls/hosted/uaccess.c \
		syscalls/hosted/hosted.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Isyscalls/hosted -o $@ tests/unit/hosted/test_mbox.c syscalls/hosted/mbox.c \
		syscalls/hosted/uaccess.c \
		$(CMOCKA_LIBS) -lpthread
ALL_TESTS += $(BUILD)/tests/unit/hosted-mbox
# end hosted mailbox

# hosted syscalls
# KEEL_SYSCALLS has a hosted implementation for every number; keel_wait's deadline.
$(BUILD)/tests/unit/hosted-syscalls: tests/unit/hosted/test_syscalls.c $(HOSTED_LIB) syscalls/hosted/hosted.h \
		syscalls/include/keel/syscall_numbers.h syscalls/include/keel/deadline.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Isyscalls/hosted -o $@ tests/unit/hosted/test_syscalls.c $(HOSTED_LIB) $(CMOCKA_LIBS) -lpthread
ALL_TESTS += $(BUILD)/tests/unit/hosted-syscalls
# end hosted syscalls

# storaged config
# storaged's manifest arg= parser (apps/storaged/config.c).
$(BUILD)/tests/unit/storaged-config: tests/unit/storaged/test_config.c apps/storaged/config.c \
		apps/storaged/storaged.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Iapps/storaged -o $@ tests/unit/storaged/test_config.c apps/storaged/config.c \
		$(CMOCKA_LIBS)
ALL_TESTS += $(BUILD)/tests/unit/storaged-config
# end storaged config

# storaged store
# The store format library (apps/storaged/store*.c) over an in-memory device
# that cuts power after any block write (tests/unit/storaged/faultdev.c).
STORE_UT_HELPERS := tests/unit/storaged/faultdev.c tests/unit/storaged/snap.c
STORE_UT_HDRS := tests/unit/storaged/faultdev.h tests/unit/storaged/snap.h $(STORE_HDRS)
STORE_UTS := crash tamper objects crafted
$(BUILD)/tests/unit/store-%: tests/unit/storaged/test_store_%.c $(STORE_SRCS) $(STORE_UT_HELPERS) $(STORE_UT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Iapps/storaged -Itests/unit/storaged -o $@ $< $(STORE_UT_HELPERS) \
		$(STORE_SRCS) -lcrypto $(CMOCKA_LIBS)
ALL_TESTS += $(patsubst %,$(BUILD)/tests/unit/store-%,$(STORE_UTS))
# end storaged store

# kernel-irq
# ipc/irq.c (interrupt notification objects) with the platform and scheduler faked.
$(KERNEL_UT)/kernel-irq: tests/unit/kernel/test_irq.c kernel/ipc/irq.c kernel/ipc/irq.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/unit/kernel/test_irq.c kernel/ipc/irq.c $(CMOCKA_LIBS)
ALL_TESTS += $(KERNEL_UT)/kernel-irq
# end kernel-irq

# attest-bridge
# attest-bridge's parsers: config, base64, JSON, HTTP responses.
$(BUILD)/tests/unit/attest-bridge: tests/unit/attest-bridge/test_bridge.c apps/attest-bridge/config.c \
		apps/attest-bridge/tls_name.c $(ATTEST_PARSE_SRCS) $(wildcard apps/attest-bridge/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Iapps/attest-bridge -o $@ tests/unit/attest-bridge/test_bridge.c \
		apps/attest-bridge/config.c apps/attest-bridge/tls_name.c $(ATTEST_PARSE_SRCS) $(CMOCKA_LIBS)
ALL_TESTS += $(BUILD)/tests/unit/attest-bridge
# The TLS transport (tls=NAME) against an in-process OpenSSL server over an
# in-memory transport; certificates made at test time (tls_fixture.c).
ATTEST_TLS_UT := tests/unit/attest-bridge/test_tls.c tests/unit/attest-bridge/tls_fixture.c
$(BUILD)/tests/unit/attest-tls: $(ATTEST_TLS_UT) $(ATTEST_TLS_SRCS) tests/unit/attest-bridge/tls_fixture.h \
		$(wildcard apps/attest-bridge/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Iapps/attest-bridge -o $@ $(ATTEST_TLS_UT) $(ATTEST_TLS_SRCS) \
		$(CMOCKA_LIBS) -lssl -lcrypto
ALL_TESTS += $(BUILD)/tests/unit/attest-tls
# end attest-bridge

# kbs-db
# The key broker's DB layer (tools/kbs/db*.c) against SQLite and a throwaway
# PostgreSQL cluster the test starts (tests/unit/kbs-db/pg-cluster.sh).
$(BUILD)/tests/unit/kbs-db: tests/unit/kbs-db/test_kbs_db.c $(KBS_DB_SRCS) $(KBS_DB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(KBS_DB_CFLAGS) -Itools/kbs \
		-DKBS_PG_CLUSTER='"$(CURDIR)/tests/unit/kbs-db/pg-cluster.sh"' -o $@ \
		tests/unit/kbs-db/test_kbs_db.c $(KBS_DB_SRCS) $(KBS_DB_LIBS) $(CMOCKA_LIBS)
ALL_TESTS += $(BUILD)/tests/unit/kbs-db
# The multi-process driver of tests/hosted/kbs-postgres.sh and tests/bench/kbs-db-bench.sh.
$(BUILD)/tests/kbs-db-stress: tests/unit/kbs-db/stress.c $(KBS_DB_SRCS) $(KBS_DB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(KBS_DB_CFLAGS) -Itools/kbs -o $@ tests/unit/kbs-db/stress.c \
		$(KBS_DB_SRCS) $(KBS_DB_LIBS)
ALL_TESTS += $(BUILD)/tests/kbs-db-stress
# end kbs-db

# kbs
# The key broker's codecs (tools/kbs: base64, request parsing, report_data
# binding, report field checks).
KBS_UNIT_SRCS := tools/kbs/b64.c tools/kbs/request.c tools/kbs/snp.c
$(BUILD)/tests/unit/kbs-codec: tests/unit/kbs/test_kbs_codec.c $(KBS_UNIT_SRCS) tools/kbs/b64.h \
		tools/kbs/request.h tools/kbs/snp.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Itools/kbs -o $@ tests/unit/kbs/test_kbs_codec.c $(KBS_UNIT_SRCS) \
		-ljansson -lcrypto $(CMOCKA_LIBS)
ALL_TESTS += $(BUILD)/tests/unit/kbs-codec
# end kbs

# guest-attest
# SVSM protocol 1 end to end on the host: the router's rcx-desc rules and
# attest-bridge's guest attestation against fake guest memory, vtpm and
# platform report (tests/unit/attest/).
GUEST_ATTEST_SRCS := apps/attest-bridge/guest_attest.c apps/attest-bridge/guest_manifest.c \
	apps/attest-bridge/guest_ekpub.c
GUEST_ATTEST_HARNESS := tests/unit/attest/guest_harness.c $(GUEST_ATTEST_SRCS) kernel/svsm/router.c \
	kernel/svsm/core.c kernel/svsm/forward.c kernel/svsm/parts.c kernel/svsm/dispatch.c $(MANIFEST_SRCS)
$(BUILD)/tests/unit/guest-attest: tests/unit/attest/test_guest_attest.c $(GUEST_ATTEST_HARNESS) \
		$(wildcard apps/attest-bridge/guest_*.h) tests/unit/attest/guest_harness.h \
		$(wildcard kernel/svsm/*.h) $(MANIFEST_HDRS) apps/vtpm/vtpm_protocol.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Wno-deprecated-declarations -o $@ tests/unit/attest/test_guest_attest.c \
		$(GUEST_ATTEST_HARNESS) $(CMOCKA_LIBS) -lcrypto
# The vtpm's EK public for the services manifest (apps/vtpm/ekpub_service.c).
VTPM_EKPUB_UT_SRCS := tests/unit/vtpm/test_ekpub.c apps/vtpm/ekpub_service.c apps/vtpm/ek.c \
	apps/vtpm/marshal.c
$(BUILD)/tests/unit/vtpm-ekpub: $(VTPM_EKPUB_UT_SRCS) apps/vtpm/ekpub_service.h apps/vtpm/ek.h \
		apps/vtpm/vtpm_protocol.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $(VTPM_EKPUB_UT_SRCS) $(CMOCKA_LIBS) -lcrypto
ALL_TESTS += $(BUILD)/tests/unit/guest-attest $(BUILD)/tests/unit/vtpm-ekpub
# end guest-attest

# uefivars core
# apps/uefivars through uv_mm_request (raw MM buffers), memory only and over
# an in-memory storaged (tests/unit/uefivars-core/fake_storaged.c).
UV_UT_SRCS := $(filter-out $(STORAGED_CLIENT_SRCS),$(UEFIVARS_LIB_SRCS)) tests/unit/uefivars-core/fake_storaged.c
UV_UT_HDRS := $(wildcard apps/uefivars/*.h) $(wildcard tests/unit/uefivars-core/*.h)
$(BUILD)/tests/unit/uefivars-core-%: tests/unit/uefivars-core/test_%.c $(UV_UT_SRCS) $(UV_UT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Iapps/uefivars -o $@ $< $(UV_UT_SRCS) -lcrypto $(CMOCKA_LIBS)
ALL_TESTS += $(addprefix $(BUILD)/tests/unit/uefivars-core-,mm persist)
# end uefivars core

# uefivars-fdstore
# apps/uefivars/fdstore.c: Debian's OVMF varstores and built ones, corruptions.
$(BUILD)/tests/unit/uefivars-fdstore: tests/unit/uefivars-fdstore/test_fdstore.c $(UEFIVARS_FDSTORE_SRCS) \
		apps/uefivars/fdstore.h apps/uefivars/efi.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Iapps/uefivars -o $@ tests/unit/uefivars-fdstore/test_fdstore.c \
		$(UEFIVARS_FDSTORE_SRCS) $(CMOCKA_LIBS)
ALL_TESTS += $(BUILD)/tests/unit/uefivars-fdstore
# end uefivars-fdstore

# uefivars-policy
# edk2 variable policy and LockVariable (apps/uefivars/policy*.c): every
# command as raw bytes through policy_mm_handle (uefivars-policy-mm), the
# SetVariable check and LockVariable (uefivars-policy-check), then end to
# end through uv_mm_request (uefivars-policy-path). All on core's
# memory-only store; the fuzz target's chan_none.c stands in for storaged
# (never called).
UEFIVARS_POLICY_UT_LIB := $(UEFIVARS_LIB_SRCS) tests/fuzz/uefivars-mm/chan_none.c
UEFIVARS_POLICY_UT_DEPS := $(UEFIVARS_POLICY_UT_LIB) $(wildcard apps/uefivars/*.h) \
	tests/unit/uefivars-policy/policy_fixture.c tests/unit/uefivars-policy/policy_fixture.h
$(BUILD)/tests/unit/uefivars-policy-%: tests/unit/uefivars-policy/test_policy_%.c $(UEFIVARS_POLICY_UT_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Iapps/uefivars -o $@ $< tests/unit/uefivars-policy/policy_fixture.c \
		$(UEFIVARS_POLICY_UT_LIB) $(CMOCKA_LIBS) -lcrypto
ALL_TESTS += $(addprefix $(BUILD)/tests/unit/uefivars-policy-,mm check path)
# end uefivars-policy

# uefivars-auth
# apps/uefivars auth_*.c/secureboot*.c (docs/secure-boot.md) over a store
# in memory (fake_store.c), with Secure Boot vectors that mkvectors.sh
# makes at test time (openssl, efitools, sbsigntool).
# test_ovmf_defaults: with the real fdstore.c against Debian's OVMF_VARS_4M.ms.fd.
UEFIVARS_AUTH_UT_COMMON := tests/unit/uefivars-auth/fake_store.c $(UEFIVARS_AUTH_SRCS) apps/uefivars/guids.c
UEFIVARS_AUTH_UT_SRCS := tests/unit/uefivars-auth/test_auth.c tests/unit/uefivars-auth/auth_fixture.c \
	tests/unit/uefivars-auth/fake_fdstore.c \
	$(UEFIVARS_AUTH_UT_COMMON)
UEFIVARS_AUTH_OVMF_SRCS := tests/unit/uefivars-auth/test_ovmf_defaults.c $(UEFIVARS_FDSTORE_SRCS) \
	$(UEFIVARS_AUTH_UT_COMMON)
$(BUILD)/tests/unit/uefivars-auth: $(UEFIVARS_AUTH_UT_SRCS) $(wildcard apps/uefivars/*.h) \
		tests/unit/uefivars-auth/fake_store.h tests/unit/uefivars-auth/auth_fixture.h \
		tests/unit/uefivars-auth/mkvectors.sh
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Iapps/uefivars -Itests/unit/uefivars-auth \
		-DUV_AUTH_MKVECTORS='"$(CURDIR)/tests/unit/uefivars-auth/mkvectors.sh"' -o $@ \
		$(UEFIVARS_AUTH_UT_SRCS) -lcrypto $(CMOCKA_LIBS)
$(BUILD)/tests/unit/uefivars-auth-ovmf: $(UEFIVARS_AUTH_OVMF_SRCS) $(wildcard apps/uefivars/*.h) \
		tests/unit/uefivars-auth/fake_store.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Iapps/uefivars -Itests/unit/uefivars-auth -o $@ \
		$(UEFIVARS_AUTH_OVMF_SRCS) -lcrypto $(CMOCKA_LIBS)
ALL_TESTS += $(BUILD)/tests/unit/uefivars-auth $(BUILD)/tests/unit/uefivars-auth-ovmf
# end uefivars-auth

# keel-varctl
# tools/keel-varctl's text forms and JSON varstore reader (text.c, json.c).
KEEL_VARCTL_UT_SRCS := tests/unit/keel-varctl/test_varctl_text.c tools/keel-varctl/text.c \
	tools/keel-varctl/json.c apps/uefivars/guids.c
$(BUILD)/tests/unit/keel-varctl: $(KEEL_VARCTL_UT_SRCS) tools/keel-varctl/varctl.h apps/uefivars/efi.h \
		apps/uefivars/mm_wire.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Itools/keel-varctl -Iapps/uefivars -o $@ $(KEEL_VARCTL_UT_SRCS) -ljansson $(CMOCKA_LIBS)
ALL_TESTS += $(BUILD)/tests/unit/keel-varctl
# end keel-varctl

# net
# lwIP as Keel configures it (apps/net), host build: two interfaces over a
# lossy, reordering in-memory link, 1 MiB over TCP (tests/unit/net/).
NET_TEST_SRCS := tests/unit/net/test_tcp_lossy.c tests/unit/net/link.c
$(BUILD)/tests/unit/net-tcp-lossy: $(NET_TEST_SRCS) tests/unit/net/link.h $(LWIP_HOST_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(LWIP_INCLUDES) -o $@ $(NET_TEST_SRCS) $(LWIP_HOST_LIB) $(CMOCKA_LIBS)
ALL_TESTS += $(BUILD)/tests/unit/net-tcp-lossy
# end net

# net link check
# A ring-3 ELF from liblwip-task.a + sys_keel.o + the Keel libc: built by
# check-build so a missing libc symbol fails the build; never run.
$(BUILD)/task-obj/tests/unit/net/%.o: TASK_CFLAGS += $(LWIP_INCLUDES)
$(BUILD)/task-obj/tests/unit/net/link_check_task.o: | $(LWIP_STAMP)
$(BUILD)/net/lwip-link-check: $(BUILD)/task-obj/tests/unit/net/link_check_task.o $(LWIP_SYS_TASK_OBJ) \
		$(LWIP_TASK_LIB) $(USER_CRT0) $(USER_LIB) $(KEEL_LIBC) syscalls/user/task.ld
	@mkdir -p $(dir $@)
	$(CC) $(TASK_LDFLAGS) -o $@ $(USER_CRT0) $(filter %.o,$(filter-out $(USER_CRT0),$^)) \
		-Wl,--start-group $(LWIP_TASK_LIB) $(USER_LIB) $(KEEL_LIBC) -lgcc -Wl,--end-group
ALL_TESTS += $(BUILD)/net/lwip-link-check
# end net link check

# netstack
# apps/netstack's manifest arg= parser (config.c): good lines and every refusal.
$(BUILD)/tests/unit/netstack-config: tests/unit/netstack/test_config.c apps/netstack/config.c \
		apps/netstack/config.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Iapps/netstack -o $@ tests/unit/netstack/test_config.c \
		apps/netstack/config.c $(CMOCKA_LIBS)
ALL_TESTS += $(BUILD)/tests/unit/netstack-config
# end netstack
