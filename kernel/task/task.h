/*
 * A task: one ring-3 program from the boot manifest, with its own address
 * space, kernel stack, FPU state, TLS base, handle table and memory limit.
 */
#ifndef KEEL_TASK_TASK_H
#define KEEL_TASK_TASK_H

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/fpu.h"
#include "task/handle.h"
#include "task/manifest.h"
#include "task/outcome.h"

struct guest;

enum task_state { TASK_FREE = 0, TASK_READY, TASK_RUNNING, TASK_BLOCKED, TASK_DEAD };

struct task {
	struct fpu_state fpu; /* first: 16-byte aligned */
	char name[MANIFEST_NAME_MAX];
	unsigned id;
	enum task_state state;
	uint64_t ksp;        /* saved kernel RSP while switched out */
	uint64_t kstack_top; /* 0 once freed */
	uint64_t root;       /* PML4 physical address, 0 once freed */
	uint64_t fs_base;
	uint64_t deadline_ns; /* wake from BLOCKED at this time; 0 = no timeout */
	uint64_t mem_pages, mem_limit_pages;
	uint64_t heap_next; /* next free VA in the heap region */
	uint64_t data_size; /* data=: bytes mapped read-only at USER_DATA_BASE, 0 = none */
	enum task_outcome outcome;
	int exit_status;
	const struct manifest_task *mt;
	struct handle_table handles;
	struct guest *guest; /* the manifest's `kind=guest` task (task/guest.h), else 0 */
};

#define TASK_MAX MANIFEST_MAX_TASKS
extern struct task tasks[TASK_MAX];
extern unsigned task_count;

/* Load `elf` for manifest task `mt` into tasks[id]; 0, or -1 with a message naming the field. */
int task_create(unsigned id, const struct manifest_task *mt, const void *elf, size_t size, char *err,
		size_t err_len);
/* Count `pages` against the task's limit; KEEL_ENOMEM past it. */
int task_charge(struct task *t, uint64_t pages);
void task_uncharge(struct task *t, uint64_t pages);
/* Map `pages` fresh zeroed pages at `va` with PTE flags, charged; all or nothing. */
int task_map_anon(struct task *t, uint64_t va, uint64_t pages, uint64_t flags);
/*
 * data=: map `size` bytes of the bundle at physical `pa` (page aligned)
 * read-only, no-execute at USER_DATA_BASE (task_data.c); 0, or -1 with a
 * message.
 */
int task_map_data(struct task *t, uint64_t pa, uint64_t size, char *err, size_t err_len);
/* End the current task (exit or fault): close handles, free memory, never return. */
_Noreturn void task_end_current(enum task_outcome how, int status);

/* task_image.c: the user stack with argv, and the TLS block + TCB. */
int task_setup_stack(struct task *t, uint64_t *rsp, uint64_t *argc, uint64_t *argv);
struct elf_image;
int task_setup_tls(struct task *t, const void *elf, const struct elf_image *img);

#endif
