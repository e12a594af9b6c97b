/* The broker's HTTP server (libmicrohttpd). */
#ifndef KBS_HTTP_H
#define KBS_HTTP_H

#include <netinet/in.h>

#include "server.h"

struct MHD_Daemon;
/* Serves HTTP on addr; addr NULL: no listen socket, connections come from
 * MHD_add_connection (the HTTPS front, tls.h). */
struct MHD_Daemon *kbs_http_start(struct kbs_server *s, const struct sockaddr_in *addr);

#endif
