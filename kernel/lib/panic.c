#include <stdarg.h>

#include "arch/x86_64/cpu.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "platform/platform.h"

_Noreturn void panic(const char *fmt, ...)
{
	va_list ap;
	cli();
	kprintf("keel: PANIC: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	platform_exit(1);
}
