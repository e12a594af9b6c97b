# manifest/bundle
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	$(WARN) $(INCLUDES) -D_GNU_SOURCE

$(BUILD)/fuzz/manifest: tests/fuzz/manifest/fuzz_manifest.c $(MANIFEST_SRCS) $(MANIFEST_HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ tests/fuzz/manifest/fuzz_manifest.c $(MANIFEST_SRCS)

$(BUILD)/fuzz/bundle: tests/fuzz/manifest/fuzz_bundle.c kernel/task/bundle.c kernel/task/bundle.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ tests/fuzz/manifest/fuzz_bundle.c kernel/task/bundle.c

$(BUILD)/fuzz/seed-bundle: tests/fuzz/manifest/seed_bundle.c kernel/task/bundle.c kernel/task/bundle.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/fuzz/manifest/seed_bundle.c kernel/task/bundle.c

ALL_TESTS += $(BUILD)/fuzz/manifest $(BUILD)/fuzz/bundle $(BUILD)/fuzz/seed-bundle
# end manifest/bundle

# igvm
IGVM_FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	$(WARN) $(INCLUDES) -D_GNU_SOURCE -Iloader/igvm -Iloader/igvm-measure
IGVM_FUZZ_SRCS := tests/fuzz/igvm/fuzz_igvm.c $(IGVM_PARSE_SRCS) loader/igvm-measure/snp_measure.c
$(BUILD)/fuzz/igvm: $(IGVM_FUZZ_SRCS) loader/igvm/igvm_parse.h loader/igvm/igvm_format.h
	@mkdir -p $(dir $@)
	$(CLANG) $(IGVM_FUZZ_CFLAGS) -o $@ $(IGVM_FUZZ_SRCS) -lcrypto
ALL_TESTS += $(BUILD)/fuzz/igvm
# end igvm

# vtpm
# The vtpm's router-message and SVSM_VTPM_CMD parser (apps/vtpm/request.c);
# tests/hosted/fuzz-vtpm.sh runs it briefly from seeds made by vtpm-request-seed.
$(BUILD)/fuzz/vtpm-request: tests/fuzz/vtpm-request/fuzz_vtpm_request.c apps/vtpm/request.c apps/vtpm/request.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ tests/fuzz/vtpm-request/fuzz_vtpm_request.c apps/vtpm/request.c
$(BUILD)/fuzz/vtpm-request-seed: tests/fuzz/vtpm-request/seed.c apps/vtpm/request.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/fuzz/vtpm-request/seed.c
ALL_TESTS += $(BUILD)/fuzz/vtpm-request $(BUILD)/fuzz/vtpm-request-seed
# end vtpm

# tpm-frames
# keel-hosted's TPM simulator / swtpm frame parsers (tools/keel-hosted/tpm_frames.c);
# tests/hosted/fuzz-tpm-frames.sh runs it briefly.
$(BUILD)/fuzz/tpm-frames: tests/fuzz/tpm-frames/fuzz_tpm_frames.c tools/keel-hosted/tpm_frames.c \
		tools/keel-hosted/tpm_frames.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Itools/keel-hosted -o $@ tests/fuzz/tpm-frames/fuzz_tpm_frames.c \
		tools/keel-hosted/tpm_frames.c
ALL_TESTS += $(BUILD)/fuzz/tpm-frames
# end tpm-frames

# tpm-serial
# keel-tpm-serial's parser of the guest's COM2 response frames
# (tools/keel-tpm-serial/serial_frame.c); tests/hosted/fuzz-tpm-serial.sh runs it briefly.
$(BUILD)/fuzz/tpm-serial: tests/fuzz/tpm-serial/fuzz_tpm_serial.c tools/keel-tpm-serial/serial_frame.c \
		tools/keel-tpm-serial/serial_frame.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Itools/keel-tpm-serial -o $@ tests/fuzz/tpm-serial/fuzz_tpm_serial.c \
		tools/keel-tpm-serial/serial_frame.c
ALL_TESTS += $(BUILD)/fuzz/tpm-serial
# end tpm-serial

# kernel-elf
# The kernel's ELF checker (kernel/task/elf.c, host-built as the unit tests do);
# tests/hosted/fuzz-kernel-elf.sh runs it briefly from stripped task binaries.
$(BUILD)/fuzz/kernel-elf: tests/fuzz/kernel-elf/fuzz_kernel_elf.c kernel/task/elf.c kernel/lib/kprintf.c \
		kernel/task/elf.h kernel/task/layout.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ tests/fuzz/kernel-elf/fuzz_kernel_elf.c kernel/task/elf.c \
		kernel/lib/kprintf.c
ALL_TESTS += $(BUILD)/fuzz/kernel-elf
# end kernel-elf

# guest-decode
# The guest instruction decoder (kernel/platform/native/guest_insn.c);
# tests/hosted/fuzz-guest-decode.sh runs it briefly.
$(BUILD)/fuzz/guest-decode: tests/fuzz/guest-decode/fuzz_guest_decode.c kernel/platform/native/guest_insn.c \
		kernel/platform/native/guest_insn.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ tests/fuzz/guest-decode/fuzz_guest_decode.c \
		kernel/platform/native/guest_insn.c
ALL_TESTS += $(BUILD)/fuzz/guest-decode
# end guest-decode

# svsm-port
# keel-hosted's guest-port frame parser (tools/keel-hosted/svsm_port_frame.c);
# tests/hosted/fuzz-svsm-port.sh runs it briefly.
$(BUILD)/fuzz/svsm-port: tests/fuzz/svsm-port/fuzz_svsm_port.c tools/keel-hosted/svsm_port_frame.c \
		tools/keel-hosted/svsm_port.h tools/keel-hosted/tpm_frames.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Itools/keel-hosted -o $@ tests/fuzz/svsm-port/fuzz_svsm_port.c \
		tools/keel-hosted/svsm_port_frame.c
ALL_TESTS += $(BUILD)/fuzz/svsm-port
# end svsm-port

# storaged-api
# storaged's request handler (apps/storaged/service.c) over a RAM store,
# fuzzed message sequences on two namespaces and the key channel;
# tests/hosted/fuzz-storaged-api.sh runs it briefly from seeds.
STORAGED_FUZZ_SRCS := tests/fuzz/storaged-api/fuzz_storaged_api.c $(addprefix apps/storaged/,service.c \
	stage.c unlock.c status.c) $(STORE_SRCS)
$(BUILD)/fuzz/storaged-api: $(STORAGED_FUZZ_SRCS) apps/storaged/storaged.h $(STORE_HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Iapps/storaged -o $@ $(STORAGED_FUZZ_SRCS) -lcrypto
$(BUILD)/fuzz/storaged-api-seed: tests/fuzz/storaged-api/seed.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ tests/fuzz/storaged-api/seed.c
ALL_TESTS += $(BUILD)/fuzz/storaged-api $(BUILD)/fuzz/storaged-api-seed
# end storaged-api

# store-image
# The store format library opening fuzzed images (apps/storaged/store*.c);
# tests/hosted/fuzz-store-image.sh runs it briefly from seeds keel-state makes.
$(BUILD)/fuzz/store-image: tests/fuzz/store-image/fuzz_store_image.c $(STORE_SRCS) $(STORE_HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Iapps/storaged -o $@ tests/fuzz/store-image/fuzz_store_image.c \
		$(STORE_SRCS) -lcrypto
# store-crafted: images sealed with the key, built from fuzzed plaintext descriptions.
$(BUILD)/fuzz/store-crafted: tests/fuzz/store-image/fuzz_store_crafted.c $(STORE_SRCS) $(STORE_HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Iapps/storaged -o $@ tests/fuzz/store-image/fuzz_store_crafted.c \
		$(STORE_SRCS) -lcrypto
$(BUILD)/fuzz/store-crafted-seed: tests/fuzz/store-image/seed_crafted.c $(STORE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Iapps/storaged -o $@ tests/fuzz/store-image/seed_crafted.c
ALL_TESTS += $(BUILD)/fuzz/store-image $(BUILD)/fuzz/store-crafted $(BUILD)/fuzz/store-crafted-seed
# end store-image

# blk-request
# blkdev's request checks and KEEL_BLK_FAULT parser (apps/blkdev/request.c,
# fault.c); tests/hosted/fuzz-blk-request.sh runs it briefly.
$(BUILD)/fuzz/blk-request: tests/fuzz/blk-request/fuzz_blk_request.c apps/blkdev/request.c \
		apps/blkdev/fault.c apps/blkdev/request.h apps/blkdev/fault.h apps/blkdev/backend.h \
		apps/blkdev/blk_protocol.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ tests/fuzz/blk-request/fuzz_blk_request.c apps/blkdev/request.c \
		apps/blkdev/fault.c
ALL_TESTS += $(BUILD)/fuzz/blk-request
# end blk-request

# guest-attest
# Guest attestation buffers: the router's rcx-desc decoding and
# attest-bridge's protocol-1 handler (tests/fuzz/guest-attest/);
# tests/hosted/fuzz-guest-attest.sh runs it briefly.
$(BUILD)/fuzz/guest-attest: tests/fuzz/guest-attest/fuzz_guest_attest.c $(GUEST_ATTEST_HARNESS) \
		$(wildcard apps/attest-bridge/guest_*.h) tests/unit/attest/guest_harness.h \
		$(wildcard kernel/svsm/*.h) $(MANIFEST_HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ tests/fuzz/guest-attest/fuzz_guest_attest.c \
		$(GUEST_ATTEST_HARNESS) -lcrypto
ALL_TESTS += $(BUILD)/fuzz/guest-attest
# end guest-attest

# bridge-response
# attest-bridge's parsing of what the broker (or the host) sends: HTTP,
# JSON, the JWE and Keel members (tests/hosted/fuzz-bridge-response.sh).
$(BUILD)/fuzz/bridge-response: tests/fuzz/bridge-response/fuzz_bridge_response.c $(ATTEST_PARSE_SRCS) \
		$(wildcard apps/attest-bridge/*.h)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Iapps/attest-bridge -o $@ tests/fuzz/bridge-response/fuzz_bridge_response.c \
		$(ATTEST_PARSE_SRCS)
ALL_TESTS += $(BUILD)/fuzz/bridge-response
# end bridge-response

# stream
# consdev's request check and the reset-line scanner (tests/hosted/fuzz-stream.sh).
$(BUILD)/fuzz/stream: tests/fuzz/stream/fuzz_stream.c apps/consdev/request.c apps/consdev/request.h \
		apps/consdev/reset_line.h apps/consdev/stream_protocol.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ tests/fuzz/stream/fuzz_stream.c apps/consdev/request.c
ALL_TESTS += $(BUILD)/fuzz/stream
# end stream

# net-request
# netdev's request check (tests/hosted/fuzz-net-request.sh).
$(BUILD)/fuzz/net-request: tests/fuzz/net-request/fuzz_net_request.c apps/netdev/request.c \
		apps/netdev/request.h apps/netdev/net_protocol.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ tests/fuzz/net-request/fuzz_net_request.c apps/netdev/request.c
ALL_TESTS += $(BUILD)/fuzz/net-request
# end net-request

# kbs-request
# The key broker's JSON request and SNP evidence parsing (tools/kbs/request.c,
# snp.c); tests/hosted/fuzz-kbs-request.sh runs it briefly.
KBS_FUZZ_SRCS := tests/fuzz/kbs-request/fuzz_kbs_request.c tools/kbs/request.c tools/kbs/snp.c tools/kbs/b64.c
$(BUILD)/fuzz/kbs-request: $(KBS_FUZZ_SRCS) tools/kbs/request.h tools/kbs/snp.h tools/kbs/b64.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Itools/kbs -o $@ $(KBS_FUZZ_SRCS) -ljansson -lcrypto
ALL_TESTS += $(BUILD)/fuzz/kbs-request
# end kbs-request

# uefivars-mm
# The UEFI variable service's MM entry point (uv_mm_request) on a
# memory-only store, several requests per input (tests/fuzz/uefivars-mm/);
# tests/hosted/fuzz-uefivars.sh runs it briefly from the seeds
# uefivars-mm-seed writes. The service's sources without main.c come from
# apps/apps.mk (UEFIVARS_LIB_SRCS); chan_none.c stands in for storaged.
UEFIVARS_FUZZ_SRCS := tests/fuzz/uefivars-mm/fuzz_uefivars_mm.c tests/fuzz/uefivars-mm/chan_none.c \
	$(UEFIVARS_LIB_SRCS)
$(BUILD)/fuzz/uefivars-mm: $(UEFIVARS_FUZZ_SRCS) $(wildcard apps/uefivars/*.h) \
		tests/fuzz/uefivars-mm/fuzz_uefivars_mm.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Iapps/uefivars -o $@ $(UEFIVARS_FUZZ_SRCS) -lcrypto
$(BUILD)/fuzz/uefivars-mm-seed: tests/fuzz/uefivars-mm/seed.c tests/fuzz/uefivars-mm/fuzz_uefivars_mm.h \
		apps/uefivars/guids.c $(wildcard apps/uefivars/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Iapps/uefivars -o $@ tests/fuzz/uefivars-mm/seed.c apps/uefivars/guids.c
ALL_TESTS += $(BUILD)/fuzz/uefivars-mm $(BUILD)/fuzz/uefivars-mm-seed
# end uefivars-mm

# uefivars-auth
# The authenticated-variable path (apps/uefivars auth_*.c, secureboot*.c)
# over the unit test's store double; tests/hosted/fuzz-uefivars-auth.sh runs
# it briefly from the vectors tests/unit/uefivars-auth/mkvectors.sh makes.
UEFIVARS_AUTH_FUZZ_SRCS := tests/fuzz/uefivars-auth/fuzz_auth.c tests/unit/uefivars-auth/fake_store.c \
	tests/unit/uefivars-auth/fake_fdstore.c $(UEFIVARS_AUTH_SRCS) apps/uefivars/guids.c
$(BUILD)/fuzz/uefivars-auth: $(UEFIVARS_AUTH_FUZZ_SRCS) $(wildcard apps/uefivars/*.h) \
		tests/unit/uefivars-auth/fake_store.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Iapps/uefivars -Itests/unit/uefivars-auth -o $@ \
		$(UEFIVARS_AUTH_FUZZ_SRCS) -lcrypto
ALL_TESTS += $(BUILD)/fuzz/uefivars-auth
# end uefivars-auth

# uefivars-fdstore
# apps/uefivars/fdstore.c, the raw edk2 varstore parser (tests/hosted/fuzz-uefivars-fdstore.sh).
$(BUILD)/fuzz/uefivars-fdstore: tests/fuzz/uefivars-fdstore/fuzz_fdstore.c $(UEFIVARS_FDSTORE_SRCS) \
		apps/uefivars/fdstore.h apps/uefivars/efi.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Iapps/uefivars -o $@ tests/fuzz/uefivars-fdstore/fuzz_fdstore.c $(UEFIVARS_FDSTORE_SRCS)
ALL_TESTS += $(BUILD)/fuzz/uefivars-fdstore
# end uefivars-fdstore

# net-frames
# lwIP as apps/net configures it, fed fuzzed Ethernet frames with a client
# connection, a listener, ARP and DHCP in play (tests/fuzz/net-frames/,
# tests/hosted/fuzz-net-frames.sh). lwIP is built a third time here with
# the fuzzer's instrumentation and sanitizers, from the same sources and
# the same lwipopts.h as liblwip-{task,host}.a (apps/apps.mk, section net).
LWIP_FUZZ_CFLAGS := -g -O1 -std=gnu11 -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -D_GNU_SOURCE $(TASK_INCLUDES) $(LWIP_INCLUDES)
LWIP_FUZZ_LIB := $(BUILD)/fuzz-obj/liblwip-fuzz.a
$(BUILD)/fuzz-obj/lwip/%.o: $(LWIP_STAMP) apps/net/lwipopts.h apps/net/arch/cc.h apps/net/keel_net_hooks.h
	@mkdir -p $(dir $@)
	$(CLANG) $(LWIP_FUZZ_CFLAGS) -c -o $@ $(LWIP_DIR)/src/$*.c
$(BUILD)/fuzz-obj/apps/net/%.o: apps/net/%.c apps/net/lwipopts.h apps/net/keel_net_hooks.h | $(LWIP_STAMP)
	@mkdir -p $(dir $@)
	$(CLANG) $(LWIP_FUZZ_CFLAGS) $(WARN) -c -o $@ $<
$(LWIP_FUZZ_LIB): $(addprefix $(BUILD)/fuzz-obj/lwip/,$(LWIP_FILES:.c=.o)) \
		$(patsubst %.c,$(BUILD)/fuzz-obj/%.o,$(LWIP_KEEL_FILES))
	@mkdir -p $(dir $@) && rm -f $@
	$(AR) rcs $@ $^
NET_FRAMES_FUZZ_SRCS := $(addprefix tests/fuzz/net-frames/,fuzz_net_frames.c stack.c frame_check.c lwip_env.c)
$(BUILD)/fuzz/net-frames: $(NET_FRAMES_FUZZ_SRCS) tests/fuzz/net-frames/net_fuzz.h tests/fuzz/net-frames/lwip_env.h \
		apps/netdev/net_protocol.h $(LWIP_FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(CLANG) $(subst fuzzer-no-link,fuzzer,$(LWIP_FUZZ_CFLAGS)) $(WARN) -Iapps/netdev -o $@ \
		$(NET_FRAMES_FUZZ_SRCS) $(LWIP_FUZZ_LIB)
ALL_TESTS += $(BUILD)/fuzz/net-frames
# end net-frames

# http-response
# attest-bridge's HTTP response parser and client fed a response in pieces
# of fuzzed sizes (tests/fuzz/http-response/, tests/hosted/fuzz-http-response.sh):
# the verdict must not depend on the split, and nothing is read past the input.
$(BUILD)/fuzz/http-response: tests/fuzz/http-response/fuzz_http_response.c apps/attest-bridge/http_parse.c \
		apps/attest-bridge/http_client.c apps/attest-bridge/http.h apps/attest-bridge/transport.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Iapps/attest-bridge -o $@ tests/fuzz/http-response/fuzz_http_response.c \
		apps/attest-bridge/http_parse.c apps/attest-bridge/http_client.c
ALL_TESTS += $(BUILD)/fuzz/http-response
# end http-response

# netstack-config
# apps/netstack's manifest arg= parser with a write-back round trip
# (tests/fuzz/netstack/, tests/hosted/fuzz-netstack.sh).
$(BUILD)/fuzz/netstack-config: tests/fuzz/netstack/fuzz_netstack_config.c apps/netstack/config.c \
		apps/netstack/config.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Iapps/netstack -o $@ tests/fuzz/netstack/fuzz_netstack_config.c \
		apps/netstack/config.c
ALL_TESTS += $(BUILD)/fuzz/netstack-config
# end netstack-config

# netstack-session
# apps/netstack (all but main.c) on the fuzz lwIP, with netdev and the
# stream client played from the input (tests/fuzz/netstack/,
# tests/hosted/fuzz-netstack.sh).
NETSTACK_FUZZ_SRCS := $(addprefix tests/fuzz/netstack/,fuzz_netstack_session.c fake_keel.c) \
	$(addprefix apps/netstack/,config.c link.c ipconf.c pump.c tcp_conn.c serve.c) \
	apps/consdev/request.c apps/netdev/request.c \
	$(addprefix tests/fuzz/net-frames/,frame_check.c lwip_env.c)
$(BUILD)/fuzz/netstack-session: $(NETSTACK_FUZZ_SRCS) $(wildcard apps/netstack/*.h) \
		tests/fuzz/netstack/session.h tests/fuzz/net-frames/lwip_env.h tests/fuzz/net-frames/net_fuzz.h \
		apps/netdev/net_protocol.h apps/consdev/stream_protocol.h $(LWIP_FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(CLANG) $(subst fuzzer-no-link,fuzzer,$(LWIP_FUZZ_CFLAGS)) $(WARN) -Iapps/netstack -Iapps/netdev \
		-o $@ $(NETSTACK_FUZZ_SRCS) $(LWIP_FUZZ_LIB)
ALL_TESTS += $(BUILD)/fuzz/netstack-session
# end netstack-session
