# shellcheck shell=bash
# Helpers for system tests (QEMU boots). Source after cd-ing nowhere special:
#   . "$(dirname "$0")/lib.sh"
# Gives the TAP helpers of tests/lib.sh (ok, not_ok, check) plus:
#   boot_igvm OUT FILE.igvm [keel-qemu options...]
#       boots FILE.igvm with build/bin/keel-qemu under TCG (KVM only if
#       KEEL_QEMU_ACCEL=kvm), serial console and QEMU messages to OUT;
#       returns keel-qemu's status (0 success, 1 failure, 124 timeout, ...)
#       and leaves it in BOOT_STATUS. Timeout: BOOT_TIMEOUT seconds, read
#       at each call (unset: 60), so a test may set BOOT_TIMEOUT=${BOOT_TIMEOUT:-600}
#       after sourcing this file.
#   serial_has OUT TEXT     1 line of OUT contains TEXT (fixed string); a task's
#                           log line can contain anything, so never use it
#                           for what only the kernel may say:
#   kernel_says OUT TEXT    1 line of OUT starts with TEXT (fixed string, e.g.
#                           "keel: task 'x' killed"): the kernel's own line.
#                           Task lines always start "[NAME] " (every line of
#                           a keel_log call, kernel/lib/log_escape.h), so a
#                           task cannot forge one.
#   outcome_is OUT TASK OUTCOME   the kernel's outcome line for TASK
#   need FILE WHAT          FILE exists, else a "not ok" naming WHAT; returns 1
#   shim_fixture_igvm OUT [TASKFILE [igvm-build options...]]
#                           builds the shim fixture IGVM (fixture kernel +
#                           minimal manifest naming one task file, by default
#                           fixtures/fixture-task.txt) with build/bin/igvm-build
#                           (KEEL_IGVM_BUILD overrides the path);
#                           its messages go to $TMP/igvm-build.log
#   TMP                     a scratch directory removed on exit (by an EXIT
#                           trap: a test that sets its own must rm -rf "$TMP")
#   show OUT                OUT indented as TAP diagnostics (on failure)
KEEL_ROOT=$(cd "$(dirname "${BASH_SOURCE:-$0}")/../.." && pwd)
. "$KEEL_ROOT/tests/lib.sh"
KEEL_BUILD=$KEEL_ROOT/build
KEEL_BIN=$KEEL_BUILD/bin
IGVM_BUILD=${KEEL_IGVM_BUILD:-$KEEL_BIN/igvm-build}
BOOT_STATUS=

TMP=$(mktemp -d "${TMPDIR:-/tmp}/keel-systest.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

need() {
	if [ -e "$1" ]; then
		return 0
	fi
	not_ok "$2 is missing ($1)"
	return 1
}

boot_igvm() {
	local out=$1 igvm=$2 accel=--tcg
	shift 2
	[ "${KEEL_QEMU_ACCEL:-}" = kvm ] && accel=--kvm
	"$KEEL_BIN/keel-qemu" "$accel" --timeout "${BOOT_TIMEOUT:-60}" "$@" "$igvm" \
		</dev/null >"$out" 2>&1
	BOOT_STATUS=$?
	return "$BOOT_STATUS"
}

# build_manifest_igvm MANIFEST OUT [KERNEL]: igvm-build a test manifest
# against build/tasks, one TAP line; on failure shows the log and returns 1.
build_manifest_igvm() {
	local manifest=$1 out=$2 kernel=${3:-$KEEL_BUILD/kernel/keel.elf}
	if ! "$IGVM_BUILD" --kernel "$kernel" --manifest "$manifest" \
		--bin-dir "$KEEL_BUILD/tasks" -o "$out" >"$TMP/igvm-build.log" 2>&1; then
		not_ok "igvm-build of $(basename "$manifest")"
		show "$TMP/igvm-build.log"
		return 1
	fi
	ok "igvm-build of $(basename "$manifest")"
}

# outcome_is LOG TASK OUTCOME: the kernel's per-task outcome line
# (kernel/task/report.c: "keel: task 'NAME': OUTCOME, expected E: ..."),
# at the start of a line, where no task's log line can be.
outcome_is() {
	kernel_says "$1" "keel: task '$2': $3, expected "
}

kernel_says() {
	tr -d '\r\000' <"$1" | awk -v s="$2" 'index($0, s) == 1 { f = 1 } END { exit !f }'
}

serial_has() {
	grep -qF -- "$2" "$1"
}

show() {
	sed 's/^/# /' "$1"
}

shim_fixture_igvm() {
	local out=$1 task=${2:-}
	local bindir=$TMP/fixture-bin
	shift $(($# < 2 ? $# : 2))
	[ -n "$task" ] || task=$KEEL_ROOT/tests/system/fixtures/fixture-task.txt
	mkdir -p "$bindir"
	cp "$task" "$bindir/fixture-task"
	"$IGVM_BUILD" --kernel "$KEEL_BUILD/tests/system/fixture-kernel.elf" \
		--manifest "$KEEL_ROOT/tests/system/fixtures/fixture.manifest" \
		--bin-dir "$bindir" "$@" -o "$out" >"$TMP/igvm-build.log" 2>&1
}

# guest_checks LOG: each "[guest] ok/not ok N - what" line the test guest
# printed becomes its own TAP line ("guest: what"; a "# SKIP" directive is
# kept); sets guest_seen to how many there were.
guest_checks() {
	guest_seen=0
	grep -a '^\[guest\] \(not \)\?ok ' "$1" | tr -d '\r' >"$1.guest-checks"
	while IFS= read -r _gline; do
		case $_gline in
		"[guest] ok "*) ok "guest: ${_gline#\[guest\] ok [0-9]* - }" ;;
		"[guest] not ok "*) not_ok "guest: ${_gline#\[guest\] not ok [0-9]* - }" ;;
		*) continue ;;
		esac
		guest_seen=$((guest_seen + 1))
	done <"$1.guest-checks"
	rm -f "$1.guest-checks"
}
