#!/bin/sh
# Static analysis of project C code with cppcheck: one TAP line per
# top-level directory. A finding fails the test; a false positive is
# silenced where it occurs with a `// cppcheck-suppress <id>` comment that
# says why.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.."
if ! command -v cppcheck >/dev/null; then
	not_ok "cppcheck is installed (tools/install-deps.sh)"
	exit 1
fi
for dir in kernel libc syscalls apps loader tools tests/tasks; do
	[ -d "$dir" ] || continue
	out=$(cppcheck -q --error-exitcode=1 --enable=warning,portability --std=c11 \
		--inline-suppr --suppress=missingIncludeSystem \
		-I syscalls/include -I loader/include -I kernel "$dir" 2>&1)
	if [ $? -eq 0 ]; then
		ok "cppcheck $dir"
	else
		not_ok "cppcheck $dir"
		echo "$out" | head -40 | sed 's/^/# /'
	fi
done
plan
