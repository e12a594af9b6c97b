# Shell helpers shared by tests/system/hostile-booted.sh and
# tests/hosted/hostile-hosted.sh. Source after tests/lib.sh.

# task_checks LOG PREFIX: turns the task's own check lines
# ("PREFIX: ok - WHAT (got G)" / "PREFIX: FAIL - WHAT: got G, want W")
# into TAP lines; returns 1 if there were none.
task_checks() {
	_log=$1 _prefix=$2 _seen=0
	while IFS= read -r _line; do
		case $_line in
		*"$_prefix: ok - "*) ok "$_prefix: ${_line#*"$_prefix: ok - "}"; _seen=1 ;;
		*"$_prefix: FAIL - "*) not_ok "$_prefix: ${_line#*"$_prefix: FAIL - "}"; _seen=1 ;;
		esac
	done <<EOF_LOG
$(tr -d '\r\000' <"$_log")
EOF_LOG
	[ "$_seen" = 1 ]
}

# has LOG TEXT: LOG has a line containing TEXT.
has() {
	tr -d '\r\000' <"$1" | grep -aqF -- "$2"
}

# lacks LOG TEXT: no line of LOG contains TEXT.
lacks() {
	! has "$1" "$2"
}

# The hostile modes, by what their run must end in.
HOSTILE_FATAL_MODES="read-kernel read-directmap write-kernel exec-data exec-mapped write-code"
HOSTILE_CHECKED_MODES="bad-pointers huge-lengths oversize-msg bad-handles exhaust-mem spin tick"
HOSTILE_HOSTED_MODES="huge-lengths oversize-msg bad-handles exhaust-mem"
