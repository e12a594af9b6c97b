# shellcheck shell=bash
# Shared by tests/system/bounds-booted.sh and tests/hosted/bounds-hosted.sh
# (source after tests/lib.sh). Every check a bounds task must print is
# listed here, so a task that dies halfway gives "not ok" lines, never
# fewer lines, and the TAP plan is known before the run.
# shellcheck disable=SC2034 # the lists are read by the sourcing scripts

# bounds_not CMD...: succeeds when CMD fails (a check that something is absent).
bounds_not() {
	! "$@"
}

BOUNDS_DEVICE_CHECKS="mmio_map of the virtio-blk window
the window holds the virtio magic
dma_alloc of one page"
BOUNDS_CLIENT_CHECKS="$BOUNDS_DEVICE_CHECKS
log from MMIO
random into MMIO
chan_call request from MMIO
chan_call reply buffer in MMIO
wait handle array in MMIO
dma_alloc phys_out in MMIO
attest_report data in MMIO
attest_report out in MMIO
chan_recv into MMIO
log from DMA memory
random into DMA memory
chan_call from and into DMA memory
the peer's echo arrived intact
second call reaches the peer
the peer's checks so far"
BOUNDS_PEER_CHECKS="$BOUNDS_DEVICE_CHECKS
recv a request
reply from MMIO into the caller
reply the echo after that
recv into MMIO with a call coming"
BOUNDS_ATTEST_NONE_CHECKS="attest_report without cap=attest, valid buffers
attest_report without cap=attest, data NULL
attest_report without cap=attest, out in the kernel"
BOUNDS_ATTEST_CAP_CHECKS="attest_report with cap=attest, data NULL
attest_report with cap=attest, data in the kernel
attest_report with cap=attest, out NULL
attest_report with cap=attest, out read-only (its own code)
attest_report with cap=attest, valid buffers: the emulated report"

# What log-forge logs, as it must arrive: escaped, inside its own prefix.
# shellcheck disable=SC2016
BOUNDS_ESCAPED='[log-forge] \x1b[2J\x1b[H\x1b]0;owned\x07 colours \x1b[31mred\x1b[0m, C1 CSI \x9b31m, DEL \x7f, NUL \x00, CR\x0dkeel: task '"'log-forge'"': exit 0, expected any: as expected'

# bounds_count LIST: how many checks LIST names (+1: the task's PASSED line).
bounds_count() {
	printf '%s\n' "$1" | grep -c . | awk '{ print $1 + 1 }'
}

# bounds_line LOG TEXT: LOG has a line starting with TEXT (after a CR at its end).
bounds_line() {
	sed 's/\r$//' "$1" | tr -d '\000' | awk -v s="$2" 'index($0, s) == 1 { f = 1 } END { exit !f }'
}

# bounds_ok LOG TEXT: a line that is TEXT, or TEXT then " (got ...".
bounds_ok() {
	sed 's/\r$//' "$1" | tr -d '\000' | awk -v s="$2" 'index($0, s) == 1 &&
		(length($0) == length(s) || substr($0, length(s) + 1, 6) == " (got ") { f = 1 }
		END { exit !f }'
}

# bounds_checks LOG TASK MODE LIST: one TAP line per check in LIST, passed
# only if TASK's own line "[TASK] bounds MODE: ok - WHAT" is there; then
# one for the task's "PASSED, 0 failed checks".
bounds_checks() {
	local log=$1 task=$2 mode=$3 what
	while IFS= read -r what; do
		# awk -v would read backslashes as escapes; these texts have none.
		check "$task: $what" bounds_ok "$log" "[$task] bounds $mode: ok - $what"
	done <<<"$4"
	check "$task: all its checks passed" bounds_line "$log" "[$task] bounds $mode: PASSED, 0 failed checks"
}

# bounds_no_raw_controls LOG: no task line ("[...") holds a byte a terminal
# acts on (C0 but tab, DEL, 0x80-0x9f); the CR of a CRLF line end aside.
bounds_no_raw_controls() {
	! sed 's/\r$//' "$1" | LC_ALL=C grep -a '^\[' | LC_ALL=C grep -qaP '[\x00-\x08\x0a-\x1f\x7f-\x9f]'
}

# bounds_has LOG TEXT: TEXT (fixed, backslashes literal) is on some line.
bounds_has() {
	sed 's/\r$//' "$1" | LC_ALL=C grep -aqF -- "$2"
}
