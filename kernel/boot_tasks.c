/* From the measured bundle to running tasks: manifest, task images, data files, channels, SVSM routes. */
#include "boot_info_check.h"
#include "ipc/chan.h"
#include "lib/kprintf.h"
#include "mm/phys.h"
#include "platform/platform.h"
#include "svsm/router.h"
#include "svsm/service.h"
#include "task/bundle.h"
#include "task/manifest.h"
#include "task/task.h"

static struct manifest manifest;
static char err[192];

static _Noreturn void fail(void)
{
	kprintf("keel: boot failed: %s\n", err);
	platform_exit(1);
}

/* data=ENTRY: the entry's pages, by physical address, into the task read-only (task_data.c). */
static void map_data(const struct keel_bundle *b, uint64_t bundle_gpa, unsigned i)
{
	const struct manifest_task *mt = &manifest.tasks[i];
	const void *data;
	size_t size;
	char why[96];
	if (!mt->data[0])
		return;
	if (bundle_find(b, mt->data, &data, &size)) {
		ksnprintf(err, sizeof(err), "task '%s': data: no bundle entry '%s'", mt->name, mt->data);
		fail();
	}
	if (task_map_data(&tasks[i], bundle_gpa + (uint64_t)((const uint8_t *)data - b->base), size, why,
			  sizeof(why))) {
		ksnprintf(err, sizeof(err), "task '%s': data '%s': %s", mt->name, mt->data, why);
		fail();
	}
}

static void create_tasks(const struct keel_bundle *b, uint64_t bundle_gpa)
{
	for (unsigned i = 0; i < manifest.ntasks; i++) {
		const struct manifest_task *mt = &manifest.tasks[i];
		const void *elf;
		size_t size;
		if (bundle_find(b, mt->binary, &elf, &size)) {
			ksnprintf(err, sizeof(err), "task '%s': binary: no bundle entry '%s'", mt->name, mt->binary);
			fail();
		}
		if (task_create(i, mt, elf, size, err, sizeof(err)))
			fail();
		map_data(b, bundle_gpa, i);
		task_count = i + 1;
	}
}

static void create_channels(void)
{
	for (unsigned i = 0; i < manifest.nchannels; i++) {
		const struct manifest_channel *c = &manifest.channels[i];
		if (chan_create(&tasks[c->a.task], c->a.handle, &tasks[c->b.task], c->b.handle)) {
			ksnprintf(err, sizeof(err), "channel %u ('%s':%u, '%s':%u): cannot create", i,
				  manifest.tasks[c->a.task].name, c->a.handle, manifest.tasks[c->b.task].name,
				  c->b.handle);
			fail();
		}
	}
}

void boot_tasks_create(const struct boot_state *bs)
{
	struct keel_bundle b;
	const void *text;
	size_t len;
	char berr[160];
	if (bundle_parse(&b, phys_to_virt(bs->info.bundle_gpa), bs->info.bundle_size, berr, sizeof(berr))) {
		ksnprintf(err, sizeof(err), "bundle: %s", berr);
		fail();
	}
	if (bundle_find(&b, KEEL_BUNDLE_MANIFEST, &text, &len)) {
		ksnprintf(err, sizeof(err), "bundle: no '%s' entry", KEEL_BUNDLE_MANIFEST);
		fail();
	}
	if (manifest_parse(&manifest, text, len, err, sizeof(err)))
		fail();
	create_tasks(&b, bs->info.bundle_gpa);
	create_channels();
	svsm_router_init(&manifest);
	if (svsm_service_connect(&manifest, err, sizeof(err)))
		fail();
	kprintf("keel: %u tasks, %u channels loaded\n", manifest.ntasks, manifest.nchannels);
}
