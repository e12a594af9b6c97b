#!/bin/sh
# A throwaway PostgreSQL cluster for the key broker's DB tests, reachable only
# over a Unix socket in DIR (no TCP listener).
#   pg-cluster.sh start DIR   initdb + start; prints the libpq URL on stdout
#   pg-cluster.sh stop DIR    stop it (DIR is the caller's to remove)
# PostgreSQL refuses to run as root: as root the cluster belongs to `nobody`
# (DIR is chowned to it; DIR's parents must be traversable, e.g. under /tmp).
# KBS_PG_FSYNC=on keeps fsync (the bench); tests turn it off for speed.
set -eu
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "pg-cluster: no PostgreSQL server (Debian package postgresql)" >&2; exit 1; }
as=""
if [ "$(id -u)" = 0 ]; then
	as="runuser -u nobody --"
fi
case $cmd in
start)
	mkdir -p "$dir/data" "$dir/sock"
	[ -z "$as" ] || chown -R nobody "$dir"
	$as test -x "$dir" || {
		echo "pg-cluster: $dir is not reachable for the server's user (a private parent?)" >&2
		exit 1
	}
	$as "$bin/initdb" -D "$dir/data" -A trust -U kbs --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		exit 1
	}
	$as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
		-o "-k $dir/sock -c listen_addresses='' -c fsync=${KBS_PG_FSYNC:-off} -c max_connections=200" \
		start >"$dir/pg_ctl.log" 2>&1 || {
		cat "$dir/pg_ctl.log" "$dir/server.log" >&2
		exit 1
	}
	echo "postgresql://kbs@/postgres?host=$dir/sock"
	;;
stop)
	[ -f "$dir/data/postmaster.pid" ] || exit 0
	$as "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
	;;
*)
	echo "usage: $0 start|stop DIR" >&2
	exit 2
	;;
esac
