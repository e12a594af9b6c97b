# tests/tasks: test-only tasks, each built booted and hosted with keel_task.
# Each owner keeps to its own block.

# lib
# Code several test tasks share: the stream protocol's calls and reply
# checks (tests/tasks/lib/stream_call.h) for stream-client, netstack-client
# and net-lossy-client.
STREAM_CALL_SRCS := tests/tasks/lib/stream_call.c
# end lib

# hostile
# The isolation tests' hostile task (one binary, mode in argv[1]) and its
# victim; used by tests/system/hostile-booted.sh and tests/hosted/hostile-hosted.sh.
HOSTILE_SRCS := $(addprefix tests/tasks/hostile/,main.c tlog.c fatal.c badptr.c lengths.c \
	handles.c exhaust.c spin.c)
VICTIM_SRCS := tests/tasks/victim/victim.c tests/tasks/hostile/tlog.c
$(eval $(call keel_task,hostile,$(HOSTILE_SRCS),,))
$(eval $(call keel_task,victim,$(VICTIM_SRCS),,))
ALL_TESTS += $(BUILD)/tasks/hostile $(BUILD)/hosted/hostile $(BUILD)/tasks/victim $(BUILD)/hosted/victim
# end hostile

# bench
# The channel/syscall benchmark pair run by `make bench` (tests/bench/run-bench.sh).
$(eval $(call keel_task,bench-server,tests/tasks/bench/bench-server.c tests/tasks/hostile/tlog.c,,))
$(eval $(call keel_task,bench-client,tests/tasks/bench/bench-client.c tests/tasks/hostile/tlog.c,,))
ALL_TESTS += $(BUILD)/tasks/bench-server $(BUILD)/hosted/bench-server \
	$(BUILD)/tasks/bench-client $(BUILD)/hosted/bench-client
# end bench

# tpm-smoke
# libtpms + OpenSSL libcrypto in a task: TPM2_Startup, GetRandom, RSA-2048
# CreatePrimary (tests/system/tpm-smoke.sh boots it; hosted build runs on Linux).
TPM_SMOKE_SRCS := tests/tasks/tpm-smoke/main.c tests/tasks/tpm-smoke/nvram.c
$(eval $(call keel_task,tpm-smoke,$(TPM_SMOKE_SRCS),/usr/lib/x86_64-linux-gnu/libtpms.a /usr/lib/x86_64-linux-gnu/libcrypto.a,-ltpms -lcrypto))
ALL_TESTS += $(BUILD)/tasks/tpm-smoke $(BUILD)/hosted/tpm-smoke
# end tpm-smoke

# hosted-abi
# Channel-ABI test pair (tests/tasks/hosted-abi/abi.manifest), only against
# keel/syscall.h: run hosted by tests/hosted/hosted-abi.sh, bootable too.
ABI_CHECK := tests/tasks/hosted-abi/check.c
$(eval $(call keel_task,abi-client,tests/tasks/hosted-abi/client.c $(ABI_CHECK),,))
$(eval $(call keel_task,abi-server,tests/tasks/hosted-abi/server.c $(ABI_CHECK),,))
ALL_TESTS += $(BUILD)/tasks/abi-client $(BUILD)/hosted/abi-client \
	$(BUILD)/tasks/abi-server $(BUILD)/hosted/abi-server
# end hosted-abi

# vtpm-client
# Drives apps/vtpm over its router handle (SVSM calls, platform signals, EK
# certificates): tests/hosted/vtpm.sh and tests/system/vtpm-client-booted.sh.
VTPM_CLIENT_SRCS := tests/tasks/vtpm-client/client.c tests/tasks/vtpm-client/call.c \
	apps/vtpm/marshal.c apps/vtpm/ek.c apps/vtpm/ekcert.c
$(eval $(call keel_task,vtpm-client,$(VTPM_CLIENT_SRCS),/usr/lib/x86_64-linux-gnu/libcrypto.a,-lcrypto))
ALL_TESTS += $(BUILD)/tasks/vtpm-client $(BUILD)/hosted/vtpm-client
# end vtpm-client

# bounds
# The copy and capability rules (issue 12): device windows are not buffers,
# cap=attest, escaped log lines. tests/system/bounds-booted.sh, tests/hosted/bounds-hosted.sh.
$(eval $(call keel_task,bounds,tests/tasks/bounds/bounds.c tests/tasks/hostile/tlog.c,,))
ALL_TESTS += $(BUILD)/tasks/bounds $(BUILD)/hosted/bounds
# end bounds

# attest
# keel_attest_report with cap=attest: the report as hex for the host to
# verify (tests/system/attest-booted.sh, tests/hosted/attest-report-hosted.sh).
$(eval $(call keel_task,attest,tests/tasks/attest/attest.c tests/tasks/hostile/tlog.c,,))
ALL_TESTS += $(BUILD)/tasks/attest $(BUILD)/hosted/attest
# end attest

# cpustate
# CPU state a task leaves behind (docs/kernel.md "CPU state on entry and
# switch"): one binary, mode in argv[1] (tests/tasks/cpustate/cpustate.h);
# tests/system/cpustate-booted.sh and tests/hosted/cpustate-hosted.sh.
CPUSTATE_SRCS := $(addprefix tests/tasks/cpustate/,main.c cpu.c keeper.c flags.c segs.c service.c) \
	tests/tasks/hostile/tlog.c
$(eval $(call keel_task,cpustate,$(CPUSTATE_SRCS),,))
ALL_TESTS += $(BUILD)/tasks/cpustate $(BUILD)/hosted/cpustate
# end cpustate

# sources
# Randomness and the clock as a task sees them (tests/system/sources-booted.sh
# boots it twice, tests/hosted/sources-hosted.sh runs it twice).
$(eval $(call keel_task,sources,tests/tasks/sources/sources.c,,))
ALL_TESTS += $(BUILD)/tasks/sources $(BUILD)/hosted/sources
# end sources

