/*
 * keel-hosted's TPM front end (docs/tpm-frontends.md): listens on
 * 127.0.0.1 (command/data port and platform/control port), speaks the TPM
 * simulator protocol (`mssim`) or swtpm's socket protocol (`swtpm`) to
 * clients, and routes what they send to the vtpm task over its router
 * channel (vtpm_router.h). One thread with a poll loop; clients are served
 * one frame at a time in arrival order, several may be connected.
 */
#ifndef KEEL_HOSTED_TPM_FRONTEND_H
#define KEEL_HOSTED_TPM_FRONTEND_H

#include <stddef.h>
#include <stdint.h>

#include "tpm_frames.h"

#define TPM_FE_MAX_CONNS 16
#define TPM_CONN_BUF (4096u + 64u)

enum tpm_conn_kind { CONN_MSSIM_CMD, CONN_MSSIM_PLAT, CONN_SWTPM_DATA, CONN_SWTPM_CTRL };

struct tpm_conn {
	int fd; /* -1: free */
	enum tpm_conn_kind kind;
	uint32_t id;
	size_t len;
	uint8_t buf[TPM_CONN_BUF];
};

struct tpm_frontend {
	int swtpm;          /* 0: mssim protocol, 1: swtpm protocol */
	int listen_fd[2];   /* command/data, platform/control */
	int stop_pipe[2];
	int router_fd;      /* launcher end of the vtpm router channel */
	uint8_t locality;   /* swtpm: set by CMD_SET_LOCALITY */
	uint32_t next_id;
	struct tpm_conn conns[TPM_FE_MAX_CONNS];
};

/* Binds both ports on 127.0.0.1; 0, or -1 with a message on stderr. */
int tpm_frontend_open(struct tpm_frontend *fe, const char *protocol, const char *port,
		      const char *platform_port);
/* Starts serving on its own thread, routing to `router_fd`; 0 or -1. */
int tpm_frontend_start(struct tpm_frontend *fe, int router_fd);
/* Stops the thread and closes every socket (safe if never started). */
void tpm_frontend_stop(struct tpm_frontend *fe);

/* Per-protocol frame handlers: 0 keep the connection, 1 close it quietly, -1 close with a log line. */
int tpm_mssim_command(struct tpm_frontend *fe, struct tpm_conn *c, const struct tpm_frame *f);
int tpm_mssim_platform(struct tpm_frontend *fe, struct tpm_conn *c, const struct tpm_frame *f);
int tpm_swtpm_data(struct tpm_frontend *fe, struct tpm_conn *c, const struct tpm_frame *f);
int tpm_swtpm_ctrl(struct tpm_frontend *fe, struct tpm_conn *c, const struct tpm_frame *f);

/* Shared helpers (tpm_frontend.c). */
int tpm_conn_send(struct tpm_conn *c, const void *p, size_t n);
int tpm_conn_send_u32(struct tpm_conn *c, uint32_t v);
void tpm_conn_log(const struct tpm_conn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Routes one TPM command; always yields a response (a TPM error one if the service refused). */
int tpm_fe_route_command(struct tpm_frontend *fe, struct tpm_conn *c, uint8_t locality,
			 const uint8_t *cmd, uint32_t len, uint8_t *rsp, uint32_t *rsp_len);
/* Sends a platform signal; 0 if the service accepted it. */
int tpm_fe_signal(struct tpm_frontend *fe, struct tpm_conn *c, uint32_t signal);

#endif
