/* keel-state's subcommands: add a family's entries here (one file per family). */
#include <stddef.h>

#include "keel_state.h"

const struct ks_cmd ks_cmds[] = {
    {"create", "IMAGE KEY [--size 8M] [--generation G] [--force]", ks_cmd_create},
    {"list", "IMAGE KEY", ks_cmd_list},
    {"dump", "IMAGE KEY [NAME] [--raw]", ks_cmd_dump},
    {"check", "IMAGE KEY [--min-generation G]", ks_cmd_check},
    {"put", "IMAGE KEY NAME FILE", ks_cmd_put},
    {"rm", "IMAGE KEY NAME", ks_cmd_rm},
    {NULL, NULL, NULL},
};
