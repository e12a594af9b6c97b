# apps: build rules (fragment of the top-level Makefile)

# echo
# The example service (apps/echo/README.md): echo-server and echo-client,
# each built booted ($(BUILD)/tasks/) and hosted ($(BUILD)/hosted/).
$(eval $(call keel_task,echo-server,apps/echo/server.c,,))
$(eval $(call keel_task,echo-client,apps/echo/client.c,,))
# end echo

# vtpm
# The vTPM service (apps/vtpm/README.md): libtpms + libcrypto. Booted keeps
# state in memory and makes the EK CA in memory; hosted keeps state and the
# CA in files under KEEL_STATE_DIR.
VTPM_SRCS := $(addprefix apps/vtpm/,server.c service.c request.c tpm.c marshal.c ek.c \
	ekcert.c provision.c state_name.c)
VTPM_BOOTED_SRCS := apps/vtpm/state_mem.c apps/vtpm/ekca_mem.c
VTPM_HOSTED_SRCS := apps/vtpm/state_file.c apps/vtpm/ekca_file.c
VTPM_BOOTED_LIBS := /usr/lib/x86_64-linux-gnu/libtpms.a /usr/lib/x86_64-linux-gnu/libcrypto.a
$(eval $(call keel_task,vtpm,$(VTPM_SRCS),$(VTPM_BOOTED_LIBS),-ltpms -lcrypto,$(VTPM_BOOTED_SRCS),$(VTPM_HOSTED_SRCS)))
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

# blkdev
# The block device driver (apps/blkdev/README.md): serves blk_protocol.h on
# handle 1. Booted: virtio-blk over virtio-mmio, completions by interrupt;
# hosted: a file under KEEL_STATE_DIR, with optional power-cut injection.
BLKDEV_SRCS := $(addprefix apps/blkdev/,serve.c request.c log.c)
BLKDEV_BOOTED_SRCS := $(addprefix apps/blkdev/,backend_virtio.c virtio_dev.c virtq.c)
BLKDEV_HOSTED_SRCS := $(addprefix apps/blkdev/,backend_file.c fault.c)
$(eval $(call keel_task,blkdev,$(BLKDEV_SRCS),,,$(BLKDEV_BOOTED_SRCS),$(BLKDEV_HOSTED_SRCS)))
# end blkdev

# storaged
# The state service (apps/storaged/README.md, docs/storaged.md): the format
# library ($(STORE_SRCS), the format section) over the block driver channel.
# STORAGED_CLIENT_SRCS is the client library, a COMMON source of its clients.
STORAGED_SRCS := $(addprefix apps/storaged/,main.c config.c log.c blk_dev.c unlock.c stage.c \
	service.c status.c)
STORAGED_CLIENT_SRCS := apps/storaged/client.c apps/storaged/status.c
$(eval $(call keel_task,storaged,$(STORAGED_SRCS) $(STORE_SRCS),/usr/lib/x86_64-linux-gnu/libcrypto.a,-lcrypto))
# end storaged
