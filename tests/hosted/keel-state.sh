#!/bin/sh
# keel-state (tools/keel-state/) on real image files: create a sparse
# image, put/list/dump/rm, check; a flipped byte makes check exit non-zero
# naming the block; wrong key, bad key files, rollback, a foreign file and
# a truncated image are clear errors (docs/storage-format.md).
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
ks=build/bin/keel-state
if [ ! -x "$ks" ]; then
	not_ok "$ks is built"
	plan
	exit 1
fi
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
img=$w/state.img
head -c 32 /dev/urandom >"$w/key"
head -c 32 /dev/urandom >"$w/other"
od -An -tx1 "$w/key" | tr -d ' \n' >"$w/key.hex"
K="--key-file $w/key"

check "create an 8 MiB image" $ks create "$img" $K --size 8M
size=$(stat -c %s "$img")
alloc=$(($(stat -c %b "$img") * $(stat -c %B "$img")))
check "the image is 8 MiB and sparse ($alloc bytes allocated)" test "$size" = 8388608 -a "$alloc" -lt 1048576
check "create refuses an existing file" sh -c "! $ks create '$img' $K 2>/dev/null"
printf 'hello, state' >"$w/small"
head -c 300000 /dev/urandom >"$w/big"
check "put a small object" $ks put "$img" vtpm/permall "$w/small" $K
check "put a 300 kB object" $ks put "$img" vtpm/nv "$w/big" $K
check "put reads stdin" sh -c "printf abc | $ks put '$img' uefi/vars - $K >/dev/null"
$ks list "$img" $K >"$w/list"
check "list names every object with its size" sh -c "grep -q '^uefi/vars  *3$' '$w/list' && grep -q '^vtpm/nv  *300000$' '$w/list' && grep -q '^vtpm/permall  *12$' '$w/list'"
$ks dump "$img" $K vtpm/nv --raw >"$w/out"
check "dump --raw gives the object back byte for byte" cmp -s "$w/out" "$w/big"
check "dump shows hex" sh -c "$ks dump '$img' $K vtpm/permall | grep -q '68 65 6c 6c 6f'"
check "dump summarizes the image" sh -c "$ks dump '$img' $K | grep -q '^generation 3'"
check "a hex key file works as well" $ks check "$img" --key-file "$w/key.hex"
check "rm removes an object" sh -c "$ks rm '$img' uefi/vars $K >/dev/null && ! $ks list '$img' $K | grep -q uefi"
check "check passes on the intact image" $ks check "$img" $K
check "check --min-generation at the current generation passes" $ks check "$img" $K --min-generation 4
$ks check "$img" $K --min-generation 5 >/dev/null 2>"$w/err"
check "an older image than --min-generation is refused as a rollback" grep -q rollback "$w/err"

# Flip one byte in each block the store uses; check must fail naming it.
cp "$img" "$w/pristine"
bad=0
flipped=0
# Used at generation 4: 2 (vtpm/permall), 4..77 (vtpm/nv data), 78 (its pointer
# block), 82 (the directory leaf), 0 (the superblock; with the minimum
# generation, since a damaged newest slot otherwise falls back to the older one).
for b in 0 2 4 40 77 78 82; do
	cp "$w/pristine" "$img"
	# the byte at offset 1000 of block b, inverted
	byte=$(dd if="$img" bs=1 skip=$((b * 4096 + 1000)) count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
	printf "$(printf '\\%03o' $((255 - byte)))" |
		dd of="$img" bs=1 seek=$((b * 4096 + 1000)) conv=notrunc 2>/dev/null
	flipped=$((flipped + 1))
	if $ks check "$img" $K --min-generation 4 >"$w/out" 2>"$w/err"; then
		bad=$((bad + 1))
		echo "# block $b: check passed after a flip"
	elif ! grep -q "block $b" "$w/err"; then
		bad=$((bad + 1))
		echo "# block $b: message does not name it: $(cat "$w/err")"
	fi
done
check "check exits non-zero and names the block for a flip in each of $flipped blocks" test "$bad" = 0
grep -h "block" "$w/err" | sed 's/^/# /'
cp "$w/pristine" "$img"

$ks list "$img" --key-file "$w/other" >/dev/null 2>"$w/err"
check "wrong key: a clear error" grep -q "another key" "$w/err"
printf 'short' >"$w/badkey"
$ks list "$img" --key-file "$w/badkey" >/dev/null 2>"$w/err"
check "a key file of the wrong size is refused" grep -q "32 raw bytes or 64 hex" "$w/err"
check "no key at all is refused" sh -c "! $ks list '$img' 2>/dev/null"
head -c 65536 /dev/urandom >"$w/foreign"
$ks check "$w/foreign" $K >/dev/null 2>"$w/err"
check "a foreign file is not a Keel store" grep -q "not a Keel store" "$w/err"
truncate -s 1M "$img"
$ks check "$img" $K >/dev/null 2>"$w/err"
check "a truncated image is an error" grep -q "truncated" "$w/err"
cp "$w/pristine" "$img"
$ks create "$w/dev.img" --dev-key --size 64K >/dev/null 2>"$w/err"
check "--dev-key says it is insecure" grep -q "INSECURE" "$w/err"
check "the development key opens what it made" $ks check "$w/dev.img" --dev-key
check "usage errors exit 2" sh -c "$ks frobnicate 2>/dev/null; test \$? = 2"
plan
