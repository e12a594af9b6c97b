#!/bin/sh
# Commit latency through storaged (docs/storaged.md "Cost"): hosted,
# file-backed (blkdev over $KEEL_STATE_DIR/storage.img), one 4 KiB object
# put + commit per request pair on one persistent channel, next to a raw
# pwrite + fdatasync of 4 KiB on the same file system in the same run
# (tests/tasks/storaged-client, mode bench). STORAGED_BENCH_N commits (default 300).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/keel-storaged-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=${STORAGED_BENCH_N:-300}
mkdir -p "$tmp/state"
cat >"$tmp/bench.manifest" <<EOT
task blkdev binary=blkdev memory=4M expect=any
task storaged binary=storaged memory=64M expect=any arg="blk=1 key=2 ns=3:bench"
task keys binary=storaged-client memory=8M arg="key good"
task client binary=storaged-client memory=16M arg="bench $n"
channel storaged:1 blkdev:1
channel storaged:2 keys:1
channel storaged:3 client:1
EOT
timeout 300 "$root/build/bin/keel-hosted" --manifest "$tmp/bench.manifest" --state "$tmp/state" \
	</dev/null >"$tmp/log" 2>&1
rc=$?
commit=$(sed -n 's/.*bench: storaged put+commit of one 4096-byte object: \([0-9]*\) ns.*/\1/p' "$tmp/log")
raw=$(sed -n 's/.*bench: raw pwrite+fdatasync of 4096 bytes.*: \([0-9]*\) ns per write.*/\1/p' "$tmp/log")
echo "storaged (hosted, file-backed, $n commits of one 4 KiB object; keel-hosted status $rc):"
if [ -z "$commit" ] || [ -z "$raw" ]; then
	echo "storaged bench: no figures; the run's log ends with:" >&2
	tail -n 20 "$tmp/log" | sed 's/^/  | /' >&2
	exit 1
fi
printf '  %-44s %10s us\n' "put + commit through storaged" "$(awk "BEGIN{printf \"%.1f\", $commit/1000}")"
printf '  %-44s %10s us\n' "raw pwrite + fdatasync, same file system" "$(awk "BEGIN{printf \"%.1f\", $raw/1000}")"
printf '  %-44s %10s\n' "ratio" "$(awk "BEGIN{printf \"%.1fx\", $commit/$raw}")"
echo "bench-result mode=hosted name=storaged_commit_4k ns=$commit"
echo "bench-result mode=hosted name=raw_pwrite_fdatasync_4k ns=$raw"
