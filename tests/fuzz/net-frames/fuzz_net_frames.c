/*
 * lwIP (Keel's configuration, apps/net/lwipopts.h) fed fuzzed Ethernet
 * frames through netif->input = ethernet_input, as apps/netstack feeds
 * what netdev receives. The stack starts every input in a known state
 * (stack.c); every frame it sends is checked (frame_check.c); at the end
 * everything is torn down and lwIP's pools and heap must be whole again.
 *
 * Input: one mode byte (MODE_* in net_fuzz.h), then records
 *   u16 length (big-endian), u8 flags, u8 dt, `length` bytes of frame
 * flags: 0x01 repair the IPv4 header checksum, 0x02 the TCP/UDP/ICMP one;
 *   APP_* (0x04..0x20) the application's moves before the frame;
 *   0x40 dt in seconds, else in units of 10 ms.
 * The clock advances dt (timers run every TCP_TMR_INTERVAL ms of it) before the frame.
 * A frame longer than NET_FRAME_MAX is cut there (netdev never delivers
 * more); a record past the input's end takes what is left.
 */
#include <stdint.h>
#include <string.h>

#include "net_fuzz.h"
#include "net_protocol.h"

#define FIX_IP 0x01
#define FIX_L4 0x02
#define DT_SECONDS 0x40

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	static uint8_t frame[NET_FRAME_MAX];
	if (!once) {
		stack_once();
		once = 1;
	}
	if (size == 0)
		return 0;
	stack_setup(data[0]);
	size_t at = 1;
	while (size - at >= 4) {
		size_t len = (size_t)data[at] << 8 | data[at + 1];
		unsigned flags = data[at + 2], dt = data[at + 3];
		at += 4;
		if (len > size - at)
			len = size - at;
		size_t n = len < sizeof(frame) ? len : sizeof(frame);
		memcpy(frame, data + at, n);
		at += len;
		stack_advance(dt * (flags & DT_SECONDS ? 1000u : 10u));
		stack_app(flags);
		if (flags & FIX_IP)
			frame_fix_ip(frame, n);
		if (flags & FIX_L4)
			frame_fix_l4(frame, n);
		stack_input(frame, n);
	}
	stack_advance(1000);
	stack_teardown();
	return 0;
}
