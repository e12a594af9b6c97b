#!/bin/bash
# Every function and object libc/ exports (nm of build/libc/libkeelc.a) has
# a glibc-comparison test in tests/unit/libc/ (a test file that calls it
# as kl_NAME), apart from the few named below with the reason. And every
# symbol the linked Debian archives (libtpms.a, libcrypto.a, libssl.a) or the
# services (apps/) take from libc/ is among the exported ones: a new
# dependency shows here first. docs/libc.md, "Tests".
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
lib=build/libc/libkeelc.a
[ -f "$lib" ] || { not_ok "$lib is missing (make)"; plan; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Not in the host build: libc/start.c (it calls main): the task entry
# keel_libc_start (every booted test runs it) and the variables it sets,
# which tests/tasks/sources checks booted (environ empty, the invocation
# names argv[0]). And libc-internal helpers shared between libc/ files.
exempt="keel_libc_start environ program_invocation_name program_invocation_short_name
	fmt_format malloc_tag_aligned"

nm -g --defined-only "$lib" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u >"$work/exported"
cat tests/unit/libc/*.c | grep -o 'kl_[A-Za-z0-9_]*' | sed 's/^kl_//' | sort -u >"$work/tested"
missing=""
for s in $(cat "$work/exported"); do
	case " $(echo $exempt) " in *" $s "*) continue ;; esac
	grep -qx -- "$s" "$work/tested" || missing="$missing $s"
done
check "libc/ exports $(wc -l <"$work/exported") symbols; each has a test in tests/unit/libc${missing:+ (untested:$missing)}" \
	[ -z "$missing" ]

# What the archives and services take from libc/.
archives="/usr/lib/x86_64-linux-gnu/libtpms.a /usr/lib/x86_64-linux-gnu/libcrypto.a
	/usr/lib/x86_64-linux-gnu/libssl.a"
objs=$(find build/task-obj/apps -name '*.o' 2>/dev/null)
nm -u $archives $objs 2>/dev/null | awk '$1 == "U" { print $2 }' | sort -u >"$work/undef"
comm -12 "$work/undef" "$work/exported" >"$work/used"
echo "# the archives and services use $(wc -l <"$work/used") of them:" $(cat "$work/used")
untested_used=$(comm -23 "$work/used" "$work/tested" | tr '\n' ' ')
check "every libc/ symbol libtpms.a, libcrypto.a, libssl.a or apps/ use is tested${untested_used:+ (untested: $untested_used)}" \
	[ -z "$untested_used" ]
check "the services' objects were found (build/task-obj/apps)" [ -n "$objs" ]
plan
