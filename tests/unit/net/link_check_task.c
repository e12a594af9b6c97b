/*
 * Not run: linked by the build only, to prove that liblwip-task.a and
 * sys_keel.o form a ring-3 task with the Keel libc and nothing else (every
 * symbol lwIP needs is there). The bridge's network task will take its
 * place (docs/net.md, "What is left").
 */
#include <keel/syscall.h>

#include "lwip/init.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"

int main(void)
{
	struct tcp_pcb *pcb;

	lwip_init();
	pcb = tcp_new();
	if (pcb == NULL)
		return 1;
	tcp_abort(pcb);
	sys_check_timeouts();
	keel_logf("net: lwIP %s up\n", LWIP_VERSION_STRING);
	return 0;
}
