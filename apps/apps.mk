# apps: build rules (fragment of the top-level Makefile)

# echo
# The example service (apps/echo/README.md): echo-server and echo-client,
# each built booted ($(BUILD)/tasks/) and hosted ($(BUILD)/hosted/).
$(eval $(call keel_task,echo-server,apps/echo/server.c,,))
$(eval $(call keel_task,echo-client,apps/echo/client.c,,))
# end echo

# vtpm
# The vTPM service (apps/vtpm/README.md): libtpms + libcrypto. Its state
# (permall, the EK CA, the EK certificates) is kept through storaged
# (the client library apps/storaged/client.c + status.c, = STORAGED_CLIENT_SRCS
# below, on handle slot 1) in both modes; only the small
# mode hooks differ (hosted: an outside CA from the environment, exported
# certificate files in KEEL_STATE_DIR).
VTPM_STATE_SRCS := $(addprefix apps/vtpm/,tpm.c request.c marshal.c ek.c ekcert.c ekca_store.c provision.c \
	publish.c state_name.c state_stage.c)
VTPM_SRCS := $(addprefix apps/vtpm/,server.c service.c state_storaged.c ekpub_service.c) \
	$(VTPM_STATE_SRCS) apps/storaged/client.c apps/storaged/status.c
VTPM_BOOTED_SRCS := apps/vtpm/booted_hooks.c
VTPM_HOSTED_SRCS := apps/vtpm/host_files.c apps/vtpm/publish_write.c
VTPM_BOOTED_LIBS := /usr/lib/x86_64-linux-gnu/libtpms.a /usr/lib/x86_64-linux-gnu/libcrypto.a
$(eval $(call keel_task,vtpm,$(VTPM_SRCS),$(VTPM_BOOTED_LIBS),-ltpms -lcrypto,$(VTPM_BOOTED_SRCS),$(VTPM_HOSTED_SRCS)))
# The bench's vtpm without storaged (tests/bench/vtpm-store-bench.sh): hosted
# only, its state in memory (tests/bench/vtpm_mem_backend.c).
VTPM_MEM_SRCS := $(filter-out apps/vtpm/state_storaged.c apps/storaged/%,$(VTPM_SRCS)) \
	$(VTPM_HOSTED_SRCS) tests/bench/vtpm_mem_backend.c
$(BUILD)/hosted/vtpm-mem: $(patsubst %.c,$(BUILD)/hosted-obj/%.o,$(VTPM_MEM_SRCS)) \
		$(BUILD)/hosted-obj/libc/rand.o $(HOSTED_LIB)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(filter %.o,$^) $(HOSTED_LIB) -ltpms -lcrypto -lpthread
ALL_TESTS += $(BUILD)/hosted/vtpm-mem
# keel-state manufacture-tpm (tools/keel-state/manufacture*.c) runs the same provisioning.
KEEL_STATE_VTPM_SRCS := $(VTPM_STATE_SRCS) apps/vtpm/publish_write.c
# end vtpm

# store
# The store, Keel's on-disk format library (docs/storage-format.md): no
# syscalls, linked into storaged, build/bin/keel-state, the unit tests, the
# fuzz target and the bench. Needs libcrypto (booted: libcrypto.a).
STORE_SRCS := $(addprefix apps/storaged/,store_crypto.c store_block.c store_why.c store_alloc.c \
	store_names.c store_super.c store_dir.c store_tree.c store_open.c store_read.c store_txn.c \
	store_commit.c store_ramdev.c)
STORE_HDRS := $(addprefix apps/storaged/,store.h store_int.h store_txn.h storaged_protocol.h)
# end store

# virtio
# The virtio-mmio driver core (apps/virtio/README.md) under blkdev, consdev
# and netdev: device set-up, one split virtqueue, the interrupt.
VIRTIO_SRCS := $(addprefix apps/virtio/,virtio_dev.c virtq.c)
# end virtio

