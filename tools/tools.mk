# tools: build rules (fragment of the top-level Makefile)

# keel-qemu: boots an IGVM file under QEMU 7.2 through the loader shim
# (source tools/keel-qemu/keel-qemu.sh; docs/shim.md).
$(BIN)/keel-qemu: tools/keel-qemu/keel-qemu.sh
	@mkdir -p $(dir $@)
	cp $< $@ && chmod +x $@
ALL += $(BIN)/keel-qemu
# end keel-qemu

# keel-proxy
# Relays consdev's virtio-console byte stream (QEMU chardev socket) to a TCP
# peer, e.g. the key broker (docs/keel-proxy.md).
KEEL_PROXY_SRCS := tools/keel-proxy/main.c tools/keel-proxy/relay.c
$(BIN)/keel-proxy: $(KEEL_PROXY_SRCS) tools/keel-proxy/relay.h apps/consdev/reset_line.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $(KEEL_PROXY_SRCS)
ALL += $(BIN)/keel-proxy
# end keel-proxy

# keel-hosted
# The hosted launcher (docs/hosted.md): the manifest's tasks as Linux processes.
# With a task serving protocol 2 it is the vTPM's router and TPM front end
# (docs/tpm-frontends.md): TPM simulator protocol or swtpm's.
# The kernel's SVSM router, host-built (as tests/unit/kernel/test_svsm_router.c builds
# it): keel-hosted's guest port and TPM front ends call through it (svsm_port.c).
# (filter-out: a router source the manifest parser links too, e.g. the buffer rules, once.)
KEEL_SVSM_ROUTER_SRCS := kernel/svsm/router.c kernel/svsm/core.c kernel/svsm/dispatch.c \
	kernel/svsm/forward.c kernel/svsm/parts.c
KEEL_HOSTED_SRCS := tools/keel-hosted/main.c tools/keel-hosted/launch.c $(MANIFEST_SRCS) kernel/task/outcome.c \
	syscalls/hosted/handles.c syscalls/hosted/chan.c syscalls/hosted/mbox.c syscalls/hosted/uaccess.c tools/keel-hosted/tpm_frames.c tools/keel-hosted/vtpm_router.c \
	tools/keel-hosted/tpm_frontend.c tools/keel-hosted/tpm_listen.c tools/keel-hosted/tpm_mssim.c tools/keel-hosted/tpm_swtpm.c \
	tools/keel-hosted/svsm_port.c tools/keel-hosted/svsm_port_frame.c $(filter-out $(MANIFEST_SRCS),$(KEEL_SVSM_ROUTER_SRCS)) \
	tools/keel-hosted/attest_signer.c $(EMULATED_REPORT_SRCS) tools/keel-hosted/data_file.c
