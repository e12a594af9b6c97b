/* Freestanding stdlib subset for the shim: nothing allocates. */
#ifndef SHIM_STDLIB_H
#define SHIM_STDLIB_H

#include <stddef.h>

#endif
