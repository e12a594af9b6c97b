# shellcheck shell=bash
# The Secure Boot scenario through build/bin/keel-varctl (sourced by
# tests/hosted/uefivars-hosted.sh and tests/system/uefivars-booted.sh
# after tests/lib.sh; not a test, so not executable). The keys and the
# signed updates are made at test time by tests/hosted/uefi_mm.py's
# make_keys (openssl, efitools cert-to-efi-sig-list/sign-efi-sig-list,
# sbvarsign). Leaves the store as the raw suite's secureboot part does:
# KEK, db = db + db2 + db3, PK deleted (setup mode).
#   sb_varctl PREFIX KEYS VARCTL-ARGS...   TAP lines, each PREFIXed
#   sb_make_keys KEYS                      the keys, once
sb_make_keys() {
	[ -e "$1/PK.auth" ] || python3 -c "import sys; sys.path.insert(0, sys.argv[1]); import uefi_mm; uefi_mm.make_keys(sys.argv[2])" \
		"$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)" "$1"
}

sb_varctl() {
	local p=$1 k=$2 out=$2/varctl.out err=$2/varctl.err
	shift 2
	vc() { "$@" >"$out" 2>"$err"; }
	# refused STATUS CMD...: exit status non-zero and the EFI status named on stderr
	refused() {
		local want=$1
		shift
		! "$@" >"$out" 2>"$err" && grep -q "$want" "$err"
	}
	val() { "$@" get "$SB_NAME" 2>/dev/null | tr -d ' \n'; }
	mode() { # mode SETUP SECURE
		[ "$(SB_NAME=SetupMode val "${vcmd[@]}")" = "$1" ] && [ "$(SB_NAME=SecureBoot val "${vcmd[@]}")" = "$2" ]
	}
	local vcmd=("$@")
	sb_make_keys "$k"
	check "${p}varctl: before enrolment SetupMode 01, SecureBoot 00" mode 01 00
	check "${p}varctl: set PK --auth (self-signed)" vc "${vcmd[@]}" set PK --auth "$k/PK.auth"
	check "${p}varctl: SetupMode 00, SecureBoot 01 after PK" mode 00 01
	check "${p}varctl: set KEK --auth (signed by PK)" vc "${vcmd[@]}" set KEK --auth "$k/KEK.auth"
	check "${p}varctl: set db --auth (signed by KEK)" vc "${vcmd[@]}" set db --auth "$k/db.auth"
	check "${p}varctl: get db --raw is the enrolled list" sh -c "$(printf '%q ' "${vcmd[@]}") get db --raw | cmp -s - '$k/db.esl'"
	check "${p}varctl: unsigned db update refused (EFI_SECURITY_VIOLATION)" \
		refused EFI_SECURITY_VIOLATION "${vcmd[@]}" set db --attrs NV,BS,RT,AT --data-file "$k/db2.esl"
	check "${p}varctl: db update signed by a stranger refused (EFI_SECURITY_VIOLATION)" \
		refused EFI_SECURITY_VIOLATION "${vcmd[@]}" set db --auth "$k/db-stranger.auth"
	check "${p}varctl: replayed db update refused (EFI_SECURITY_VIOLATION)" \
		refused EFI_SECURITY_VIOLATION "${vcmd[@]}" set db --auth "$k/db.auth"
	check "${p}varctl: older db update refused (EFI_SECURITY_VIOLATION)" \
		refused EFI_SECURITY_VIOLATION "${vcmd[@]}" set db --auth "$k/db-older.auth"
	check "${p}varctl: append to db (efitools -a)" vc "${vcmd[@]}" set db --auth "$k/db-append.auth" --append
	check "${p}varctl: append to db (sbvarsign)" vc "${vcmd[@]}" set db --auth "$k/db-sbvarsign.auth" --append
	cat "$k/db.esl" "$k/db2.esl" "$k/db3.esl" >"$k/db-all.esl"
	check "${p}varctl: db = db + db2 + db3" sh -c "$(printf '%q ' "${vcmd[@]}") get db --raw | cmp -s - '$k/db-all.esl'"
	check "${p}varctl: SecureBoot still 01" mode 00 01
	check "${p}varctl: delete PK by a signed empty update" vc "${vcmd[@]}" set PK --auth "$k/PK-delete.auth"
	check "${p}varctl: setup mode again (SetupMode 01, SecureBoot 00)" mode 01 00
	check "${p}varctl: PK is gone (get fails with EFI_NOT_FOUND)" refused EFI_NOT_FOUND "${vcmd[@]}" get PK
}