# blkdev
# The block device driver (apps/blkdev/README.md): serves blk_protocol.h on
# handle 1. Booted: virtio-blk over virtio-mmio, completions by interrupt;
# hosted: a file under KEEL_STATE_DIR, with optional power-cut injection.
BLKDEV_SRCS := $(addprefix apps/blkdev/,serve.c request.c)
BLKDEV_BOOTED_SRCS := apps/blkdev/backend_virtio.c $(VIRTIO_SRCS)
BLKDEV_HOSTED_SRCS := $(addprefix apps/blkdev/,backend_file.c fault.c)
$(eval $(call keel_task,blkdev,$(BLKDEV_SRCS),,,$(BLKDEV_BOOTED_SRCS),$(BLKDEV_HOSTED_SRCS)))
# end blkdev

# consdev
# The byte-stream driver (apps/consdev/README.md): serves stream_protocol.h
# on handle 1. Booted: virtio-console (port 0) over virtio-mmio, waits by
# interrupt, relayed on the host by build/bin/keel-proxy; hosted: no device
# (STREAM_ENODEV: the bridge speaks TCP itself there).
CONSDEV_SRCS := $(addprefix apps/consdev/,serve.c request.c)
$(eval $(call keel_task,consdev,$(CONSDEV_SRCS),,,apps/consdev/backend_virtio.c $(VIRTIO_SRCS),apps/consdev/backend_none.c))
# end consdev

# netdev
# The network driver (apps/netdev/README.md, issue 17): serves net_protocol.h
# (raw Ethernet frames) to one client on handle 1. Booted: virtio-net over
# virtio-mmio (32 receive buffers, 8 sends in flight), waits by interrupt;
# hosted: unix datagrams to $KEEL_NET_SOCKET (tests/hosted/net-lossy.sh),
# without it no device (NET_ENODEV).
NETDEV_SRCS := $(addprefix apps/netdev/,serve.c request.c)
NETDEV_BOOTED_SRCS := $(addprefix apps/netdev/,backend_virtio.c frame_queue.c) $(VIRTIO_SRCS)
$(eval $(call keel_task,netdev,$(NETDEV_SRCS),,,$(NETDEV_BOOTED_SRCS),apps/netdev/backend_dgram.c))
# end netdev

# storaged
# The state service (apps/storaged/README.md, docs/storaged.md): the format
# library ($(STORE_SRCS), the format section) over the block driver channel.
# STORAGED_CLIENT_SRCS is the client library, a COMMON source of its clients.
STORAGED_SRCS := $(addprefix apps/storaged/,main.c config.c blk_dev.c unlock.c stage.c \
	service.c status.c)
STORAGED_CLIENT_SRCS := apps/storaged/client.c apps/storaged/status.c
$(eval $(call keel_task,storaged,$(STORAGED_SRCS) $(STORE_SRCS),/usr/lib/x86_64-linux-gnu/libcrypto.a,-lcrypto))
# end storaged

# attest-bridge
# The KBS client (apps/attest-bridge/README.md, docs/attestation.md): the
# report, the broker protocol (docs/kbs.md), UNLOCK storaged, the ack;
# then SVSM protocol 1 through attest_guest_handle (guest_*.c, or the weak
# default). libcrypto (booted: libcrypto.a); its own strict JSON reader
# (docs/decisions.md). Hosted: TCP (kbs=HOST:PORT); booted: the consdev stream
# or netstack's. tls=NAME: OpenSSL's libssl (booted: libssl.a on Keel's libc;
# hosted: the system's), tls_*.c and transport_tls.c (docs/decisions.md D20).
ATTEST_TLS_SRCS := $(addprefix apps/attest-bridge/,transport_tls.c tls_ctx.c tls_name.c)
ATTEST_PARSE_SRCS := $(addprefix apps/attest-bridge/,b64.c json.c http_parse.c)
ATTEST_BRIDGE_SRCS := $(addprefix apps/attest-bridge/,main.c config.c flow.c http_client.c \
	transport_stream.c tee_key.c jwe.c broker_id.c binding.c guest_default.c) \
	$(ATTEST_PARSE_SRCS) $(ATTEST_TLS_SRCS) $(filter-out %/guest_default.c,$(wildcard apps/attest-bridge/guest_*.c))
