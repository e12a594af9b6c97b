# Sourced by tests/hosted/kbs-broker.sh and kbs-tls.sh (not a test; needs
# tests/lib.sh's free_port).

# kbs_listen LOG ARGS...: build/bin/kbs --listen 127.0.0.1:PORT ARGS... on a
# port free_port picked, stderr to LOG; sets pid and port; 0 once it logs
# "listening". The port can be taken between free_port and the bind (other
# tests run beside this one): a broker that says "cannot listen" is started
# again on another port, up to 5 times. Any other exit, or silence for 5 s,
# is 1 at once.
kbs_listen() {
	_log=$1
	shift
	for _attempt in 1 2 3 4 5; do
		port=$(free_port)
		build/bin/kbs --listen "127.0.0.1:$port" "$@" 2>"$_log" &
		pid=$!
		for _ in $(seq 50); do
			grep -q listening "$_log" 2>/dev/null && return 0
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$pid" 2>/dev/null && return 1 # alive but silent: a real failure
		wait "$pid" 2>/dev/null
		grep -q "cannot listen" "$_log" 2>/dev/null || return 1 # refused for another reason
	done
	return 1
}
