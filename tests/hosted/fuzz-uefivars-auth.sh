#!/bin/sh
# A short libFuzzer run of the authenticated-variable path
# (tests/fuzz/uefivars-auth/) with real keys enrolled, from the Secure Boot
# vectors tests/unit/uefivars-auth/mkvectors.sh makes (openssl, efitools,
# sbsigntool); KEEL_FUZZ_SECONDS (default 10). A crash, a broken promise
# (abort), a leak or a sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
secs=${KEEL_FUZZ_SECONDS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -x build/fuzz/uefivars-auth ]; then
	not_ok "build/fuzz/uefivars-auth is built (make check-build)"
	plan
	exit 1
fi
mkdir -p "$work/vec" "$work/corpus"
check "vectors made (mkvectors.sh)" sh tests/unit/uefivars-auth/mkvectors.sh "$work/vec"
# Seeds: target byte (0 PK, 1 KEK, 2 db, 3 dbx, 4 private), flags byte, then the .auth file.
python3 - "$work/vec" "$work/corpus" <<'PY'
import os, sys
vec, out = sys.argv[1], sys.argv[2]
seeds = [("PK.auth", 0, 4), ("PK-delete.auth", 0, 0), ("KEK.auth", 1, 0), ("db.auth", 2, 0),
         ("db-append.auth", 2, 1), ("db-ci.auth", 2, 0), ("db-sbvarsign.auth", 2, 0),
         ("db-by-pk.auth", 2, 0), ("dbx.auth", 3, 0), ("priv-first", 4, 0), ("KEK.auth", 1, 8), ("db.auth", 2, 2)]
for i, (f, t, fl) in enumerate(seeds):
    data = open(os.path.join(vec, f), "rb").read()
    open(os.path.join(out, "seed%d" % i), "wb").write(bytes([t, fl]) + data)
PY
check "seed inputs written" [ "$(ls "$work/corpus" | wc -l)" -eq 12 ]
if KEEL_FUZZ_AUTH_KEYS="$work/vec" build/fuzz/uefivars-auth -max_total_time="$secs" -timeout=10 \
	-rss_limit_mb=2048 -max_len=8192 -artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1; then
	runs=$(grep -o 'Done [0-9]* runs' "$work/log" | grep -o '[0-9]*')
	ok "fuzz uefivars-auth: ${runs:-?} runs in ${secs}s, no crash"
else
	not_ok "fuzz uefivars-auth crashed"
	tail -n 30 "$work/log" | sed 's/^/# /'
	for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
		[ -f "$a" ] && echo "# artifact (hex):" && od -An -tx1 "$a" | head -8 | sed 's/^/# /'
	done
fi
plan
