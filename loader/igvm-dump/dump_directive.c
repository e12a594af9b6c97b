/* igvm-dump: one line (plus details) per variable header. */
#include <stdio.h>

#include "dump.h"

static const char *platform_name(uint8_t t)
{
	switch (t) {
	case IGVM_PLATFORM_TYPE_NATIVE: return "NATIVE";
	case IGVM_PLATFORM_TYPE_VSM_ISOLATION: return "VSM_ISOLATION";
	case IGVM_PLATFORM_TYPE_SEV_SNP: return "SEV_SNP";
	case IGVM_PLATFORM_TYPE_TDX: return "TDX";
	}
	return "unknown";
}

static const char *data_type_name(uint16_t t)
{
	static const char *names[] = { "NORMAL", "SECRETS", "CPUID_DATA", "CPUID_XF" };
	return t < 4 ? names[t] : "unknown";
}

static void dump_page(const struct igvm_directive *d)
{
	const IGVM_VHS_PAGE_DATA *p = &d->u.page;
	printf(" gpa=%#014llx mask=%#x type=%s flags=%#x%s%s%s file_offset=%#x size=%#llx%s\n",
	       (unsigned long long)p->gpa, p->compatibility_mask, data_type_name(p->data_type),
	       p->flags, (p->flags & IGVM_PAGE_DATA_FLAG_IS_2MB_PAGE) ? "(2MB)" : "",
	       (p->flags & IGVM_PAGE_DATA_FLAG_UNMEASURED) ? "(unmeasured)" : "",
	       (p->flags & IGVM_PAGE_DATA_FLAG_SHARED) ? "(shared)" : "", p->file_offset,
	       (unsigned long long)d->gpa_size, d->data ? "" : " zero");
}

static void dump_vp_context(const struct igvm_directive *d)
{
	const IGVM_VHS_VP_CONTEXT *v = &d->u.vp;
	printf(" gpa=%#014llx mask=%#x vp=%u platform=%s file_offset=%#x size=%#x\n",
	       (unsigned long long)v->gpa, v->compatibility_mask, v->vp_index,
	       platform_name(d->vp_platform), v->file_offset, d->data_size);
	if (d->vp_platform == IGVM_PLATFORM_TYPE_NATIVE)
		dump_native_context(d->data);
	else if (d->vp_platform == IGVM_PLATFORM_TYPE_SEV_SNP)
		dump_vmsa(d->data);
}

int dump_directive(const struct igvm_directive *d, void *ctx)
{
	const char *name = igvm_type_name(d->type);
	(void)ctx;

	printf("%#08x %-26s len=%-4u", d->offset, name ? name : "(unknown, ignorable)", d->length);
	switch (d->type) {
	case IGVM_VHT_SUPPORTED_PLATFORM:
		printf(" mask=%#x platform=%s version=%u highest_vtl=%u shared_gpa_boundary=%#llx\n",
		       d->u.platform.compatibility_mask, platform_name(d->u.platform.platform_type),
		       d->u.platform.platform_version, d->u.platform.highest_vtl,
		       (unsigned long long)d->u.platform.shared_gpa_boundary);
		break;
	case IGVM_VHT_GUEST_POLICY:
		printf(" mask=%#x policy=%#llx\n", d->u.policy.compatibility_mask,
		       (unsigned long long)d->u.policy.policy);
		break;
	case IGVM_VHT_PAGE_DATA:
		dump_page(d);
		break;
	case IGVM_VHT_PARAMETER_AREA:
		printf(" index=%u bytes=%#llx file_offset=%#x\n", d->u.area.parameter_area_index,
		       (unsigned long long)d->u.area.number_of_bytes, d->u.area.file_offset);
		break;
	case IGVM_VHT_PARAMETER_INSERT:
		printf(" gpa=%#014llx mask=%#x index=%u size=%#llx\n",
		       (unsigned long long)d->u.insert.gpa, d->u.insert.compatibility_mask,
		       d->u.insert.parameter_area_index, (unsigned long long)d->gpa_size);
		break;
	case IGVM_VHT_VP_CONTEXT:
		dump_vp_context(d);
		break;
	case IGVM_VHT_REQUIRED_MEMORY:
		printf(" gpa=%#014llx mask=%#x bytes=%#x flags=%#x\n",
		       (unsigned long long)d->u.required.gpa, d->u.required.compatibility_mask,
		       d->u.required.number_of_bytes, d->u.required.flags);
		break;
	default:
		if (d->known && d->compatibility_mask)
			printf(" mask=%#x\n", d->compatibility_mask);
		else if (d->known && d->length >= sizeof(IGVM_VHS_PARAMETER))
			printf(" index=%u byte_offset=%#x\n", d->u.param.parameter_area_index,
			       d->u.param.byte_offset);
		else
			printf(" type=%#x%s\n", d->type, d->ignorable ? " ignorable" : "");
	}
	return 0;
}
