# Shared helpers for shell tests: TAP output. Source it: . "$(dirname "$0")/../lib.sh"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() { # check "description" command args...
	desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
