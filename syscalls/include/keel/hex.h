/*
 * One hex digit's value, shared by the kernel (the launch digest from
 * fw_cfg) and the host tools (keel-state, kbs, keel-svsm-call,
 * keel-varctl). Header-only: no layer links another's code. (attest-bridge
 * keeps its own lowercase-only reader: its pin is written as sha256sum
 * prints it.)
 */
#ifndef KEEL_HEX_H
#define KEEL_HEX_H

/* 0..15 for [0-9a-fA-F], else -1. */
static inline int keel_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
