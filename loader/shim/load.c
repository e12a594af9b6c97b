/*
 * Loading the NATIVE half of an IGVM file (IGVM spec: directives are
 * applied in file order; a parameter area is declared, filled by parameter
 * headers, then copied to guest memory by its PARAMETER_INSERT).
 */
#include <string.h>

#include "console.h"
#include "load.h"

#define FOUR_GIB 0x100000000ull
#define AREA_POOL_SIZE (64u * 1024u)

extern char shim_image_start[], shim_image_end[];

/* Parameter areas live here between declaration and insertion. */
static uint8_t area_pool[AREA_POOL_SIZE] __attribute__((aligned(4096)));

struct area_buf {
	uint32_t index;
	uint32_t size;
	uint8_t *buf;
};

struct load_state {
	const struct igvm_file *f;
	const struct load_plan *plan;
	const struct ram_map *ram;
	const char *cmdline;
	IgvmNativeVpContextX64 *ctx;
	int have_ctx;
	uint32_t pool_used;
	uint32_t nareas;
	struct area_buf areas[IGVM_MAX_PARAM_AREAS];
};

/* Headers without a compatibility mask (parameters) apply to every platform. */
static int for_native(const struct igvm_directive *d, uint32_t mask)
{
	return d->compatibility_mask == 0 || (d->compatibility_mask & mask) != 0;
}

static void check_target(const struct igvm_directive *d, const struct ram_map *ram)
{
	uint64_t end = d->gpa + d->gpa_size;
	uint64_t shim_lo = (uintptr_t)shim_image_start, shim_hi = (uintptr_t)shim_image_end;

	if (end > FOUR_GIB || end < d->gpa)
		shim_fail("IGVM header at offset 0x%x: GPA 0x%llx+0x%llx is above 4 GiB", d->offset,
		          (unsigned long long)d->gpa, (unsigned long long)d->gpa_size);
	if (!ram_contains(ram, d->gpa, end))
		shim_fail("IGVM header at offset 0x%x: GPA 0x%llx+0x%llx is not in usable RAM",
		          d->offset, (unsigned long long)d->gpa, (unsigned long long)d->gpa_size);
	if (d->gpa < shim_hi && end > shim_lo)
		shim_fail(
		    "IGVM header at offset 0x%x: GPA 0x%llx overlaps the shim at 0x%llx-0x%llx",
		    d->offset, (unsigned long long)d->gpa, (unsigned long long)shim_lo,
		    (unsigned long long)shim_hi);
}

int load_plan(const struct igvm_file *f, const struct ram_map *ram, uint64_t avoid_start,
              uint64_t avoid_end, struct load_plan *plan)
{
	struct igvm_directive d;
	struct igvm_iter it;
	int overlap = 0;

	memset(plan, 0, sizeof(*plan));
	plan->native_mask = igvm_platform_mask(f, IGVM_PLATFORM_TYPE_NATIVE);
	if (plan->native_mask == 0)
		shim_fail("IGVM file declares no NATIVE platform: nothing the shim can load");
	plan->lowest_gpa = ~0ull;
	igvm_iter_init(&it, f);
	while (igvm_iter_next(&it, &d) > 0) {
		if (d.gpa_size == 0 || !for_native(&d, plan->native_mask))
			continue;
		check_target(&d, ram);
		if (d.type == IGVM_VHT_PAGE_DATA)
			plan->npages++;
		if (d.gpa < plan->lowest_gpa)
			plan->lowest_gpa = d.gpa;
		if (d.gpa + d.gpa_size > plan->highest_end)
			plan->highest_end = d.gpa + d.gpa_size;
		if (d.gpa < avoid_end && d.gpa + d.gpa_size > avoid_start)
			overlap = 1;
	}
	if (plan->npages == 0)
		shim_fail("IGVM file has no PAGE_DATA for the NATIVE platform");
	return overlap;
}

static struct area_buf *area_find(struct load_state *s, uint32_t index, uint32_t at, uint32_t need)
{
	for (uint32_t i = 0; i < s->nareas; i++) {
		if (s->areas[i].index != index)
			continue;
		if (!s->areas[i].buf)
			shim_fail("IGVM header at offset 0x%x: parameter area %u already inserted",
			          at, index);
		if (need > s->areas[i].size)
			shim_fail("IGVM header at offset 0x%x: parameter area %u too small", at,
			          index);
		return &s->areas[i];
	}
	shim_fail("IGVM header at offset 0x%x: parameter area %u not declared", at, index);
}

static void area_declare(struct load_state *s, const struct igvm_directive *d)
{
	uint64_t size = d->u.area.number_of_bytes;
	struct area_buf *a;

	if (s->nareas == IGVM_MAX_PARAM_AREAS || size > AREA_POOL_SIZE - s->pool_used)
		shim_fail("IGVM header at offset 0x%x: parameter areas exceed the shim's %u KiB",
		          d->offset, AREA_POOL_SIZE / 1024);
	a = &s->areas[s->nareas++];
	a->index = d->u.area.parameter_area_index;
	a->size = (uint32_t)size;
	a->buf = area_pool + s->pool_used;
	s->pool_used += a->size;
	memset(a->buf, 0, a->size);
	if (d->data)
		memcpy(a->buf, d->data, d->data_size < a->size ? d->data_size : a->size);
}

