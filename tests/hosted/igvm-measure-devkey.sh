#!/bin/sh
# igvm-measure shows what the measured manifest says about storaged's key
# (docs/storaged.md "dev-key"): two images that differ only in storaged's
# arg= (dev-key vs key=SLOT) have different digests; the dev-key one draws
# a warning on stderr naming the task, the other none; stdout stays one
# digest line; --manifest prints the measured manifest byte for byte.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in build/bin/igvm-build build/bin/igvm-measure build/kernel/keel.elf build/tasks/echo-server; do
	if [ ! -e "$f" ]; then
		not_ok "$f is built (make)"
		plan
		exit 1
	fi
done
# The binary does not matter here, only the measured manifest text.
for v in dev key nodev; do
	case $v in
	dev) arg='arg="blk=1 ns=2:vtpm dev-key"' ;;
	key) arg='arg="blk=1 key=3 ns=2:vtpm"' ;;
	nodev) arg='arg="blk=1 key=3 ns=2:dev-key-ns"' ;;
	esac
	cat >"$work/$v.manifest" <<EOT
# igvm-measure-devkey.sh
task storaged binary=echo-server memory=4M expect=any $arg
task echo-client binary=echo-server memory=4M
EOT
	build/bin/igvm-build --kernel build/kernel/keel.elf --manifest "$work/$v.manifest" \
		--bin-dir build/tasks -o "$work/$v.igvm" >"$work/$v.build" 2>&1 ||
		sed 's/^/# /' "$work/$v.build"
	build/bin/igvm-measure "$work/$v.igvm" >"$work/$v.out" 2>"$work/$v.err"
	echo "$?" >"$work/$v.rc"
	sed 's/^/# '"$v"' stderr: /' "$work/$v.err"
done

check "igvm-measure exits 0 on both images" sh -c "[ \$(cat $work/dev.rc) = 0 ] && [ \$(cat $work/key.rc) = 0 ]"
check "stdout is one digest line (dev-key image)" sh -c "[ \$(wc -l <$work/dev.out) = 1 ] && grep -qx '[0-9a-f]\{96\}' $work/dev.out"
check "stdout is one digest line (key= image)" sh -c "[ \$(wc -l <$work/key.out) = 1 ] && grep -qx '[0-9a-f]\{96\}' $work/key.out"
check "the digests differ: dev-key is measured" sh -c "! cmp -s $work/dev.out $work/key.out"
check "dev-key image: warning names task 'storaged' and INSECURE development key" \
	grep -q "^warning: the measured manifest gives task 'storaged' an INSECURE development key (dev-key)" "$work/dev.err"
check "key= image: no warning" sh -c "! grep -q 'INSECURE' $work/key.err"
check "a namespace merely named dev-key-ns: no warning" sh -c "! grep -q 'INSECURE' $work/nodev.err"
build/bin/igvm-measure --manifest "$work/dev.igvm" >"$work/dev.text" 2>"$work/dev.text.err"
check "--manifest prints the measured manifest byte for byte" cmp -s "$work/dev.text" "$work/dev.manifest"
check "--manifest warns too" grep -q "INSECURE development key" "$work/dev.text.err"
printf 'IGVM' >"$work/junk.igvm"
check "--manifest on a file that is not IGVM fails" sh -c "! build/bin/igvm-measure --manifest $work/junk.igvm >/dev/null 2>&1"
plan
