# Shared helpers for shell tests: TAP output. Source it: . "$(dirname "$0")/../lib.sh"
# Every script ends with `plan` (prints "1..N" for the N results so far):
# tests/run-all.sh fails a script whose plan is missing or disagrees with
# what it printed, so a script that dies half-way is a failure.
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() { # check "description" command args...
	desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
plan() { echo "1..$n"; }

# relay PREFIX COMMAND [ARGS...]: runs another TAP program (e.g.
# tests/tpm/scenario.sh) and re-numbers its results into ours, each
# prefixed; its output (stdout and stderr) streams through, non-TAP lines as
# "# " diagnostics. Then two results of our own: the child printed a plan
# that matches what it printed (a child that dies half-way has not), and
# the child exited 0. Returns the child's exit status.
relay() {
	_rprefix=$1
	shift
	_rdir=$(mktemp -d "${TMPDIR:-/tmp}/relay.XXXXXX") || { not_ok "${_rprefix}mktemp for the relay"; return 1; }
	mkfifo "$_rdir/tap" || { rm -rf "$_rdir"; not_ok "${_rprefix}mkfifo for the relay"; return 1; }
	"$@" >"$_rdir/tap" 2>&1 &
	_rpid=$!
	_rplan="" _rcount=0
	while IFS= read -r _rline; do
		case $_rline in
		"ok "*) ok "$_rprefix${_rline#ok * - }"; _rcount=$((_rcount + 1)) ;;
		"not ok "*) not_ok "$_rprefix${_rline#not ok * - }"; _rcount=$((_rcount + 1)) ;;
		1..[0-9]*) _rplan=${_rline#1..}; _rplan=${_rplan%%[!0-9]*} ;;
		"#"*) echo "$_rline" ;;
		*) echo "# $_rprefix$_rline" ;;
		esac
	done <"$_rdir/tap"
	wait "$_rpid"
	_rstatus=$?
	rm -rf "$_rdir"
	if [ -z "$_rplan" ]; then
		not_ok "${_rprefix}ended without its TAP plan after $_rcount results"
	elif [ "$_rplan" -ne "$_rcount" ]; then
		not_ok "${_rprefix}planned $_rplan results, printed $_rcount"
	else
		ok "${_rprefix}all $_rcount planned results printed"
	fi
	if [ "$_rstatus" -eq 0 ]; then
		ok "${_rprefix}exited 0"
	else
		not_ok "${_rprefix}exited $_rstatus"
	fi
	return "$_rstatus"
}

# compare_transcript GOT EXPECTED: an SVSM call transcript (svsm-call /
# svsm-ret lines, docs/hosted.md "Guest port") line for line: one TAP line
# per expected line, then one that GOT has nothing more.
compare_transcript() {
	local got=$1 expected=$2 i=0 want have what
	while IFS= read -r want; do
		i=$((i + 1))
		have=$(sed -n "${i}p" "$got")
		what=${want%% in=*}
		what=${what%% buf=*}
		if [ "$have" = "$want" ]; then
			ok "transcript line $i: $what"
		else
			not_ok "transcript line $i: $what"
			echo "#   want: $want"
			echo "#   got:  ${have:-(nothing)}"
		fi
	done <"$expected"
	check "no transcript lines beyond the expected $i" [ "$(wc -l <"$got")" = "$i" ]
}

# free_port: a TCP port on 127.0.0.1 that was free a moment ago (the kernel
# picks it: a random number in 20000..39999 overlaps the ephemeral range and
# collides with live connections). Still a race: a server that cannot
# listen should be started again on another port.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
