/*
 * keel-state manufacture-tpm (docs/vtpm.md, "Manufacturing offline"): the
 * vtpm's own provisioning (apps/vtpm/provision.c, tpm.c, ...) run on the
 * host with libtpms, its state committed straight into the image.
 */
#ifndef KEEL_STATE_MANUFACTURE_H
#define KEEL_STATE_MANUFACTURE_H

struct store;

#define MANUFACTURE_NS "vtpm" /* storaged's namespace of the vtpm task (apps/boot.manifest) */

/* The subcommand: argv[0] = "manufacture-tpm". Exit status: 0, 1 (refused/failed), 2 (usage). */
int keel_state_manufacture_tpm(int argc, char **argv);
/*
 * manufacture_open.c: opens IMAGE (created 8 MiB sparse if missing,
 * formatted if blank) with the key from key_file or the development key.
 * 0, or an exit status (message printed).
 */
int manufacture_open(const char *image, const char *key_file, int dev_key, struct store **out);
/* manufacture_state.c: the open store the vtpm state backend works on, and the --out directory. */
void manufacture_state_use(struct store *s, const char *dir);

#endif
