/*
 * The input format of the uefivars-mm fuzzer, shared with its seed
 * program: a sequence of records, each one SVSM_UEFI_MM_REQUEST, run in
 * order against one memory-only store so state builds up (sets, then
 * gets, policy, phases):
 *
 *   u32 bufsize   the guest buffer's size: MM_BUFFER_MIN + bufsize %
 *                 (MM_BUFFER_MAX - MM_BUFFER_MIN + 1), 24 B .. 256 KiB;
 *                 or, with FUZZ_UV_TIGHT set, n + (bufsize & 0xff): a
 *                 buffer that ends right after the bytes given, where
 *                 off-by-one reads and writes at the end show
 *   u32 n         bytes that follow (clamped to the rest, and to bufsize)
 *   n bytes       copied to the start of the zeroed buffer
 *
 * as the booted serial passthrough fills its buffer (docs: BRIEF "KMMQ").
 */
#ifndef FUZZ_UEFIVARS_MM_H
#define FUZZ_UEFIVARS_MM_H

#define FUZZ_UV_RECORD_HEADER 8u
#define FUZZ_UV_MAX_RECORDS 24u
#define FUZZ_UV_TIGHT 0x80000000u

#endif
