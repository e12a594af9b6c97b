/*
 * keel-hosted's TPM front end (docs/tpm-frontends.md): listens on
 * 127.0.0.1 (command/data port and platform/control port) or, for swtpm's
 * protocol with --ctrl-path, on a Unix socket whose clients hand over their
 * data channel with CMD_SET_DATAFD (as QEMU's tpm-emulator does); speaks the
 * TPM simulator protocol (`mssim`) or swtpm's protocol to clients, and
 * routes what they send to the vtpm task as SVSM calls through the kernel's
 * router code (vtpm_router.h, svsm_port.h). The same loop serves the guest
 * port's clients (CONN_SVSM, svsm_port.c) under the same rules. One thread
 * with a poll loop; clients are served one frame at a time in arrival order.
 *
 * Hostile clients: connections are allocated as they come (no fixed pool);
 * at the limit (from RLIMIT_NOFILE) the connection idle longest is closed
 * to admit the new one. A frame must arrive whole within
 * TPM_FE_FRAME_TIMEOUT_MS of its first byte, an answer must be taken whole
 * within TPM_FE_SEND_TIMEOUT_MS of being made (sockets are non-blocking with
 * fixed 64 KiB buffers; a connection with an answer pending is not read),
 * more than TPM_FE_BACKLOG_MAX of answers must not stay untaken that long, and a TCP connection idle for the idle
 * timeout is closed.
 */
#ifndef KEEL_HOSTED_TPM_FRONTEND_H
#define KEEL_HOSTED_TPM_FRONTEND_H

#include <stddef.h>
#include <stdint.h>

#include "tpm_frames.h"

#define TPM_CONN_BUF (4096u + 64u)
#define TPM_CONN_OUT (4096u + 64u)      /* the largest answer to one frame */
#define TPM_FE_FRAME_TIMEOUT_MS 5000    /* first byte of a frame to its last */
#define TPM_FE_SEND_TIMEOUT_MS 5000     /* an answer made to the client taken whole */
#define TPM_FE_BACKLOG_MAX (16u * 1024u) /* answers not taken: a client reads each one */
#define TPM_FE_IDLE_TIMEOUT_S 120       /* default of --tpm-idle-timeout (TCP only) */

/* CONN_SVSM: the guest port (svsm_port.h), served by the same loop and deadlines. */
enum tpm_conn_kind { CONN_MSSIM_CMD, CONN_MSSIM_PLAT, CONN_SWTPM_DATA, CONN_SWTPM_CTRL, CONN_SVSM };

struct tpm_conn {
	int fd;
	enum tpm_conn_kind kind;
	int local;          /* Unix control socket or a handed-over data fd: no idle timeout */
	int pending_fd;     /* control: fd received with SCM_RIGHTS, not yet claimed (-1) */
	uint32_t id;
	uint32_t data_id;   /* control: id of the data connection it handed over (0: none) */
	uint64_t last_ms;   /* last byte in or out */
	uint64_t frame_ms;  /* first byte of the frame being received */
	uint64_t out_ms;    /* when the answer being sent was made */
	uint64_t backlog_ms; /* since when over TPM_FE_BACKLOG_MAX of answers are not taken (0: not) */
	size_t queued_max;  /* at most this many answer bytes in the kernel's send queue */
	size_t len;
	size_t out_len, out_off;
	size_t buf_cap, out_cap; /* TPM_CONN_BUF/OUT; the guest port's: a frame with the largest window */
	uint8_t *buf;            /* both in the same allocation, after the struct */
	uint8_t *out;
};

struct tpm_frontend {
	int swtpm;          /* 0: mssim protocol, 1: swtpm protocol */
	int listen_fd[3];   /* command/data, platform/control (a Unix socket with --ctrl-path), guest port */
	int stop_pipe[2];
	int router_fd;      /* launcher end of the vtpm router channel (svsm_port's), -1: no TPM front end */
	int tpm_stopped;    /* swtpm: after CMD_STOP, until CMD_INIT */
	const char *ctrl_path; /* swtpm control on this Unix socket (unlinked at stop) */
	const char *port_path; /* the guest port's socket (unlinked at stop) */
	uint32_t idle_timeout_s; /* 0: never */
	uint32_t next_id;
	size_t max_conns, slots, nconns; /* live connections at most, structs at most, structs */
	struct tpm_conn **conns;
};

/*
 * Binds both ports on 127.0.0.1 (or, with `ctrl_path`, only the Unix control
 * socket; `port` and `platform_port` are then unused); 0, or -1 with a
 * message on stderr.
 */
int tpm_frontend_open(struct tpm_frontend *fe, const char *protocol, const char *port,
		      const char *platform_port, const char *ctrl_path, uint32_t idle_timeout_s);
/*
 * The guest port on the Unix socket `path` (svsm_port.h); also without TPM
 * ports (tpm_frontend_open with protocol NULL). 0, or -1 with a message.
 */
int tpm_frontend_open_port(struct tpm_frontend *fe, const char *path, uint32_t idle_timeout_s);
/* Starts serving on its own thread (TPM commands go to `router_fd`, -1: none); 0 or -1. */
int tpm_frontend_start(struct tpm_frontend *fe, int router_fd);
/* Stops the thread and closes every socket (safe if never started). */
void tpm_frontend_stop(struct tpm_frontend *fe);

/* Per-protocol frame handlers: 0 keep the connection, 1 close it quietly, -1 close with a log line. */
int tpm_mssim_command(struct tpm_frontend *fe, struct tpm_conn *c, const struct tpm_frame *f);
int tpm_mssim_platform(struct tpm_frontend *fe, struct tpm_conn *c, const struct tpm_frame *f);
int tpm_swtpm_data(struct tpm_frontend *fe, struct tpm_conn *c, const struct tpm_frame *f);
int tpm_swtpm_ctrl(struct tpm_frontend *fe, struct tpm_conn *c, const struct tpm_frame *f);

/* The guest port's frames (svsm_port.c): handler and the answer to a bad frame (parser: svsm_port.h). */
int svsm_port_serve(struct tpm_frontend *fe, struct tpm_conn *c, const struct tpm_frame *f);
void svsm_port_refuse(struct tpm_conn *c, uint32_t status);

/* Shared helpers (tpm_frontend.c). */
/* Queues an answer (sent without blocking by the poll loop); -1 if it does not fit. */
int tpm_conn_send(struct tpm_conn *c, const void *p, size_t n);
int tpm_conn_send_u32(struct tpm_conn *c, uint32_t v);
void tpm_conn_log(const struct tpm_conn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Routes one TPM command; always yields a response (a TPM error one if the service refused). */
int tpm_fe_route_command(struct tpm_frontend *fe, struct tpm_conn *c, uint8_t locality,
			 const uint8_t *cmd, uint32_t len, uint8_t *rsp, uint32_t *rsp_len);
/* Sends a platform signal; 0 if the service accepted it. */
int tpm_fe_signal(struct tpm_frontend *fe, struct tpm_conn *c, uint32_t signal);
/*
 * swtpm CMD_SET_DATAFD: makes the control connection's pending fd a data
 * connection. 0, or the TPM 1.2 result to answer (bad parameter, I/O error).
 */
uint32_t tpm_fe_adopt_datafd(struct tpm_frontend *fe, struct tpm_conn *c);

#endif
