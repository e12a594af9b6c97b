/*
 * keel-state manufacture-tpm (docs/vtpm.md, "Manufacturing offline"): the
 * vtpm's own provisioning (apps/vtpm/provision.c, tpm.c, ...) run on the
 * host with libtpms, its state committed straight into the image.
 */
#ifndef KEEL_STATE_MANUFACTURE_H
#define KEEL_STATE_MANUFACTURE_H

struct store;

#define MANUFACTURE_NS "vtpm" /* storaged's namespace of the vtpm task (apps/boot.manifest) */

/* manufacture_state.c: the open store the vtpm state backend works on, and the --out directory. */
void manufacture_state_use(struct store *s, const char *dir);

#endif
