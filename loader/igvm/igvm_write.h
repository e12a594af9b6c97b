/*
 * IGVM v1 writer for host tools (igvm-build, tests): headers and file data
 * are collected in memory, file offsets are patched and the CRC32 computed
 * by igvm_writer_finish(). Every add function returns 0 or -1 with a
 * message in w->err. Page data is placed in the file 4 KiB aligned; an
 * all-zero page is written as file_offset 0 (the spec's zero page).
 */
#ifndef KEEL_IGVM_WRITE_H
#define KEEL_IGVM_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "igvm_format.h"

struct igvm_writer {
	uint8_t *hdr;
	size_t hdr_len, hdr_cap;
	uint8_t *data; /* file data, offsets relative to its start until finish */
	size_t data_len, data_cap;
	size_t *fixups; /* header offsets of file_offset fields to relocate */
	size_t nfixups, fixups_cap;
	char err[160];
};

void igvm_writer_init(struct igvm_writer *w);
void igvm_writer_free(struct igvm_writer *w);

/* Any header with a raw body (tests use it to build malformed files). */
int igvm_add_raw(struct igvm_writer *w, uint32_t type, const void *body, uint32_t len);

int igvm_add_platform(struct igvm_writer *w, uint32_t mask, uint8_t platform_type,
		      uint16_t version);
int igvm_add_guest_policy(struct igvm_writer *w, uint32_t mask, uint64_t policy);
/* One 4 KiB page; `data` NULL or len < 4096 is zero-filled. */
int igvm_add_page(struct igvm_writer *w, uint64_t gpa, uint32_t mask, uint32_t flags,
		  uint16_t data_type, const void *data, size_t len);
int igvm_add_param_area(struct igvm_writer *w, uint32_t index, uint64_t bytes);
/* A parameter header (IGVM_VHT_MEMORY_MAP, IGVM_VHT_VP_COUNT_PARAMETER, ...). */
int igvm_add_parameter(struct igvm_writer *w, uint32_t type, uint32_t index, uint32_t byte_offset);
int igvm_add_param_insert(struct igvm_writer *w, uint64_t gpa, uint32_t mask, uint32_t index);
/* VP context data: IgvmNativeVpContextX64 (gpa 0) or a SEV_VMSA, each padded with zeroes to a page. */
int igvm_add_vp_context(struct igvm_writer *w, uint64_t gpa, uint32_t mask, uint16_t vp_index,
			const void *ctx, size_t len);

/* The finished file (malloc'd, caller frees). */
int igvm_writer_finish(struct igvm_writer *w, uint8_t **out, size_t *out_len);

#endif
