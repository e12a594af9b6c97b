# Keel: the one entry point. `make` builds everything into build/;
# `make run` boots build/keel.igvm (state disk build/keel-state.img); `make check` runs every test;
# `make bench` prints the benchmark table. `run`, `check` and `bench`
# first install missing Debian packages (tools/install-deps.sh).
#
# Each top-level directory contributes a fragment (*.mk) that appends its
# outputs to ALL and its test programs to the directories tests/run-all.sh
# scans. Fragments use only the variables defined here.

BUILD := build
BIN := $(BUILD)/bin
CC := gcc
NASM := nasm
WARN := -Wall -Wextra -Werror
# Task code (apps/, libc/, tests/tasks/, booted and hosted) sees only the
# syscall ABI, never kernel/ (docs/architecture.md §3; tests/lint/task-includes.sh).
TASK_INCLUDES := -Isyscalls/include
# The kernel, loader and host tools; kernel/'s pure shared parsers are reached here.
INCLUDES := $(TASK_INCLUDES) -Iloader/include -Ikernel
# Host programs (tools, unit tests).
HOST_CFLAGS := -O2 -g -std=gnu11 $(WARN) $(INCLUDES) -D_GNU_SOURCE
# Task sources built as Linux processes (hosted tasks, the host-built libc).
HOSTED_TASK_CFLAGS := -O2 -g -std=gnu11 $(WARN) $(TASK_INCLUDES) -D_GNU_SOURCE
HOST_LDFLAGS :=
# Debug info names sources relative to the tree, so what is measured into
# keel.igvm does not depend on where the tree was checked out.
REPRO_CFLAGS := -ffile-prefix-map=$(CURDIR)=.
# Fuzz targets and sanitizer builds.
CLANG := clang

ALL :=
# Test-only outputs, built by check-build (tests/tests.mk).
ALL_TESTS :=

.PHONY: all run check bench deps clean
all: all-targets

include syscalls/syscalls.mk
include libc/libc.mk
include kernel/kernel.mk
include loader/loader.mk
include apps/apps.mk
include tools/tools.mk
include tests/tests.mk

all-targets: $(ALL)

deps:
	@tools/install-deps.sh

# run: Keel with attestation (tools/keel-run.sh, docs/attestation.md):
# the broker (build/bin/kbs, HTTPS, state under build/kbs/) on
# 127.0.0.1:$KEEL_KBS_PORT (8443), and build/keel-run.igvm
# (apps/boot-attest.manifest.in with the broker's pin and CA: the bridge
# reaches the broker over the network; KEEL_TRANSPORT=proxy for keel-proxy)
# on the state disk $(KEEL_STATE_IMG), created blank on the first run:
# the first run seals (formats, manufactures the vTPM), later runs unseal.
KEEL_STATE_IMG ?= $(BUILD)/keel-state.img
run: deps
	@$(MAKE) --no-print-directory all
	@KEEL_BUILD=$(BUILD) KEEL_STATE_IMG=$(KEEL_STATE_IMG) tools/keel-run.sh

check: deps
	@$(MAKE) --no-print-directory all check-build
	@tests/run-all.sh

bench: deps
	@$(MAKE) --no-print-directory all check-build
	@tests/bench/run-bench.sh

clean:
	rm -rf $(BUILD)
