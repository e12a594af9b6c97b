#!/bin/bash
# Mutation check (not part of `make check`; docs/testing.md, "Mutations the
# suite must catch"): applies each small deliberate bug below to the tree,
# rebuilds, runs the tests that must catch it through tests/run-all.sh, and
# restores the file. Prints one line per mutation: caught (by which tests)
# or SURVIVED. Exit status 1 if any survived or no longer applies.
#   tests/mutation/run.sh            every mutation
#   tests/mutation/run.sh NAME...    only these
# Needs a built tree (make all check-build) and leaves it rebuilt.
set -u
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/keel-mutation.XXXXXX")
restore=""
cleanup() {
	[ -n "$restore" ] && cp "$work/orig" "$restore"
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Each mutation: NAME|FILE|TESTS (run-all.sh program paths)|WHAT
# and a Python replacement in mutate() below (old text -> new text, once).
MUTATIONS="
random-constant|kernel/arch/x86_64/random.c|tests/system/sources-booted.sh tests/system/tpm-smoke.sh|the kernel's random source returns a constant
time-constant|libc/time.c|build/tests/unit/test-libc-sys tests/system/sources-booted.sh|libc time() returns a constant (2023-11-14)
strncasecmp-off-by-one|libc/string.c|build/tests/unit/test-libc-string_ext|strncasecmp compares one byte too few
hosted-never-flags-fault|tools/keel-hosted/launch.c|tests/hosted/hosted-abi.sh|keel-hosted never flags a task that should have faulted
child-dies-halfway|tests/tpm/scenario.sh|tests/hosted/vtpm-mssim.sh|the relayed tpm2-tools scenario dies half-way
script-plan-mismatch|tests/hosted/echo.sh|tests/hosted/echo.sh|a script plans one result more than it prints
script-skips|tests/hosted/echo.sh|tests/hosted/echo.sh|a script skips a check it can run (# SKIP)
runner-ignores-plan|tests/run-all.sh|tests/lint/runner.sh|the runner does not compare plan and results
runner-skip-is-pass|tests/run-all.sh|tests/lint/runner.sh|the runner accepts any skip
relay-ignores-child|tests/lib.sh|tests/lint/runner.sh tests/hosted/vtpm-mssim.sh|relay ignores the child's plan and exit status
copy-across-pages|kernel/mm/uaccess.c|tests/system/echo-booted.sh tests/system/hostile-booted.sh|user-to-user copy runs past the end of a destination page
buffer-max-plus-one|kernel/svsm/buffer_rule.c|build/tests/unit/kernel-buffer-rule tests/system/proto-echo-booted.sh|a buffer=CALL:rcx+rdx:MAX rule lets MAX+1 bytes through
igvm-second-vp0|loader/igvm/igvm_parse.c|build/tests/unit/test-igvm-crate|the IGVM parser accepts a second VP 0 context
syscall-keeps-ac|kernel/arch/x86_64/cpu.h|tests/system/cpustate-booted.sh|SYSCALL's FMASK leaves a task's AC set in the kernel (SMAP off)
device-window-copy|kernel/mm/pt.c|build/tests/unit/kernel-uaccess tests/system/bounds-booted.sh|user copies accept a device (MMIO) window as a buffer
log-passes-esc|kernel/lib/log_escape.c|build/tests/unit/kernel-log-escape tests/system/bounds-booted.sh tests/hosted/bounds-hosted.sh|keel_log lets ESC (terminal sequences) through
netstack-drops-input|apps/netstack/tcp_conn.c|tests/system/netstack-booted.sh|netstack keeps only the first segment of unread input
netstack-no-eclosed|apps/netstack/tcp_conn.c|tests/system/netstack-booted.sh|netstack's READ after the peer's FIN/RST times out instead of STREAM_ECLOSED
hosted-protocol-int32|tools/keel-hosted/launch.c|tests/hosted/proto-echo-hosted.sh|keel-hosted narrows a protocol number to 32 bits signed
virtq-any-id|apps/virtio/virtq.c|build/tests/unit/virtq|the virtqueue accepts a used element naming a chain not in flight (never posted, or back already)
virtq-any-length|apps/virtio/virtq.c|build/tests/unit/virtq|virtq_next accepts a used length beyond the chain's device-writable bytes
proxy-no-reset-ack|tools/keel-proxy/relay.c|tests/hosted/keel-proxy.sh tests/system/consdev-booted.sh|keel-proxy does not answer the VM's reset line
kbs-any-measurement|tools/kbs/attest.c|tests/hosted/kbs-broker.sh|the broker accepts any launch measurement
kbs-report-data-unbound|tools/kbs/attest.c|tests/hosted/kbs-broker.sh|the broker does not check report_data against the nonce and tee-pubkey
kbs-ack-any-mac|tools/kbs/handlers.c|tests/hosted/kbs-broker.sh|the broker accepts an ack with any MAC
kbs-tls-handshake-inline|tools/kbs/tls_server.c|tests/hosted/kbs-tls.sh|the HTTPS listener runs each connection itself (a stalled handshake blocks every client)
kbs-tls-no-deadline|tools/kbs/tls.h|tests/hosted/kbs-tls.sh|TLS handshakes get 100 s instead of 10 s
kbs-tls-relay-polls-after-progress|tools/kbs/tls_relay.c|tests/hosted/kbs-tls.sh|the TLS relay polls after a turn that moved bytes (a body in a second record waits for MHD's timeout)
lwip-isn-guessable|apps/net/lwipopts.h|tests/hosted/fuzz-net-frames.sh|lwIP's own TCP ISNs (6510 + ticks) instead of keel_net_rand
http-chunk-line-split|apps/attest-bridge/http_parse.c|build/tests/unit/attest-bridge tests/hosted/fuzz-http-response.sh|a long chunk-size line refused only while a read ends inside it
bridge-no-new-session|apps/attest-bridge/flow.c|tests/hosted/attest-hosted.sh|a broker closing a new connection unanswered ends the run (no new session)
bridge-retries-resource|apps/attest-bridge/flow.c|tests/hosted/attest-hosted.sh|the bridge may start again after asking for the resource (a second boot counted)
"

# mutate NAME FILE: applies NAME's change to FILE; 1 if the text is not there.
mutate() {
	python3 - "$1" "$2" <<'PY'
import sys
name, path = sys.argv[1], sys.argv[2]
M = {
 "random-constant": ("int random_u64(uint64_t *out)\n{\n",
                     "int random_u64(uint64_t *out)\n{\n\t*out = 0x0123456789abcdefull;\n\treturn 0;\n"),
 "time-constant": ("\tif (out)\n\t\t*out = ts.tv_sec;\n\treturn ts.tv_sec;",
                   "\tts.tv_sec = 1700000000;\n\tif (out)\n\t\t*out = ts.tv_sec;\n\treturn ts.tv_sec;"),
 "strncasecmp-off-by-one": ("int strncasecmp(const char *a, const char *b, size_t n)\n{\n\tfor (; n; n--",
                            "int strncasecmp(const char *a, const char *b, size_t n)\n{\n\tfor (; n > 1; n--"),
 "hosted-never-flags-fault": ("\t\tbad = !WIFSIGNALED(st);", "\t\tbad = 0;"),
 "child-dies-halfway": ("\tphase_seal\n\tphase_nv_quote\n", "\tphase_seal\n\tkill -9 $$\n\tphase_nv_quote\n"),
 "script-plan-mismatch": ("\nplan\n", "\necho \"1..$((n + 1))\"\n"),
 "script-skips": ("check \"summary line\" grep -q", "ok \"summary line # SKIP not needed\" || grep -q"),
 "runner-ignores-plan": ('\telif [ "$planned" -ne "$results" ]; then', '\telif false; then'),
 "runner-skip-is-pass": ("skip_allowed() {\n", "skip_allowed() {\n\treturn 0\n"),
 "relay-ignores-child": ('\tif [ -z "$_rplan" ]; then', '\t_rplan=$_rcount _rstatus=0\n\tif [ -z "$_rplan" ]; then'),
 "copy-across-pages": ("\tif (cd < c)\n\t\tc = cd;\n", "\t(void)cd;\n"),
 "buffer-max-plus-one": ("regs->rdx > r->max)", "regs->rdx > r->max + 1ull)"),
 "igvm-second-vp0": ("\tif (w->vp0 & d->compatibility_mask)\n", "\tif (0 && (w->vp0 & d->compatibility_mask))\n"),
 "syscall-keeps-ac": ("RFLAGS_VM | RFLAGS_AC |", "RFLAGS_VM |"),
 "device-window-copy": ("\treturn (folded & (need | PTE_OWNED)) == (need | PTE_OWNED);", "\treturn (folded & need) == need; /* a device window too */"),
 "log-passes-esc": ("return (c < 0x20 && c != '\\t')", "return (c < 0x20 && c != '\\t' && c != 0x1b)"),
 "netstack-drops-input": ("\tpbuf_cat(C.rx, p);", "\tpbuf_free(p);"),
 "netstack-no-eclosed": ("\t\tif (C.state == CONN_CLOSED)\n\t\t\treturn STREAM_ECLOSED;", "\t\tif (0)\n\t\t\treturn STREAM_ECLOSED;"),
 "virtq-any-id": ("\tif (e_id >= q->num || q->chain_len[e_id] == 0)\n", "\tif (e_id >= q->num)\n"),
 "virtq-any-length": ("\tif (*len > writable)\n", "\tif (0 && *len > writable)\n"),
 "proxy-no-reset-ack": ("\tr.tv = RESET_LINE_LEN;", "\tr.tv = 0;"),
 "kbs-any-measurement": ("\tif (!measurement_registered(&vm,", "\tif (0 && !measurement_registered(&vm,"),
 "kbs-report-data-unbound": ("\tif (CRYPTO_memcmp(rd, req->report + SNP_OFF_REPORT_DATA, 64) != 0) {",
                             "\tif (0 && CRYPTO_memcmp(rd, req->report + SNP_OFF_REPORT_DATA, 64) != 0) {"),
 "kbs-ack-any-mac": ("\tint good = CRYPTO_memcmp(mac, req.mac, 32) == 0;", "\tint good = 1;"),
 "kbs-tls-handshake-inline": ("\tint rc = pthread_create(&th, &a, conn_thread, c);",
                              "\tconn_thread(c);\n\tint rc = 0;\n\t(void)th;"),
 "kbs-tls-no-deadline": ("#define KBS_TLS_HANDSHAKE_MS 10000 ", "#define KBS_TLS_HANDSHAKE_MS 100000"),
 "kbs-tls-relay-polls-after-progress": ("if (!moved && !relay_wait(", "if (!relay_wait("),
 "hosted-protocol-int32": ("m->tasks[i].protocol == (int64_t)protocol", "m->tasks[i].protocol == (int64_t)(int32_t)protocol"),
 "lwip-isn-guessable": ("#define LWIP_HOOK_TCP_ISN(", "#define KEEL_UNUSED_TCP_ISN("),
 "http-chunk-line-split": ("\t\tif ((size_t)(e - p) > CHUNK_LINE_MAX)\n", "\t\tif (0)\n"),
 "bridge-no-new-session": ("\tr.tries_left = FLOW_TRIES - 1;", "\tr.tries_left = 0;"),
 "bridge-retries-resource": ("\tr.tries_left = 0; /* the resource", "\t/* the resource"),
}
old, new = M[name]
s = open(path).read()
if old not in s:
    sys.exit(1)
open(path, "w").write(s.replace(old, new, 1))
PY
}

build() { make -j2 all check-build >"$work/build.log" 2>&1; }

want=" $* "
status=0
printf '%-26s %-10s %s\n' mutation verdict "caught by (tests that failed)"
while IFS='|' read -r name file tests what; do
	[ -n "$name" ] || continue
	[ "$want" = "  " ] || case $want in *" $name "*) ;; *) continue ;; esac
	cp "$file" "$work/orig"
	restore=$file
	if ! mutate "$name" "$file"; then
		printf '%-26s %-10s %s\n' "$name" "STALE" "the text to mutate is no longer in $file"
		status=1
		restore=""
		continue
	fi
	if ! build; then
		printf '%-26s %-10s %s\n' "$name" "caught" "the build ($work/build.log)"
	else
		# shellcheck disable=SC2086 # TESTS is a list
		KEEL_TEST_LOGS=$work/logs tests/run-all.sh $tests >"$work/run.log" 2>&1
		rc=$?
		by=$(sed -n 's/^FAIL \([^ ]*\) .*/\1/p' "$work/run.log" | tr '\n' ' ')
		if [ "$rc" -ne 0 ]; then
			printf '%-26s %-10s %s\n' "$name" "caught" "${by:-the runner (exit $rc)} ($(grep -E '^[0-9]+ passed' "$work/run.log"))"
			grep -E '^    not ok |^FAIL ' "$work/run.log" | sed 's/ — log: .*//; s/^ *//' | head -n 6 | sed 's/^/#   /'
		else
			printf '%-26s %-10s %s\n' "$name" "SURVIVED" "$tests: $(grep -E '^[0-9]+ passed' "$work/run.log")"
			status=1
		fi
	fi
	cp "$work/orig" "$file"
	restore=""
	echo "# $what"
done <<<"$MUTATIONS"
build || { echo "mutation: the restored tree does not build: $work/build.log" >&2; exit 1; }
exit $status
