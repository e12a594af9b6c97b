/*
 * keel-varctl: the UEFI variables of Keel's uefivars service
 * (docs/keel-varctl.md), hosted through keel-hosted's guest port
 * (--state DIR) or booted through the test guest's serial passthrough
 * (--serial SOCKET). Exit status: 0 done; 1 the service refused (the EFI
 * status name on stderr) or the transport failed; 2 usage.
 */
#include <stdio.h>
#include <string.h>

#include "varctl.h"

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: keel-varctl (--state DIR | --serial SOCKET) COMMAND ...\n"
	    "  list                                  GUID NAME ATTRS SIZE per variable\n"
	    "  get NAME [--guid G] [--raw]           the value as hex (--raw: the bytes)\n"
	    "  set NAME [--guid G] --attrs A --data-file F [--append]\n"
	    "  set NAME [--guid G] --auth FILE [--append]   an efitools .auth file\n"
	    "  delete NAME [--guid G]\n"
	    "  import FILE                           JSON (version 2) or a raw OVMF_VARS*.fd\n"
	    "  export FILE                           JSON version 2 ('-': stdout)\n"
	    "A: a hex number (27, 0x27) or names NV,BS,RT,HR,AT,AW,AP,EA.\n"
	    "Default GUID: EFI global variable; image security database for db, dbx, dbt, dbr.\n");
}

/* Options with a value: where each goes. */
static const char **opt_slot(const char *o, const char **state, const char **serial,
                             struct opts *op)
{
	return !strcmp(o, "--state")       ? state
	       : !strcmp(o, "--serial")    ? serial
	       : !strcmp(o, "--guid")      ? &op->guid
	       : !strcmp(o, "--attrs")     ? &op->attrs
	       : !strcmp(o, "--data-file") ? &op->data_file
	       : !strcmp(o, "--auth")      ? &op->auth_file
	                                   : NULL;
}

int main(int argc, char **argv)
{
	const char *state = NULL, *serial = NULL, *pos[3] = {NULL, NULL, NULL};
	struct opts op;
	struct xport x;
	int npos = 0, rc;
	memset(&op, 0, sizeof(op));
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], **slot;
		if (!strcmp(o, "--help") || !strcmp(o, "-h"))
			return usage(stdout), 0;
		if (!strcmp(o, "--raw")) {
			op.raw = true;
		} else if (!strcmp(o, "--append")) {
			op.append = true;
		} else if ((slot = opt_slot(o, &state, &serial, &op))) {
			if (i + 1 >= argc)
				return fprintf(stderr, "keel-varctl: %s needs a value\n", o),
				       usage(stderr), VARCTL_EXIT_USAGE;
			*slot = argv[++i];
		} else if (o[0] == '-' && o[1]) {
			return fprintf(stderr, "keel-varctl: unknown option %s\n", o),
			       usage(stderr), VARCTL_EXIT_USAGE;
		} else if (npos < 3) {
			pos[npos++] = o;
		} else {
			return fprintf(stderr, "keel-varctl: too many arguments\n"), usage(stderr),
			       VARCTL_EXIT_USAGE;
		}
	}
	if (!state == !serial || !pos[0])
		return fprintf(stderr,
		               "keel-varctl: give one of --state and --serial, and a command\n"),
		       usage(stderr), VARCTL_EXIT_USAGE;
	int want = !strcmp(pos[0], "list") ? 1
	           : !strcmp(pos[0], "get") || !strcmp(pos[0], "set") ||
	                   !strcmp(pos[0], "delete") || !strcmp(pos[0], "import") ||
	                   !strcmp(pos[0], "export")
	               ? 2
	               : 0;
	if (!want)
		return fprintf(stderr, "keel-varctl: unknown command '%s'\n", pos[0]),
		       usage(stderr), VARCTL_EXIT_USAGE;
	if (npos != want)
		return fprintf(stderr, "keel-varctl: %s takes %s\n", pos[0],
		               want == 1 ? "no argument" : "one argument"),
		       usage(stderr), VARCTL_EXIT_USAGE;
	if ((op.raw && strcmp(pos[0], "get")) ||
	    ((op.attrs || op.data_file || op.auth_file || op.append) && strcmp(pos[0], "set")) ||
	    (op.guid && want == 1) ||
	    (op.guid && (!strcmp(pos[0], "import") || !strcmp(pos[0], "export"))))
		return fprintf(stderr, "keel-varctl: an option that %s does not take\n", pos[0]),
		       usage(stderr), VARCTL_EXIT_USAGE;
	if (xport_open(&x, state, serial))
		return VARCTL_EXIT_FAIL;
	if (!strcmp(pos[0], "list"))
		rc = cmd_list(&x);
	else if (!strcmp(pos[0], "get"))
		rc = cmd_get(&x, pos[1], &op);
	else if (!strcmp(pos[0], "set"))
		rc = cmd_set(&x, pos[1], &op);
	else if (!strcmp(pos[0], "delete"))
		rc = cmd_delete(&x, pos[1], &op);
	else if (!strcmp(pos[0], "import"))
		rc = cmd_import(&x, pos[1]);
	else
		rc = cmd_export(&x, pos[1]);
	xport_close(&x);
	return rc;
}
