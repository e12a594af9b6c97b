/*
 * keel-state: the offline tool for Keel store images (docs/storage-format.md).
 * Each subcommand family is its own file; commands.c lists them.
 */
#ifndef KEEL_STATE_H
#define KEEL_STATE_H

#include <stdint.h>

#include "store.h"

/* Options every subcommand may take; positional arguments follow in argv. */
struct ks_opts {
	const char *key_file;
	int dev_key;
	uint64_t size;           /* create: bytes */
	uint64_t generation;     /* create: first generation */
	uint64_t min_generation; /* open: the rollback floor */
	int raw;                 /* dump: raw bytes instead of hex */
	int force;               /* create: overwrite an existing file */
	int argc;
	char **argv; /* positional arguments after the subcommand */
};

struct ks_cmd {
	const char *name;
	const char *usage; /* arguments, for the help text */
	int (*run)(const struct ks_opts *o);
};

extern const struct ks_cmd ks_cmds[];

/* image.c: a file as a store_dev, keys, opening. */
struct ks_image {
	int fd;
	struct store_dev dev;
	struct store *store;
	const char *path;
};
/* Loads the key the options name into key; 0 or prints the error and returns 1. */
int ks_load_key(const struct ks_opts *o, uint8_t key[STORE_KEY_LEN]);
/* Opens IMAGE (o->argv[0]) and the store on it; 0 or prints the error and returns 1. */
int ks_open(const struct ks_opts *o, struct ks_image *img, int writable);
void ks_close(struct ks_image *img);
int ks_file_dev(struct ks_image *img, const char *path, int writable);

/* The basic subcommands (cmd_basic.c). */
int ks_cmd_create(const struct ks_opts *o);
int ks_cmd_list(const struct ks_opts *o);
int ks_cmd_dump(const struct ks_opts *o);
int ks_cmd_check(const struct ks_opts *o);
int ks_cmd_put(const struct ks_opts *o);
int ks_cmd_rm(const struct ks_opts *o);

#endif
