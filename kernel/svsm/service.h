/* The router's channels: the guest task's slot P <-> slot 0 of the task serving protocol P. */
#ifndef KEEL_SVSM_SERVICE_H
#define KEEL_SVSM_SERVICE_H

#include <stddef.h>

#include "task/manifest.h"

/* Boot, after the tasks exist: one channel per routable protocol task. 0, or -1 with err. */
int svsm_service_connect(const struct manifest *m, char *err, size_t err_len);

#endif
