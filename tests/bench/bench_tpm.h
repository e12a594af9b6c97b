/*
 * What the host-side TPM benches share: the loopback connection, one TPM
 * command over either front-end framing (raw swtpm-style or the TPM
 * simulator's TPM_SEND_COMMAND), and the commands they time.
 */
#ifndef KEEL_BENCH_TPM_H
#define KEEL_BENCH_TPM_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench_io.h"

static const uint8_t tpm_startup[] = {0x80, 0x01, 0, 0, 0, 0x0c, 0, 0, 0x01, 0x44, 0, 0};
/* PCR_Extend of PCR 16 with one SHA-256 digest of 0xab bytes: bench_extend_init. */
#define TPM_EXTEND_LEN 65
static const uint8_t tpm_extend_head[] = {
	0x80, 0x02, 0, 0, 0, 0x41, 0, 0, 0x01, 0x82, /* TPM_ST_SESSIONS, size 65, TPM_CC_PCR_Extend */
	0, 0, 0, 0x10,                               /* PCR 16 */
	0, 0, 0, 0x09, 0x40, 0, 0, 0x09, 0, 0, 0, 0, 0, /* TPM_RS_PW, empty nonce/attrs/hmac */
	0, 0, 0, 0x01, 0, 0x0b,                      /* one digest, TPM_ALG_SHA256 */
};

static inline void bench_extend_init(uint8_t out[TPM_EXTEND_LEN])
{
	memcpy(out, tpm_extend_head, sizeof(tpm_extend_head));
	memset(out + sizeof(tpm_extend_head), 0xab, TPM_EXTEND_LEN - sizeof(tpm_extend_head));
}

static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A TCP connection to 127.0.0.1:port with Nagle off; -1 on failure. */
static inline int bench_connect(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/*
 * One command (len <= 128) on fd, the response into rsp (cap >= 10 + 4);
 * returns the response length, or -1 on a broken connection or a bad
 * frame. mssim: the TPM simulator protocol (TPM_SEND_COMMAND, locality 0,
 * response then a 4-byte trailer); else raw TPM bytes.
 */
static inline int bench_tpm_cmd(int fd, int mssim, const uint8_t *cmd, uint32_t len, uint8_t *rsp,
                                uint32_t cap)
{
	uint8_t out[9 + 128], sz[4];
	uint32_t n;
	if (len > 128)
		return -1;
	if (mssim) {
		out[0] = out[1] = out[2] = 0, out[3] = 8, out[4] = 0;
		out[5] = (uint8_t)(len >> 24), out[6] = (uint8_t)(len >> 16);
		out[7] = (uint8_t)(len >> 8), out[8] = (uint8_t)len;
		memcpy(out + 9, cmd, len);
		if (full_io(fd, out, 9 + len, 1) || full_io(fd, sz, 4, 0))
			return -1;
		n = be32(sz);
		if (n < 10 || n + 4 > cap || full_io(fd, rsp, n + 4, 0) || be32(rsp + n))
			return -1;
		return (int)n;
	}
	if (full_io(fd, (void *)cmd, len, 1) || full_io(fd, rsp, 10, 0))
		return -1;
	n = be32(rsp + 2);
	if (n < 10 || n > cap || full_io(fd, rsp + 10, n - 10, 0))
		return -1;
	return (int)n;
}

#endif
