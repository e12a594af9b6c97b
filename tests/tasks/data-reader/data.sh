# shellcheck shell=bash
# Helpers for the data= tests (tests/system/data-booted.sh,
# tests/hosted/data-hosted.sh, tests/hosted/igvm-data.sh); source, do not run.
#   data_make FILE SIZE [SEED]   a test data file: the line "keel-data-test"
#                                then bytes from SHA-256 in counter mode
#   data_fnv FILE                its FNV-1a 64, lower-case hex (as data_reader.c)
#   data_manifest OUT ENTRY FNV SIZE [booted]
#                                a manifest of three data-reader tasks: `reader`
#                                (data=ENTRY, writes it at the end: expect=fault),
#                                `reader2` (the same entry, exits 0) and `nodata`
#                                (no data=: KEEL_ENOENT, exits 0)
data_make() {
	python3 - "$1" "$2" "${3:-0}" <<'PY'
import hashlib, sys
out, size, seed = sys.argv[1], int(sys.argv[2]), sys.argv[3]
buf = bytearray(b"keel-data-test\n")
i = 0
while len(buf) < size:
    buf += hashlib.sha256(f"{seed}:{i}".encode()).digest()
    i += 1
open(out, "wb").write(bytes(buf[:size]))
PY
}

data_fnv() {
	python3 - "$1" <<'PY'
import sys
h = 0xcbf29ce484222325
for b in open(sys.argv[1], "rb").read():
    h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
print(f"{h:x}")
PY
}

data_manifest() {
	local out=$1 entry=$2 fnv=$3 size=$4 mode=${5:-}
	cat >"$out" <<EOM
# data= test (tests/tasks/data-reader/data.sh)
task reader  binary=data-reader memory=2M data=$entry expect=fault arg="fnv=$fnv size=$size $mode then=fault"
task reader2 binary=data-reader memory=2M data=$entry arg="fnv=$fnv size=$size $mode then=exit"
task nodata  binary=data-reader memory=2M arg=none
EOM
}
