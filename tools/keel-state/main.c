/*
 * keel-state: create, inspect, check and edit Keel store images offline
 * with the same format code storaged runs (apps/storaged/store*.c).
 * Exit status: 0 success, 1 failure (integrity errors included), 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel_state.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: keel-state COMMAND ...   (KEY = --key-file FILE | --dev-key)\n");
	for (const struct ks_cmd *c = ks_cmds; c->name; c++)
		fprintf(f, "  keel-state %s %s\n", c->name, c->usage);
	fprintf(f, "A key file holds exactly 32 raw bytes or 64 hex digits. --dev-key is the\n"
	           "INSECURE development key anyone can compute.\n");
}

/* "8M", "512K", "1G", "4096": bytes. */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	uint64_t mul = 1;

	if (end == s)
		return -1;
	if (*end == 'K' || *end == 'k')
		mul = 1024, end++;
	else if (*end == 'M' || *end == 'm')
		mul = 1024 * 1024, end++;
	else if (*end == 'G' || *end == 'g')
		mul = 1024ull * 1024 * 1024, end++;
	if (*end != '\0' || v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	*out = strtoull(s, &end, 10);
	return end == s || *end != '\0' || *s == '-' ? -1 : 0;
}

static int parse_opts(int argc, char **argv, struct ks_opts *o)
{
	static const struct option longopts[] = {
	    {"key-file", required_argument, NULL, 'k'},
	    {"dev-key", no_argument, NULL, 'd'},
	    {"size", required_argument, NULL, 's'},
	    {"generation", required_argument, NULL, 'g'},
	    {"min-generation", required_argument, NULL, 'm'},
	    {"raw", no_argument, NULL, 'r'},
	    {"force", no_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	o->size = 8u << 20;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		int bad = 0;

		switch (c) {
		case 'k':
			o->key_file = optarg;
			break;
		case 'd':
			o->dev_key = 1;
			break;
		case 's':
			bad = parse_size(optarg, &o->size);
			break;
		case 'g':
			bad = parse_u64(optarg, &o->generation);
			break;
		case 'm':
			bad = parse_u64(optarg, &o->min_generation);
			break;
		case 'r':
			o->raw = 1;
			break;
		case 'f':
			o->force = 1;
			break;
		default:
			return -1;
		}
		if (bad) {
			fprintf(stderr, "keel-state: bad value '%s'\n", optarg);
			return -1;
		}
	}
	o->argc = argc - optind;
	o->argv = argv + optind;
	return 0;
}

int main(int argc, char **argv)
{
	struct ks_opts o = {0};

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (const struct ks_cmd *c = ks_cmds; c->name; c++) {
		if (strcmp(c->name, argv[1]) != 0)
			continue;
		if (parse_opts(argc - 1, argv + 1, &o) != 0) {
			usage(stderr);
			return 2;
		}
		return c->run(&o);
	}
	fprintf(stderr, "keel-state: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
