#!/bin/bash
# data= hosted (docs/hosted.md "Data file"): keel-hosted snapshots
# --bin-dir/ENTRY into a sealed memfd for each task naming it; the same
# data-reader checks as booted (size and FNV-1a 64 from arg=, KEEL_EFAULT
# for bad out pointers and keel_random into it, keel_log from it) pass; a
# write to the data kills the task with SIGSEGV (expect=fault); a task
# without data= gets KEEL_ENOENT. Changing the file after the start does
# not change what the tasks see. A missing, empty or too large data file
# stops keel-hosted before any task starts (exit 2, naming the task).
# Run alone: tests/hosted/data-hosted.sh (after `make`).
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib.sh"
. "$root/tests/tasks/data-reader/data.sh"
plan=14
echo "1..$plan"
for f in "$root/build/bin/keel-hosted" "$root/build/hosted/data-reader"; do
	if [ ! -x "$f" ]; then
		while [ "$n" -lt "$plan" ]; do not_ok "$(basename "$f") is missing ($f)"; done
		exit 1
	fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/keel-data.XXXXXX")
trap 'rm -rf "$work"' EXIT
bin=$work/bin log=$work/out size=540672
mkdir -p "$bin"
cp "$root/build/hosted/data-reader" "$bin/"
data_make "$bin/varstore.fd" "$size"
fnv=$(data_fnv "$bin/varstore.fd")
data_manifest "$work/data.manifest" varstore.fd "$fnv" "$size"
has() { grep -qaF -- "$2" "$1"; }

timeout "${HOSTED_TIMEOUT:-60}" "$root/build/bin/keel-hosted" --manifest "$work/data.manifest" \
	--bin-dir "$bin" </dev/null >"$log" 2>&1
status=$?
check "reader: every check passed (no FAIL line)" sh -c "! grep -a '^\[reader\] reader: FAIL' '$log'"
check "reader: the data's FNV-1a 64 is the file's" has "$log" ", fnv 0x$fnv"
check "reader: keel_log printed the file's first line from the data" has "$log" "[reader] keel-data-test"
check "reader: reached the write" has "$log" "[reader] reader: writing one byte of the data (must fault)"
check "keel-hosted: the write killed reader (SIGSEGV), as expected" \
	has "$log" "task 'reader' killed by signal 11"
check "reader2 (same entry): PASSED" has "$log" "[reader2] reader2: PASSED, 0 failed checks"
check "nodata: KEEL_ENOENT, PASSED" has "$log" "[nodata] nodata: PASSED, 0 failed checks"
check "keel-hosted: 3 tasks, 3 as expected; exit 0" \
	sh -c "grep -qF 'keel-hosted: 3 tasks, 3 as expected, 0 unexpected' '$log' && [ $status = 0 ]"
[ "$status" = 0 ] || sed 's/^/# /' "$log"

# A snapshot: the file rewritten after the start, before reader2 first
# calls keel_task_data (it delays 1.5 s), is not what it sees.
cat >"$work/one.manifest" <<EOM
task reader2 binary=data-reader memory=2M data=varstore.fd arg="fnv=$fnv size=$size delay=1500 then=exit"
EOM
"$root/build/bin/keel-hosted" --manifest "$work/one.manifest" --bin-dir "$bin" </dev/null \
	>"$work/one.out" 2>&1 &
pid=$!
for _ in $(seq 100); do
	grep -qF '[reader2] reader2: delaying' "$work/one.out" 2>/dev/null && break
	sleep 0.1
done
printf 'changed' | dd of="$bin/varstore.fd" conv=notrunc status=none
changed=$(data_fnv "$bin/varstore.fd")
wait "$pid"
st=$?
check "the file changed after the start: reader2 sees the bytes of the launch (PASSED)" \
	sh -c "[ $st = 0 ] && [ '$changed' != '$fnv' ] && grep -qF '[reader2] reader2: PASSED' '$work/one.out'"
[ "$st" = 0 ] || sed 's/^/# /' "$work/one.out"

data_make "$bin/varstore.fd" "$size"
expect_refused() { # WHAT SETUP: keel-hosted exits 2 naming task reader and nothing starts
	local what=$1
	shift
	"$@"
	timeout 30 "$root/build/bin/keel-hosted" --manifest "$work/data.manifest" --bin-dir "$bin" \
		</dev/null >"$work/bad.out" 2>&1
	local st=$?
	check "$what: keel-hosted exits 2, names the task and starts nothing" \
		sh -c "[ $st = 2 ] && grep -qF \"keel-hosted: task 'reader': data \" '$work/bad.out' &&
			! grep -qF '[nodata]' '$work/bad.out'"
	[ "$st" = 2 ] || sed 's/^/# /' "$work/bad.out"
}
expect_refused "a missing data file" rm -f "$bin/varstore.fd"
expect_refused "an empty data file" truncate -s 0 "$bin/varstore.fd"
expect_refused "a data file of 8 MiB + 1" truncate -s $((8 * 1024 * 1024 + 1)) "$bin/varstore.fd"
expect_refused "a directory as data file" sh -c "rm -f '$bin/varstore.fd' && mkdir '$bin/varstore.fd'"
check "data=manifest is refused by the manifest parser (exit 2, naming task and field)" \
	sh -c "printf 'task a binary=data-reader memory=2M data=manifest\n' >'$work/m' &&
		'$root/build/bin/keel-hosted' --manifest '$work/m' --bin-dir '$bin' >'$work/m.out' 2>&1;
		[ \$? = 2 ] && grep -qF \"task 'a': data: 'manifest' is the bundle's manifest entry\" '$work/m.out'"