$(eval $(call keel_task,attest-bridge,$(ATTEST_BRIDGE_SRCS),/usr/lib/x86_64-linux-gnu/libssl.a \
	/usr/lib/x86_64-linux-gnu/libcrypto.a,-lssl -lcrypto,apps/attest-bridge/transport_notcp.c,apps/attest-bridge/transport_tcp.c))
# end attest-bridge

# uefivars
# The UEFI variable service (apps/uefivars/README.md, docs/uefivars.md):
# SVSM protocol 4. Each helper's sources on its own line; the core section
# adds the keel_task rule.
UEFIVARS_CORE_SRCS := apps/uefivars/guids.c $(addprefix apps/uefivars/,mm_request.c mm_variable.c \
	mm_varadmin.c var_store.c var_set.c var_get.c var_quota.c var_name.c var_log.c var_init.c \
	var_default.c persist.c persist_record.c)
UEFIVARS_AUTH_SRCS := apps/uefivars/auth_descriptor.c apps/uefivars/auth_pkcs7.c \
	apps/uefivars/auth_siglist.c apps/uefivars/auth_private.c apps/uefivars/auth_result.c \
	apps/uefivars/auth_verify.c apps/uefivars/auth_set.c apps/uefivars/secureboot_names.c \
	apps/uefivars/secureboot_refresh.c apps/uefivars/secureboot_defaults.c
UEFIVARS_POLICY_SRCS := $(addprefix apps/uefivars/,policy.c policy_entry.c policy_mm.c policy_info.c)
UEFIVARS_FDSTORE_SRCS := apps/uefivars/fdstore.c
# svsm_serve: a protocol service's side of large SVSM buffers (apps/svsm/).
SVSM_SERVE_SRCS := apps/svsm/svsm_serve.c
# The service's sources without main.c: the unit tests and the fuzz target link these.
UEFIVARS_LIB_SRCS := $(UEFIVARS_CORE_SRCS) $(UEFIVARS_AUTH_SRCS) $(UEFIVARS_POLICY_SRCS) \
	$(UEFIVARS_FDSTORE_SRCS) $(STORAGED_CLIENT_SRCS)
UEFIVARS_SRCS := apps/uefivars/main.c $(UEFIVARS_LIB_SRCS) $(SVSM_SERVE_SRCS)
$(eval $(call keel_task,uefivars,$(UEFIVARS_SRCS),/usr/lib/x86_64-linux-gnu/libcrypto.a,-lcrypto))
# end uefivars

# net
# lwIP 2.1.3 (docs/net.md, apps/net/README.md): Debian's source, fetched and
# checked by tools/fetch-lwip.sh, the IPv4 core built NO_SYS with Keel's
# lwipopts.h twice: for ring-3 tasks (TASK_CFLAGS, links against the Keel
# libc) and for the host (hosted tasks, tests/unit/net). Third-party code:
# compiled without -Werror, as BearSSL is (kernel/kernel.mk).
LWIP_DIR := $(BUILD)/lwip/lwip-2.1.3
LWIP_STAMP := $(LWIP_DIR)/.keel-ok
LWIP_FILES := $(addprefix core/,init.c def.c inet_chksum.c ip.c mem.c memp.c netif.c pbuf.c \
	raw.c stats.c sys.c tcp.c tcp_in.c tcp_out.c timeouts.c udp.c) \
	$(addprefix core/ipv4/,dhcp.c etharp.c icmp.c ip4.c ip4_addr.c ip4_frag.c) netif/ethernet.c
LWIP_INCLUDES := -Iapps/net -I$(LWIP_DIR)/src/include
# route.c is built with the library: lwipopts.h names it as lwIP's routing hook.
LWIP_KEEL_FILES := apps/net/route.c
LWIP_TASK_LIB := $(BUILD)/net/liblwip-task.a
LWIP_HOST_LIB := $(BUILD)/net/liblwip-host.a
$(LWIP_STAMP):
	tools/fetch-lwip.sh $(BUILD)/lwip