/* Fills a parameter (MEMORY_MAP, VP_COUNT, COMMAND_LINE) into its area. */
static void area_fill(struct load_state *s, const struct igvm_directive *d)
{
	uint32_t off = d->u.param.byte_offset;
	struct area_buf *a = area_find(s, d->u.param.parameter_area_index, d->offset, off);
	uint32_t room = a->size - off;

	switch (d->type) {
	case IGVM_VHT_MEMORY_MAP:
		if (ram_to_igvm(s->ram, a->buf + off, room) == 0)
			shim_fail("IGVM header at offset 0x%x: memory map area holds no entry",
			          d->offset);
		break;
	case IGVM_VHT_VP_COUNT_PARAMETER: {
		uint32_t one = 1;

		if (room < sizeof(one))
			shim_fail("IGVM header at offset 0x%x: VP count does not fit", d->offset);
		memcpy(a->buf + off, &one, sizeof(one));
		break;
	}
	case IGVM_VHT_COMMAND_LINE: {
		size_t n = s->cmdline ? strnlen(s->cmdline, room ? room - 1 : 0) : 0;

		if (room == 0)
			shim_fail("IGVM header at offset 0x%x: command line does not fit",
			          d->offset);
		memcpy(a->buf + off, s->cmdline ? s->cmdline : "", n);
		a->buf[off + n] = '\0';
		break;
	}
	default:
		console_printf("keel-shim: warning: %s parameter (header at 0x%x) left zero\n",
		               igvm_type_name(d->type), d->offset);
		break;
	}
}

static void area_insert(struct load_state *s, const struct igvm_directive *d)
{
	struct area_buf *a = area_find(s, d->u.insert.parameter_area_index, d->offset, 0);

	memcpy((void *)(uintptr_t)d->gpa, a->buf, a->size);
	a->buf = NULL; /* an area is inserted once */
}

static void page_write(const struct igvm_directive *d)
{
	uint8_t *dst = (uint8_t *)(uintptr_t)d->gpa;
	uint32_t n = d->data ? d->data_size : 0;

	if (n > d->gpa_size)
		n = (uint32_t)d->gpa_size;
	if (n)
		memcpy(dst, d->data, n);
	memset(dst + n, 0, (size_t)(d->gpa_size - n));
}

static void vp_take(struct load_state *s, const struct igvm_directive *d)
{
	if (d->u.vp.vp_index != 0)
		return; /* one VP: the VP count parameter says 1 */
	if (d->vp_platform != IGVM_PLATFORM_TYPE_NATIVE)
		return;
	if (!d->data || d->data_size < sizeof(*s->ctx))
		shim_fail("IGVM header at offset 0x%x: NATIVE VP context has %u bytes, need %u",
		          d->offset, d->data ? d->data_size : 0, (unsigned)sizeof(*s->ctx));
	if (s->have_ctx)
		shim_fail("IGVM header at offset 0x%x: second NATIVE VP context for VP 0",
		          d->offset);
	memcpy(s->ctx, d->data, sizeof(*s->ctx));
	s->have_ctx = 1;
}

static int apply_one(const struct igvm_directive *d, void *arg)
{
	struct load_state *s = arg;

	if (d->type == IGVM_VHT_PARAMETER_AREA) {
		area_declare(s, d);
		return 0;
	}
	if (!for_native(d, s->plan->native_mask))
		return 0;
	switch (d->type) {
	case IGVM_VHT_PAGE_DATA:
		page_write(d);
		break;
	case IGVM_VHT_PARAMETER_INSERT:
		area_insert(s, d);
		break;
	case IGVM_VHT_VP_CONTEXT:
		vp_take(s, d);
		break;
	case IGVM_VHT_REQUIRED_MEMORY:
		if (!ram_contains(s->ram, d->u.required.gpa,
		                  d->u.required.gpa + d->u.required.number_of_bytes))
			shim_fail("IGVM header at offset 0x%x: required memory 0x%llx is not RAM",
			          d->offset, (unsigned long long)d->u.required.gpa);
		break;
	case IGVM_VHT_VP_COUNT_PARAMETER:
	case IGVM_VHT_MEMORY_MAP:
	case IGVM_VHT_COMMAND_LINE:
	case IGVM_VHT_SRAT:
	case IGVM_VHT_MADT:
	case IGVM_VHT_MMIO_RANGES:
	case IGVM_VHT_SLIT:
	case IGVM_VHT_PPTT:
	case IGVM_VHT_DEVICE_TREE:
	case IGVM_VHT_ENVIRONMENT_INFO_PARAMETER:
		area_fill(s, d);
		break;
	default:
		break; /* policies, ID blocks, error ranges: nothing to do natively */
	}
	return 0;
}

void load_apply(const struct igvm_file *f, const struct load_plan *plan, const struct ram_map *ram,
                const char *cmdline, IgvmNativeVpContextX64 *ctx)
{
	static struct load_state s;

	memset(&s, 0, sizeof(s));
	s.f = f;
	s.plan = plan;
	s.ram = ram;
	s.cmdline = cmdline;
	s.ctx = ctx;
	igvm_for_each(f, apply_one, &s);
	if (!s.have_ctx)
		shim_fail("IGVM file has no NATIVE VP context for VP 0");
}
