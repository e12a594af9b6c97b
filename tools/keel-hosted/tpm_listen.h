/*
 * The front end's listening sockets (docs/tpm-frontends.md): TCP on
 * 127.0.0.1 for the TPM ports, Unix sockets for swtpm's --ctrl-path and the
 * guest port; every socket with fixed buffers.
 */
#ifndef KEEL_HOSTED_TPM_LISTEN_H
#define KEEL_HOSTED_TPM_LISTEN_H

/* 64 KiB send and receive buffers (accepted sockets inherit a listener's). */
void tpm_bound_buffers(int fd);
/* A non-blocking listener on 127.0.0.1:port; -1 with a message on stderr. */
int tpm_listen_tcp(const char *port);
/* A non-blocking listener on the Unix socket path (a dead server's file is replaced). */
int tpm_listen_unix(const char *path, const char *what);

#endif