# proto-echo
# A service for SVSM protocol 0x4B45454C with a buffer=1:rcx+rdx:32 rule,
# declared only in its manifest (tests/system/proto-echo.manifest): the test
# guest's mode proto-echo calls it booted (tests/system/proto-echo-booted.sh).
$(eval $(call keel_task,proto-echo,tests/tasks/proto-echo/proto-echo.c $(SVSM_SERVE_SRCS),,))
ALL_TESTS += $(BUILD)/tasks/proto-echo $(BUILD)/hosted/proto-echo
# end proto-echo

# svsm-reply
# A protocol service replying well or badly by call number: the router's reply
# checks hosted through keel-hosted's guest port (tests/hosted/svsm-port.sh).
$(eval $(call keel_task,svsm-reply,tests/tasks/svsm-reply/main.c tests/tasks/hostile/tlog.c,,))
ALL_TESTS += $(BUILD)/tasks/svsm-reply $(BUILD)/hosted/svsm-reply
# end svsm-reply

# svsm-parts-bad
# A protocol service breaking the large-buffer exchange on purpose
# (tests/hosted/svsm-parts-hostile.sh).
$(eval $(call keel_task,svsm-parts-bad,tests/tasks/svsm-parts-bad/main.c,,))
ALL_TESTS += $(BUILD)/tasks/svsm-parts-bad $(BUILD)/hosted/svsm-parts-bad
# end svsm-parts-bad

# blk-client
# Drives apps/blkdev (tests/hosted/blkdev-hosted.sh, tests/system/blkdev-booted.sh)
# and the interrupt syscalls (modes irq, irq-dev).
BLK_CLIENT_SRCS := $(addprefix tests/tasks/blk-client/,main.c call.c bad.c irq.c)
$(eval $(call keel_task,blk-client,$(BLK_CLIENT_SRCS),,))
ALL_TESTS += $(BUILD)/tasks/blk-client $(BUILD)/hosted/blk-client
# end blk-client

# net-client
# Drives apps/netdev (tests/system/netdev-booted.sh: ARP and DHCP through
# QEMU's slirp; mode nodev booted without a device and hosted).
$(eval $(call keel_task,net-client,tests/tasks/net-client/main.c,,))
ALL_TESTS += $(BUILD)/tasks/net-client $(BUILD)/hosted/net-client
# end net-client
# net-lossy-client
# Drives apps/netstack through a lossy path (tests/hosted/net-lossy.sh):
# BYTES echoed back identical by a Linux TCP echo server, ROUNDS connections.
$(eval $(call keel_task,net-lossy-client,tests/tasks/net-lossy-client/main.c $(STREAM_CALL_SRCS),,))
ALL_TESTS += $(BUILD)/tasks/net-lossy-client $(BUILD)/hosted/net-lossy-client
# end net-lossy-client
# stream-client
# Drives apps/consdev (tests/system/consdev-booted.sh; mode nodev hosted).
$(eval $(call keel_task,stream-client,tests/tasks/stream-client/main.c $(STREAM_CALL_SRCS),,))
ALL_TESTS += $(BUILD)/tasks/stream-client $(BUILD)/hosted/stream-client
# end stream-client

# storaged-client
# Drives storaged (apps/storaged/) through its client library and raw
# requests, one mode per run: tests/hosted/storaged-hosted.sh, make bench.
SC_SRCS := $(addprefix tests/tasks/storaged-client/,main.c api.c refuse.c modes.c fault.c \
	limits.c) \
	$(STORAGED_CLIENT_SRCS)
$(eval $(call keel_task,storaged-client,$(SC_SRCS),,,tests/tasks/storaged-client/raw_booted.c,tests/tasks/storaged-client/raw_hosted.c))
ALL_TESTS += $(BUILD)/tasks/storaged-client $(BUILD)/hosted/storaged-client
# end storaged-client

# store-smoke
# The store format library with libcrypto.a over Keel's libc (tests/system/store-smoke.sh).
$(eval $(call keel_task,store-smoke,tests/tasks/store-smoke/main.c $(STORE_SRCS),/usr/lib/x86_64-linux-gnu/libcrypto.a,-lcrypto))
ALL_TESTS += $(BUILD)/tasks/store-smoke $(BUILD)/hosted/store-smoke
# end store-smoke

# data-reader
# The data= file from the task's side (keel/task_data.h): tests/system/data-booted.sh,
# tests/hosted/data-hosted.sh (each packs a data file of its own).
$(eval $(call keel_task,data-reader,tests/tasks/data-reader/data_reader.c tests/tasks/hostile/tlog.c,,))
ALL_TESTS += $(BUILD)/tasks/data-reader $(BUILD)/hosted/data-reader
# end data-reader

# netstack-client
# Drives apps/netstack over the stream protocol (tests/system/netstack-booted.sh:
# modes echo, static, refused; tests/hosted/netstack-hosted.sh: mode nodev).
$(eval $(call keel_task,netstack-client,tests/tasks/netstack-client/main.c $(STREAM_CALL_SRCS),,))
ALL_TESTS += $(BUILD)/tasks/netstack-client $(BUILD)/hosted/netstack-client
# end netstack-client

# netdev-void
# A frame-channel stand-in where nobody answers (or a broken driver, mode
# broken): netstack's DHCP, connect-timeout and link-down paths
# (tests/hosted/netstack-hosted.sh).
$(eval $(call keel_task,netdev-void,tests/tasks/netdev-void/main.c,,))
ALL_TESTS += $(BUILD)/tasks/netdev-void $(BUILD)/hosted/netdev-void
# end netdev-void
