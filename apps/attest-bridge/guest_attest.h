/*
 * SVSM protocol 1 (guest attestation) inside attest-bridge. The bridge's
 * main loop, once storaged is unlocked, receives requests on the router
 * handle (slot 0) and answers each with what this returns: the reply's
 * length in `rsp` (at most `cap`), a whole keel_msg. guest_attest.c
 * implements it; guest_default.c is a weak default answering
 * KEEL_OP_ERROR/KEEL_ENOTSUP so the bridge links without it.
 */
#ifndef ATTEST_GUEST_ATTEST_H
#define ATTEST_GUEST_ATTEST_H

#include <stddef.h>

size_t attest_guest_handle(const void *req, size_t len, void *rsp, size_t cap);

#endif
