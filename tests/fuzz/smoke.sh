# The libFuzzer smoke runs of tests/hosted/fuzz-*.sh (sourced, not a test:
# no executable bit, so tests/run-all.sh does not run it). Source it after
# tests/lib.sh and cd to the top of the tree, then:
#
#   fuzz_setup NAME [NEEDS...]   checks that build/fuzz/NAME and each NEEDS
#       (a bare name is build/fuzz/NAME, one with a / a path from the top)
#       are built, else one not_ok, the plan and exit 1; makes $work (removed
#       on exit) and $work/corpus; sets $secs to KEEL_FUZZ_SECONDS, default
#       $fuzz_default_secs (10 when the script sets none).
#   fuzz_seed NAME HEX           writes the bytes HEX to $work/corpus/NAME.
#   fuzz_run NAME [ARGS...]      runs build/fuzz/NAME for $secs seconds (or,
#       when the script sets $fuzz_runs, that many runs) with a 10 s timeout
#       per input, 1 GiB RSS limit and artifacts under $work/NAME-; ARGS are
#       more libFuzzer flags (-max_len=, -dict=: later flags win) and corpus
#       directories ($work/corpus when ARGS name none). One TAP line:
#       "fuzz NAME: N runs in Ss, cov: C, no crash", or not ok with the log's
#       tail and the artifacts in hex. Returns libFuzzer's exit status.

# fuzz_built PATH: not ok, the plan and exit 1 unless PATH is built.
fuzz_built() {
	case $1 in */*) _p=$1 ;; *) _p=build/fuzz/$1 ;; esac
	if [ ! -e "$_p" ] || { [ "$_p" = "build/fuzz/$1" ] && [ ! -x "$_p" ]; }; then
		not_ok "$_p is built (make check-build)"
		plan
		exit 1
	fi
}

fuzz_setup() {
	for _f in "$@"; do
		fuzz_built "$_f"
	done
	secs=${KEEL_FUZZ_SECONDS:-${fuzz_default_secs:-10}}
	work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$1.XXXXXX") || { not_ok "mktemp for fuzz $1"; plan; exit 1; }
	trap 'rm -rf "$work"' EXIT
	mkdir -p "$work/corpus"
}

fuzz_seed() {
	printf '%s' "$2" | xxd -r -p >"$work/corpus/$1"
}

fuzz_run() {
	_name=$1
	shift
	_corpus=
	for _a in "$@"; do
		case $_a in -*) ;; *) _corpus=given ;; esac
	done
	[ -n "$_corpus" ] || set -- "$@" "$work/corpus"
	if [ -n "${fuzz_runs:-}" ]; then
		_limit=-runs=$fuzz_runs _took=
	else
		_limit=-max_total_time=$secs _took=" in ${secs}s"
	fi
	"build/fuzz/$_name" "$_limit" -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="$work/$_name-" "$@" >"$work/$_name.log" 2>&1
	_rc=$?
	if [ "$_rc" -eq 0 ]; then
		_runs=$(grep -o 'Done [0-9]* runs' "$work/$_name.log" | grep -o '[0-9]*')
		_cov=$(grep -o 'cov: [0-9]*' "$work/$_name.log" | tail -n 1)
		ok "fuzz $_name: ${_runs:-?} runs$_took, ${_cov:-cov: ?}, no crash"
	else
		not_ok "fuzz $_name failed (libFuzzer exit $_rc)"
		tail -n 30 "$work/$_name.log" | sed 's/^/# /'
		for _a in "$work/$_name"-crash-* "$work/$_name"-leak-* "$work/$_name"-timeout-* \
			"$work/$_name"-oom-*; do
			[ -f "$_a" ] || continue
			echo "# artifact ${_a##*/} ($(wc -c <"$_a") bytes, hex):"
			od -An -tx1 "$_a" | head -n 8 | sed 's/^/# /'
		done
	fi
	return "$_rc"
}
