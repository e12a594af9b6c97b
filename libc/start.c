/*
 * C entry for ring-3 tasks, called by crt0's _start with the kernel's
 * argc/argv: run static constructors, main, atexit handlers, flush stdio,
 * and exit with main's status. The stack-protector canary is already at
 * %fs:0x28 (the kernel set FS base before entry).
 */
#include <stdint.h>
#include <stdlib.h>

#include <keel/syscall.h>

extern void (*__preinit_array_start[])(int, char **, char **) __attribute__((weak));
extern void (*__preinit_array_end[])(int, char **, char **) __attribute__((weak));
extern void (*__init_array_start[])(int, char **, char **) __attribute__((weak));
extern void (*__init_array_end[])(int, char **, char **) __attribute__((weak));

int main(int argc, char **argv);

static char *empty_env[1];
char **environ = empty_env;
char *program_invocation_name = "task";
char *program_invocation_short_name = "task";

typedef void (*init_fn)(int, char **, char **);

/* The linker script brackets each array with start/end symbols. */
static void run_array(init_fn *start, init_fn *end, int argc, char **argv)
{
	size_t n = ((uintptr_t)end - (uintptr_t)start) / sizeof(init_fn);
	for (size_t i = 0; i < n; i++)
		start[i](argc, argv, environ);
}

_Noreturn void keel_libc_start(int argc, char **argv)
{
	if (argc > 0 && argv != NULL && argv[0] != NULL) {
		program_invocation_name = argv[0];
		program_invocation_short_name = argv[0];
	}
	run_array(__preinit_array_start, __preinit_array_end, argc, argv);
	run_array(__init_array_start, __init_array_end, argc, argv);
	exit(main(argc, argv));
}
