#!/bin/bash
# The shim's RAM logic (loader/shim/ram.c) on the host, against multiboot
# memory maps QEMU never produces (fixtures/ram-check.c prints the TAP).
. "$(dirname "$0")/lib.sh"
need "$KEEL_BUILD/tests/system/shim-ram-check" "shim-ram-check (make)" || exit 1
relay "" "$KEEL_BUILD/tests/system/shim-ram-check"
plan
