/* kbs-admin's test PKI for the broker's HTTPS (docs/kbs.md "HTTPS"):
 * a CA (DIR/ca.pem, DIR/ca.key) and server certificates it signs
 * (DIR/server.pem, DIR/server.key). ECDSA P-256, SHA-256. */
#ifndef KBS_TLS_ADMIN_H
#define KBS_TLS_ADMIN_H

#include <stddef.h>

#define KBS_TLS_CA_DAYS 3650     /* 10 years */
#define KBS_TLS_CERT_DAYS 365
#define KBS_TLS_NAMES_MAX 16

/* A new CA in dir (made 0700 if missing); refuses to replace one. */
int kbs_tls_make_ca(const char *dir, char *err, size_t errlen);
/* A server certificate for names (IPv4/IPv6 literal: IP SAN, else DNS
 * SAN; the first is also the CN) signed by dir's CA; replaces an older
 * server.pem/server.key. */
int kbs_tls_make_cert(const char *dir, char *const *names, int n, char *err, size_t errlen);

#endif
