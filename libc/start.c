/*
 * C entry for ring-3 tasks, called by crt0's _start with the kernel's
 * argc/argv: run static constructors, main, atexit handlers, flush stdio,
 * and exit with main's status. The stack-protector canary is already at
 * %fs:0x28 (the kernel set FS base before entry).
 */
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

_Noreturn void keel_libc_start(int argc, char **argv)
{
	if (argc > 0 && argv != NULL && argv[0] != NULL) {
		program_invocation_name = argv[0];
		program_invocation_short_name = argv[0];
	}
	size_t n = (size_t)(__preinit_array_end - __preinit_array_start);
	for (size_t i = 0; i < n; i++)
		__preinit_array_start[i](argc, argv, environ);
	n = (size_t)(__init_array_end - __init_array_start);
	for (size_t i = 0; i < n; i++)
		__init_array_start[i](argc, argv, environ);
	exit(main(argc, argv));
}
