/*
 * The boot manifest an IGVM file measures: igvm-build packs it into the
 * boot bundle (kernel/task/bundle.h), which it places as PAGE_DATA, so it
 * is part of the launch digest. igvm-measure shows it (--manifest) and
 * warns when it gives a task the INSECURE development key (docs/storaged.md).
 */
#ifndef MEASURED_MANIFEST_H
#define MEASURED_MANIFEST_H

#include <stddef.h>

#include "igvm_parse.h"

/*
 * Finds the bundle's manifest in `f`: 0 and a malloc'd copy in *text
 * (*len bytes, NUL-terminated), or -1 with *why (static text).
 */
int measured_manifest(const struct igvm_file *f, char **text, size_t *len, const char **why);

/* Calls fn with each task whose arg= holds the word "dev-key"; returns how many, or -1 with *why.
 */
int measured_dev_key_tasks(const char *text, size_t len, void (*fn)(const char *task),
                           const char **why);

#endif