# Under task-obj/ and hosted-obj/, so the task-include lint sees these build lines.
$(BUILD)/task-obj/lwip/%.o: $(LWIP_STAMP) apps/net/lwipopts.h apps/net/arch/cc.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out $(WARN),$(TASK_CFLAGS)) $(LWIP_INCLUDES) -c -o $@ $(LWIP_DIR)/src/$*.c
$(BUILD)/hosted-obj/lwip/%.o: $(LWIP_STAMP) apps/net/lwipopts.h apps/net/arch/cc.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out $(WARN),$(HOSTED_TASK_CFLAGS)) $(LWIP_INCLUDES) -c -o $@ $(LWIP_DIR)/src/$*.c
# Keel's own files in apps/net/ go through the ordinary task rules, with
# lwIP's headers added.
$(BUILD)/task-obj/apps/net/%.o: TASK_CFLAGS += $(LWIP_INCLUDES)
$(BUILD)/hosted-obj/apps/net/%.o: HOSTED_TASK_CFLAGS += $(LWIP_INCLUDES)
$(patsubst %.c,$(BUILD)/task-obj/%.o,$(LWIP_KEEL_FILES) apps/net/sys_keel.c) \
$(patsubst %.c,$(BUILD)/hosted-obj/%.o,$(LWIP_KEEL_FILES) apps/net/sys_keel.c): | $(LWIP_STAMP)
$(LWIP_TASK_LIB): $(addprefix $(BUILD)/task-obj/lwip/,$(LWIP_FILES:.c=.o)) \
		$(patsubst %.c,$(BUILD)/task-obj/%.o,$(LWIP_KEEL_FILES))
	@mkdir -p $(dir $@) && rm -f $@
	$(AR) rcs $@ $^
$(LWIP_HOST_LIB): $(addprefix $(BUILD)/hosted-obj/lwip/,$(LWIP_FILES:.c=.o)) \
		$(patsubst %.c,$(BUILD)/hosted-obj/%.o,$(LWIP_KEEL_FILES))
	@mkdir -p $(dir $@) && rm -f $@
	$(AR) rcs $@ $^
# The time and randomness glue (apps/net/sys_keel.c), for tasks that link lwIP.
LWIP_SYS_TASK_OBJ := $(BUILD)/task-obj/apps/net/sys_keel.o
LWIP_SYS_HOST_OBJ := $(BUILD)/hosted-obj/apps/net/sys_keel.o
ALL += $(LWIP_TASK_LIB) $(LWIP_HOST_LIB) $(LWIP_SYS_TASK_OBJ) $(LWIP_SYS_HOST_OBJ)
# end net

# netstack
# The TCP/IP stack task (apps/netstack/README.md, issue 17): lwIP over
# netdev's frame channel, serving stream_protocol.h (consdev's request
# checker, apps/consdev/request.c) as one TCP connection to the manifest's
# peer. Links liblwip-{task,host}.a and sys_keel.c from the net section.
NETSTACK_SRCS := $(addprefix apps/netstack/,main.c config.c link.c ipconf.c pump.c tcp_conn.c \
	serve.c) apps/consdev/request.c apps/net/sys_keel.c
$(eval $(call keel_task,netstack,$(NETSTACK_SRCS),$(LWIP_TASK_LIB),$(LWIP_HOST_LIB)))
$(BUILD)/tasks/netstack: $(LWIP_TASK_LIB)
$(BUILD)/hosted/netstack: $(LWIP_HOST_LIB)
$(BUILD)/task-obj/apps/netstack/%.o: TASK_CFLAGS += $(LWIP_INCLUDES)
$(BUILD)/hosted-obj/apps/netstack/%.o: HOSTED_TASK_CFLAGS += $(LWIP_INCLUDES)
$(patsubst %.c,$(BUILD)/task-obj/%.o,$(NETSTACK_SRCS)) \
$(patsubst %.c,$(BUILD)/hosted-obj/%.o,$(NETSTACK_SRCS)): | $(LWIP_STAMP)
# end netstack
