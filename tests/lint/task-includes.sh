#!/bin/bash
# Task code never sees kernel/ (docs/architecture.md §3): no file under
# apps/, libc/, tests/tasks/, tests/guest/ or syscalls/{user,include}/
# includes a kernel/ header, and no task build line (booted or hosted task
# objects, libc, the ring-3 stubs, the test guest) has kernel/ on its
# include path. Both checks are first shown to catch a planted violation.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
fx=$(mktemp -d "${TMPDIR:-/tmp}/task-includes.XXXXXX") || exit 1
trap 'rm -rf "$fx"' EXIT
failed=0
eval "lib_$(declare -f not_ok)"
not_ok() { failed=$((failed + 1)); lib_not_ok "$@"; }

# bad_includes ROOT DIR...: prints FILE:LINE: #include ... for every include
# in DIR... (relative to the tree ROOT) that names or resolves to a header
# under ROOT/kernel/ (quoted: relative to the file, then syscalls/include,
# then kernel/ as -Ikernel would; angle: syscalls/include, then kernel/).
bad_includes() {
	python3 - "$@" <<'EOF'
import os, re, sys
root, dirs = sys.argv[1], sys.argv[2:]
kernel = os.path.realpath(os.path.join(root, "kernel"))
inc = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
def under_kernel(p):
    p = os.path.realpath(p)
    return p == kernel or p.startswith(kernel + os.sep)
for d in dirs:
    for dp, _, names in os.walk(os.path.join(root, d)):
        for n in sorted(names):
            if not n.endswith((".c", ".h", ".S", ".inc")):
                continue
            f = os.path.join(dp, n)
            with open(f, errors="replace") as fh:
                for ln, line in enumerate(fh, 1):
                    m = inc.match(line)
                    if not m:
                        continue
                    kind, name = m.groups()
                    cands = []
                    if kind == '"':
                        cands.append(os.path.join(dp, name))
                    cands.append(os.path.join(root, "syscalls/include", name))
                    found = next((c for c in cands if os.path.exists(c)), None)
                    bad = ("kernel/" in os.path.normpath(name) or
                           (found is not None and under_kernel(found)) or
                           (found is None and os.path.exists(os.path.join(root, "kernel", name))
                            and not os.path.exists(os.path.join("/usr/include", name))))
                    if bad:
                        print("%s:%d: %s" % (os.path.relpath(f, root), ln, line.strip()))
EOF
}

# bad_build_lines: reads `make -n` output; prints every command that builds
# a task object or binary with kernel/ on an include path.
bad_build_lines() {
	python3 -c '
import re, sys
text = sys.stdin.read().replace("\\\n", " ")
out = re.compile(r"-o\s+\S*build/(task-obj|hosted-obj|libc|libc-host|syscalls/user|tasks)/")
kinc = re.compile(r"(^|\s)-(I|iquote|isystem|idirafter)\s*(\S*/)?kernel(/\S*)?(\s|$)")
n = 0
for line in text.splitlines():
    if out.search(line):
        n += 1
        if kinc.search(line):
            print(line.strip()[:300])
print("# %d task build lines" % n, file=sys.stderr)
'
}

# 1-2: the detectors catch what they must.
mkdir -p "$fx/kernel/mm" "$fx/apps/x" "$fx/syscalls/include/keel"
: >"$fx/kernel/mm/kernel_vm.h"
: >"$fx/syscalls/include/keel/msg.h"
printf '#include <keel/msg.h>\n#include <stdint.h>\n#include "x.h"\n' >"$fx/apps/x/ok.c"
: >"$fx/apps/x/x.h"
printf '#include "mm/kernel_vm.h"\n#include "../../kernel/mm/kernel_vm.h"\n#include <mm/kernel_vm.h>\n' >"$fx/apps/x/bad.c"
got=$(bad_includes "$fx" apps | wc -l)
if [ "$got" = 3 ] && ! bad_includes "$fx" apps | grep -q ok.c; then
	ok "the include check flags a planted kernel include three ways and nothing else"
else
	not_ok "the include check found $got of 3 planted kernel includes"
	bad_includes "$fx" apps | sed 's/^/# /'
fi
planted='gcc -O2 -Isyscalls/include \
	-Ikernel -c -o build/task-obj/apps/x/x.o apps/x/x.c
gcc -Isyscalls/include -Ikernel -c -o build/unit/x.o tests/unit/x.c
gcc -Isyscalls/include -Iloader/include -c -o build/hosted-obj/apps/x/y.o apps/x/y.c'
if [ "$(printf '%s\n' "$planted" | bad_build_lines 2>/dev/null | wc -l)" = 1 ]; then
	ok "the build-line check flags a planted -Ikernel on a task object only"
else
	not_ok "the build-line check missed or over-flagged a planted -Ikernel"
fi

# 3: the tree's task sources include no kernel header.
dirs="apps libc tests/tasks tests/guest syscalls/user syscalls/include"
bad=$(bad_includes "$PWD" $dirs)
if [ -z "$bad" ]; then
	ok "no file under $dirs includes a kernel/ header"
else
	not_ok "task sources include kernel/ headers"
	printf '%s\n' "$bad" | sed 's/^/# /'
fi

# 4: no task build line puts kernel/ on the include path.
make -n -B all check-build >"$fx/make-n" 2>"$fx/make-n.err"
mrc=$?
bad=$(bad_build_lines <"$fx/make-n" 2>"$fx/count")
count=$(sed -n 's/^# \([0-9]*\) task build lines$/\1/p' "$fx/count")
if [ "$mrc" = 0 ] && [ "${count:-0}" -gt 0 ] && [ -z "$bad" ]; then
	ok "none of the $count task build lines (make -n) has kernel/ on an include path"
else
	not_ok "task build lines with kernel/ on the include path (make -n rc $mrc, ${count:-0} lines)"
	printf '%s\n' "$bad" | sed 's/^/# /'
	head -5 "$fx/make-n.err" | sed 's/^/# /'
fi
plan
[ "$failed" = 0 ]
