#!/bin/sh
# A short libFuzzer run of the authenticated-variable path
# (tests/fuzz/uefivars-auth/) with real keys enrolled, from the Secure Boot
# vectors tests/unit/uefivars-auth/mkvectors.sh makes (openssl, efitools,
# sbsigntool); KEEL_FUZZ_SECONDS (default 10). A crash, a broken promise
# (abort), a leak or a sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
. tests/fuzz/smoke.sh
fuzz_setup uefivars-auth
mkdir -p "$work/vec"
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
export KEEL_FUZZ_AUTH_KEYS="$work/vec"
fuzz_run uefivars-auth -rss_limit_mb=2048 -max_len=8192
plan
