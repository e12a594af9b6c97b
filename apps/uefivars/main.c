/*
 * uefivars: the UEFI variable service (SVSM protocol 4, call 1
 * SVSM_UEFI_MM_REQUEST; apps/uefivars/README.md, docs/uefivars.md).
 * Arguments (manifest arg=, space-separated): store=SLOT, the storaged
 * channel; without it variables live in memory only (tests).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel/errors.h>
#include <keel/svsm.h>
#include <keel/task_data.h>

#include "../svsm/svsm_serve.h"
#include "uv_int.h"

static struct uefivars uv;

/* "store=N" (N < KEEL_MAX_HANDLES); 0, or -1 with the reason logged. */
static int parse_args(const char *arg, keel_handle_t *store)
{
	*store = KEEL_HANDLE_NONE;
	char buf[128];
	if (strlen(arg) >= sizeof(buf)) {
		uv_log("bad arguments: too long");
		return -1;
	}
	strcpy(buf, arg);
	for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		char *end;
		if (strncmp(w, "store=", 6) != 0) {
			uv_log("bad argument '%s' (known: store=SLOT)", w);
			return -1;
		}
		unsigned long slot = strtoul(w + 6, &end, 10);
		if (end == w + 6 || *end || slot == KEEL_HANDLE_ROUTER ||
		    slot >= KEEL_MAX_HANDLES) {
			uv_log("bad store slot '%s'", w + 6);
			return -1;
		}
		*store = (keel_handle_t)slot;
	}
	return 0;
}

static void serve(struct svsm_serve *ss)
{
	unsigned long served = 0;
	for (;;) {
		struct svsm_call_in in;
		struct svsm_call_out out;
		int r = svsm_serve_recv(ss, &in);
		if (r != 0) {
			uv_log("router channel closed after %lu requests (%d); exiting", served, r);
			return;
		}
		memset(&out, 0, sizeof(out));
		if (in.call == SVSM_UEFI_MM_REQUEST) {
			out.buf_len = (uint32_t)uv_mm_request(&uv, in.buf, in.buf_len, &out.rax);
		} else {
			out.rax = SVSM_ERR_UNSUPPORTED_CALL;
			uv_log_refusal(&uv, "SVSM call other than 1", UV_LOG_SVSM_CALL,
			               EFI_UNSUPPORTED);
		}
		if (svsm_serve_reply(ss, &out) != 0) {
			uv_log("reply failed after %lu requests; exiting", served);
			return;
		}
		served++;
	}
}

int main(int argc, char **argv)
{
	keel_handle_t store;
	if (parse_args(argc > 1 ? argv[1] : "", &store))
		return 2;
	const void *blob = NULL;
	size_t blob_size = 0;
	int r = keel_task_data(&blob, &blob_size);
	if (r == KEEL_ENOENT) {
		blob = NULL; /* no default store: a first boot starts empty, in setup mode */
	} else if (r != 0) {
		uv_log("cannot map the default store (%d): not serving", r);
		return 1;
	}
	efi_status s = uv_init(&uv, store, blob, blob_size);
	if (s != EFI_SUCCESS) {
		uv_log("not serving: the variables could not be loaded (%s)", efi_status_name(s));
		return 1;
	}
	size_t nv = 0, vol = 0;
	for (struct uv_var *v = uv.vars; v; v = v->next)
		(v->attrs & EFI_VARIABLE_NON_VOLATILE) ? nv++ : vol++;
	uv_log("%zu non-volatile variables loaded, %zu volatile kept by the service (next sequence "
	       "%llu), %s, %s mode, default store %s",
	       nv, vol, (unsigned long long)uv.next_seq,
	       store == KEEL_HANDLE_NONE ? "memory only (nothing persisted)"
	                                 : "persisted through storaged",
	       uv.setup_mode ? "setup" : "user", blob ? "present" : "absent");
	struct svsm_serve *ss = svsm_serve_new(KEEL_HANDLE_ROUTER);
	if (!ss) {
		uv_log("no SVSM transport (svsm_serve_new failed)");
		return 1;
	}
	serve(ss);
	svsm_serve_free(ss);
	uv_fini(&uv);
	return 0;
}
