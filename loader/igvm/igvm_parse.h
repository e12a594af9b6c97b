/*
 * IGVM v1 parser: checks a whole file held in memory, then hands out its
 * headers one by one, decoded. No allocation, no libc beyond
 * memcpy/memcmp/memset, no 64-bit division: the same code runs in the host
 * tools, the fuzzer and the 32-bit freestanding shim (loader/shim).
 *
 * igvm_parse() does every check up front (decode, then use): magic,
 * version, sizes, CRC32, 8-byte header alignment and zero padding, section
 * order, every offset and length inside the file, compatibility masks
 * naming declared platforms, parameter areas declared once / inserted
 * once, required-but-unknown header types, and overlapping guest ranges
 * (PAGE_DATA, PARAMETER_INSERT, SNP VMSA) on a shared platform. After it
 * returns IGVM_OK, iterating cannot fail.
 */
#ifndef KEEL_IGVM_PARSE_H
#define KEEL_IGVM_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "igvm_format.h"

enum igvm_status {
	IGVM_OK = 0,
	IGVM_ERR_TRUNCATED = -1,       /* shorter than its headers say */
	IGVM_ERR_MAGIC = -2,           /* not "IGVM" */
	IGVM_ERR_VERSION = -3,         /* format version other than 1 */
	IGVM_ERR_SIZE = -4,            /* fixed header sizes/offsets inconsistent */
	IGVM_ERR_CHECKSUM = -5,        /* CRC32 mismatch */
	IGVM_ERR_HEADER_BOUNDS = -6,   /* a variable header runs past its section */
	IGVM_ERR_ALIGNMENT = -7,       /* GPA / size / padding alignment */
	IGVM_ERR_UNKNOWN_REQUIRED = -8, /* unknown type without the ignorable bit */
	IGVM_ERR_SECTION_ORDER = -9,   /* platform / init / directive order broken */
	IGVM_ERR_DATA_BOUNDS = -10,    /* file data outside the file or on the headers */
	IGVM_ERR_OVERLAP = -11,        /* two guest ranges overlap on one platform */
	IGVM_ERR_PLATFORM = -12,       /* bad or undeclared compatibility mask */
	IGVM_ERR_PARAMETER = -13,      /* parameter area misuse */
	IGVM_ERR_FIELD = -14,          /* a field the spec forbids (length, reserved bits) */
	IGVM_ERR_LIMIT = -15,          /* more platforms/areas than this parser holds */
};

struct igvm_error {
	int code;         /* enum igvm_status */
	const char *msg;  /* static text naming what is wrong */
	uint32_t offset;  /* file offset of the offending header (0: fixed header) */
};

#define IGVM_MAX_PLATFORMS 8
#define IGVM_MAX_PARAM_AREAS 32

struct igvm_platform {
	uint32_t mask;
	uint8_t type; /* IGVM_PLATFORM_TYPE_* */
	uint8_t highest_vtl;
	uint16_t version;
	uint64_t shared_gpa_boundary;
};

struct igvm_param_area {
	uint32_t index;
	uint32_t file_offset;
	uint64_t size;
};

struct igvm_file {
	const uint8_t *data;
	uint32_t size;
	IGVM_FIXED_HEADER fixed;
	uint32_t vh_start, vh_end; /* the variable header section */
	uint32_t nheaders;
	uint32_t nplatforms;
	struct igvm_platform platforms[IGVM_MAX_PLATFORMS];
	uint32_t nareas;
	struct igvm_param_area areas[IGVM_MAX_PARAM_AREAS];
};

/* One variable header, decoded. Body structs are copies (no alignment
 * assumptions on the buffer). */
struct igvm_directive {
	uint32_t type;      /* without IGVM_VHF_TYPE_IGNORABLE */
	uint32_t ignorable; /* 1 if the type had the ignorable bit */
	uint32_t known;     /* 0: an ignorable type this parser does not know */
	uint32_t offset;    /* file offset of the IGVM_VHS_VARIABLE_HEADER */
	uint32_t length;    /* body bytes */
	const uint8_t *body;
	uint32_t compatibility_mask; /* 0 for types that carry none */
	union {
		IGVM_VHS_SUPPORTED_PLATFORM platform;
		IGVM_VHS_GUEST_POLICY policy;
		IGVM_VHS_PARAMETER_AREA area;
		IGVM_VHS_PAGE_DATA page;
		IGVM_VHS_PARAMETER_INSERT insert;
		IGVM_VHS_VP_CONTEXT vp;
		IGVM_VHS_PARAMETER param; /* every parameter type */
		IGVM_VHS_REQUIRED_MEMORY required;
		IGVM_VHS_ERROR_RANGE error_range;
	} u;
	/* File data this header points at: page contents (NULL for a zero
	 * page), VP context data, a parameter area's initial contents. */
	const uint8_t *data;
	uint32_t data_size;
	/* Guest range the header fills (PAGE_DATA, PARAMETER_INSERT, SNP VMSA);
	 * gpa_size 0 if none. */
	uint64_t gpa;
	uint64_t gpa_size;
	uint8_t vp_platform; /* VP_CONTEXT: IGVM_PLATFORM_TYPE_* of its mask */
};

/* Check the whole file; IGVM_OK or a negative igvm_status with `err` set. */
int igvm_parse(struct igvm_file *f, const void *buf, size_t len, struct igvm_error *err);

struct igvm_iter {
	const struct igvm_file *file;
	uint32_t pos;
};

void igvm_iter_init(struct igvm_iter *it, const struct igvm_file *f);
/* 1 and fills `d` with the next header, 0 at the end, <0 only if the file
 * was not accepted by igvm_parse. */
int igvm_iter_next(struct igvm_iter *it, struct igvm_directive *d);

/* Callback form of the same walk; stops at the first non-zero return. */
typedef int (*igvm_visit_fn)(const struct igvm_directive *d, void *ctx);
int igvm_for_each(const struct igvm_file *f, igvm_visit_fn fn, void *ctx);

/* The compatibility mask of the first declared platform of `type`, or 0. */
uint32_t igvm_platform_mask(const struct igvm_file *f, uint8_t type);
/* A declared parameter area by index, or NULL. */
const struct igvm_param_area *igvm_param_area(const struct igvm_file *f, uint32_t index);

/* Name of a header type ("PAGE_DATA") or NULL if unknown. */
const char *igvm_type_name(uint32_t type);

#endif
