#!/bin/bash
# data= in the image (docs/igvm.md, docs/boot.md): igvm-build packs the
# manifest's data file from --bin-dir into the boot bundle, so every page
# of it is PAGE_DATA in the launch measurement: igvm-measure's digest
# changes when one byte of the file changes and not when it is rebuilt
# unchanged; igvm-measure --manifest still finds the measured manifest
# (with its data= line); every page of the file is in the IGVM file;
# igvm-build refuses a missing, empty or too large (> 8 MiB) data file,
# naming the task. Host only, no QEMU. Run alone: tests/hosted/igvm-data.sh
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib.sh"
. "$root/tests/tasks/data-reader/data.sh"
plan=11
echo "1..$plan"
b=$root/build
for f in "$b/bin/igvm-build" "$b/bin/igvm-measure" "$b/kernel/keel.elf" "$b/tasks/data-reader"; do
	if [ ! -e "$f" ]; then
		while [ "$n" -lt "$plan" ]; do not_ok "$(basename "$f") is missing ($f)"; done
		exit 1
	fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/keel-igvm-data.XXXXXX")
trap 'rm -rf "$work"' EXIT
bin=$work/bin size=540672
mkdir -p "$bin"
cp "$b/tasks/data-reader" "$bin/"
data_make "$bin/varstore.fd" "$size"
data_manifest "$work/data.manifest" varstore.fd "$(data_fnv "$bin/varstore.fd")" "$size" booted
build() { # OUT [MANIFEST]: igvm-build, log in OUT.log
	"$b/bin/igvm-build" --kernel "$b/kernel/keel.elf" --manifest "${2:-$work/data.manifest}" \
		--bin-dir "$bin" -o "$1" >"$1.log" 2>&1
}

check "igvm-build with a $size-byte data file" build "$work/a.igvm"
d1=$("$b/bin/igvm-measure" "$work/a.igvm")
check "igvm-measure gives a digest ($d1)" sh -c "echo '$d1' | grep -qx '[0-9a-f]\{96\}'"
check "igvm-measure --manifest finds the measured manifest with its data= line" \
	sh -c "'$b/bin/igvm-measure' --manifest '$work/a.igvm' | grep -q '^task reader .* data=varstore.fd '"
check "every 4 KiB page of the data file is in the IGVM file" python3 - "$bin/varstore.fd" "$work/a.igvm" <<'PY'
import sys
data, igvm = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
sys.exit(0 if all(data[o:o + 4096] in igvm for o in range(0, len(data), 4096)) else 1)
PY
build "$work/b.igvm"
check "rebuilt unchanged: the same digest" [ "$("$b/bin/igvm-measure" "$work/b.igvm")" = "$d1" ]
printf '\001' | dd of="$bin/varstore.fd" bs=1 seek=$((size - 1)) conv=notrunc status=none
build "$work/c.igvm"
d2=$("$b/bin/igvm-measure" "$work/c.igvm")
check "one byte of the data file changed: another digest ($d2)" \
	sh -c "[ -n '$d2' ] && [ '$d2' != '$d1' ]"
sed '/^task reader/d; /^task reader2/d' "$work/data.manifest" >"$work/nodata.manifest"
build "$work/nodata.igvm" "$work/nodata.manifest"
s0=$(stat -c %s "$work/nodata.igvm") s1=$(stat -c %s "$work/a.igvm")
check "the data file adds its pages to the image ($s0 -> $s1 bytes)" [ $((s1 - s0)) -ge "$size" ]

refused() { # WHAT WANT SETUP...: igvm-build fails with WANT in its message
	local what=$1 want=$2
	shift 2
	"$@"
	if build "$work/bad.igvm"; then
		not_ok "$what: igvm-build refuses it"
		return
	fi
	check "$what: igvm-build refuses it ($want)" grep -qF -- "$want" "$work/bad.igvm.log"
	grep -qF -- "$want" "$work/bad.igvm.log" || sed 's/^/# /' "$work/bad.igvm.log"
}
refused "a missing data file" "varstore.fd: No such file or directory (task 'reader': data=" \
	rm -f "$bin/varstore.fd"
refused "an empty data file" "task 'reader': data: $bin/varstore.fd has 0 bytes (1..8388608)" \
	truncate -s 0 "$bin/varstore.fd"
refused "a data file of 8 MiB + 1" "(task 'reader': data=, at most 8388608 bytes)" \
	truncate -s $((8 * 1024 * 1024 + 1)) "$bin/varstore.fd"
truncate -s $((8 * 1024 * 1024)) "$bin/varstore.fd"
check "a data file of exactly 8 MiB is packed" build "$work/max.igvm"