KEEL_HOSTED_HDRS := tools/keel-hosted/launch.h tools/keel-hosted/data_file.h syscalls/hosted/hosted.h $(MANIFEST_HDRS) kernel/task/outcome.h \
	tools/keel-hosted/tpm_frames.h tools/keel-hosted/vtpm_router.h tools/keel-hosted/tpm_frontend.h tools/keel-hosted/tpm_listen.h \
	tools/keel-hosted/svsm_port.h $(wildcard kernel/svsm/*.h) \
	apps/vtpm/vtpm_protocol.h syscalls/include/keel/svsm.h tools/keel-hosted/attest_signer.h \
	$(EMULATED_REPORT_HDRS)
# (attest: the emulated report signer links the host build of BearSSL, kernel/kernel.mk)
$(BIN)/keel-hosted: $(KEEL_HOSTED_SRCS) $(KEEL_HOSTED_HDRS) $(BEARSSL_HOST_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -I$(BEARSSL_DIR)/inc -Isyscalls/hosted -Iapps/vtpm -o $@ $(KEEL_HOSTED_SRCS) \
		$(BEARSSL_HOST_LIB) -lpthread
ALL += $(BIN)/keel-hosted

# keel-svsm-call: one raw SVSM call to keel-hosted's guest port (docs/hosted.md, "Guest port").
$(BIN)/keel-svsm-call: tools/keel-svsm-call/main.c tools/lib/fd_io.c tools/lib/fd_io.h tools/keel-hosted/svsm_port.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Itools/keel-hosted -Itools/lib -o $@ tools/keel-svsm-call/main.c tools/lib/fd_io.c
ALL += $(BIN)/keel-svsm-call

# tests/bench/vtpm-bench.sh: PCR_Extend via libtpms in-process vs through keel-hosted.
$(BUILD)/bench/tpm-path-bench: tests/bench/tpm-path-bench.c tests/tasks/tpm-smoke/nvram.c \
		tests/tasks/tpm-smoke/nvram.h tests/bench/bench_time.h tests/bench/bench_io.h tests/bench/bench_tpm.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Itests/tasks/tpm-smoke -o $@ tests/bench/tpm-path-bench.c \
		tests/tasks/tpm-smoke/nvram.c -ltpms
ALL_TESTS += $(BUILD)/bench/tpm-path-bench
# tests/bench/vtpm-bench.sh: TPM commands per command on one persistent connection.
$(BUILD)/bench/tpm-cmd-bench: tests/bench/tpm-cmd-bench.c tests/bench/bench_time.h tests/bench/bench_io.h tests/bench/bench_tpm.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/bench/tpm-cmd-bench.c
ALL_TESTS += $(BUILD)/bench/tpm-cmd-bench
# end keel-hosted

# keel-varctl
# UEFI variables of the uefivars service over the guest port or the booted
# serial passthrough (docs/keel-varctl.md); links the service's GUIDs and
# raw varstore parser (apps/uefivars/guids.c, fdstore.c).
KEEL_VARCTL_SRCS := $(wildcard tools/keel-varctl/*.c) apps/uefivars/guids.c $(UEFIVARS_FDSTORE_SRCS) \
	tools/lib/fd_io.c
$(BIN)/keel-varctl: $(KEEL_VARCTL_SRCS) tools/keel-varctl/varctl.h tools/keel-hosted/svsm_port.h tools/lib/fd_io.h \
		apps/uefivars/efi.h apps/uefivars/mm_wire.h apps/uefivars/fdstore.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Itools/keel-hosted -Itools/lib -Iapps/uefivars -o $@ $(KEEL_VARCTL_SRCS) -ljansson
ALL += $(BIN)/keel-varctl
# end keel-varctl

# keel-tpm-serial
# TPM simulator protocol on 127.0.0.1 <-> the test guest's COM2 frames
# (docs/guest.md): tpm2-tools drive the booted vTPM through the guest.
# The mssim frames are parsed by keel-hosted's tpm_frames.c (one parser per format).
KEEL_TPM_SERIAL_SRCS := tools/keel-tpm-serial/main.c tools/keel-tpm-serial/serial_frame.c \
	tools/keel-hosted/tpm_frames.c tools/lib/fd_io.c
$(BIN)/keel-tpm-serial: $(KEEL_TPM_SERIAL_SRCS) tools/keel-tpm-serial/serial_frame.h tools/keel-hosted/tpm_frames.h \
		tools/lib/fd_io.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Itools/keel-hosted -Itools/lib -o $@ $(KEEL_TPM_SERIAL_SRCS)
ALL += $(BIN)/keel-tpm-serial
# end keel-tpm-serial

# keel-state
# The offline tool for store images (docs/storage-format.md): the format
# library itself ($(STORE_SRCS), apps/apps.mk), host-built with -lcrypto.
# One file per subcommand family; tools/keel-state/commands.c lists them.
KEEL_STATE_SRCS := $(wildcard tools/keel-state/*.c) $(STORE_SRCS) $(KEEL_STATE_VTPM_SRCS)
$(BIN)/keel-state: $(KEEL_STATE_SRCS) tools/keel-state/keel_state.h $(STORE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Iapps/storaged -Itools/keel-state -o $@ $(KEEL_STATE_SRCS) -ltpms -lcrypto
ALL += $(BIN)/keel-state
# end keel-state

# store-bench
# tests/bench/run-bench.sh: the store's block writes per small update per image size,
# and a commit's latency next to a raw write + flush (tests/bench/store-bench.c).
$(BUILD)/bench/store-bench: tests/bench/store-bench.c tests/bench/bench_time.h $(STORE_SRCS) $(STORE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Iapps/storaged -o $@ tests/bench/store-bench.c $(STORE_SRCS) -lcrypto
ALL_TESTS += $(BUILD)/bench/store-bench
# end store-bench

# vtpm-store bench
# tests/bench/vtpm-store-bench.sh: PCR_Extend and NV_Increment per command,
# the vtpm with storaged, without (build/hosted/vtpm-mem) and swtpm.
$(BUILD)/bench/tpm-nv-bench: tests/bench/tpm-nv-bench.c tests/bench/bench_time.h tests/bench/bench_io.h tests/bench/bench_tpm.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/bench/tpm-nv-bench.c
ALL_TESTS += $(BUILD)/bench/tpm-nv-bench
# end vtpm-store bench

# kbs-db
# The key broker's state (tools/kbs/db.h, docs/kbs-db.md): SQLite and PostgreSQL
# backends behind one dispatch; tools/kbs's build rule links these.
KBS_DB_SRCS := tools/kbs/db.c tools/kbs/db_sqlite.c tools/kbs/db_pg.c tools/kbs/db_util.c
KBS_DB_HDRS := tools/kbs/db.h tools/kbs/db_backend.h
KBS_DB_CFLAGS := -I/usr/include/postgresql
KBS_DB_LIBS := -lsqlite3 -lpq -lpthread
# end kbs-db

# kbs
# The key broker (docs/kbs.md) and its CLI; the DB layer is kbs-db's section above.
KBS_SRCS := tools/kbs/main.c tools/kbs/http.c tools/kbs/handlers.c tools/kbs/attest.c \
	tools/kbs/request.c tools/kbs/snp.c tools/kbs/jwe.c tools/kbs/identity.c tools/kbs/b64.c \
	tools/kbs/log.c tools/kbs/tls_ctx.c tools/kbs/tls_server.c tools/kbs/tls_relay.c
KBS_HDRS := tools/kbs/server.h tools/kbs/http.h tools/kbs/request.h tools/kbs/snp.h tools/kbs/jwe.h \
	tools/kbs/identity.h tools/kbs/b64.h tools/kbs/log.h tools/kbs/tls.h
$(BIN)/kbs: $(KBS_SRCS) $(KBS_HDRS) $(KBS_DB_SRCS) $(KBS_DB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(KBS_DB_CFLAGS) -o $@ $(KBS_SRCS) $(KBS_DB_SRCS) \
		-lmicrohttpd -ljansson -lssl -lcrypto $(KBS_DB_LIBS)
KBS_ADMIN_SRCS := tools/kbs/admin.c tools/kbs/identity.c tools/kbs/request.c tools/kbs/b64.c \
	tools/kbs/tls_admin.c
$(BIN)/kbs-admin: $(KBS_ADMIN_SRCS) $(KBS_HDRS) tools/kbs/tls_admin.h $(KBS_DB_SRCS) $(KBS_DB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(KBS_DB_CFLAGS) -o $@ $(KBS_ADMIN_SRCS) $(KBS_DB_SRCS) -ljansson -lcrypto $(KBS_DB_LIBS)
ALL += $(BIN)/kbs $(BIN)/kbs-admin
# end kbs
