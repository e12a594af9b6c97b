/* The broker's state shared by its HTTP handlers (docs/kbs.md). */
#ifndef KBS_SERVER_H
#define KBS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "identity.h"
#include "snp.h"

#define KBS_BODY_MAX (16 * 1024)
#define KBS_SESSION_TTL 300
#define KBS_VM_POLICY_DEBUG 1ull  /* kbs_db_vm.policy bit: guest debug allowed */

struct kbs_server {
	struct kbs_db *db;
	struct kbs_identity id;
	struct snp_chain snp;       /* --snp-chain: AMD's (or a test's) chain */
	struct snp_chain emu;       /* --emulated-chain: Keel's insecure chain */
	bool have_snp, have_emu, allow_emulated;
	int64_t boot_window;
	int64_t session_ttl;
};

/* What a handler answers: status, JSON body (malloc'd), optional cookie. */
struct kbs_reply {
	unsigned status;
	char *body;
	char set_cookie[128];
};

/* Routes one complete request. cookie may be NULL; too_large: the body
 * passed KBS_BODY_MAX and was dropped. */
void kbs_route(struct kbs_server *s, const char *method, const char *url, const char *cookie,
	       const char *body, size_t len, bool too_large, struct kbs_reply *r);

/* Fills r with a Trustee-style error and logs it with the reason. */
__attribute__((format(printf, 4, 5))) void kbs_reply_error(struct kbs_reply *r, unsigned status,
							  const char *name, const char *fmt, ...);
/* Fills r with status and a JSON text (copied). */
void kbs_reply_json(struct kbs_reply *r, unsigned status, const char *json);

/* The endpoints (handlers.c, attest.c). session_cookie: the request's. */
void kbs_handle_auth(struct kbs_server *s, const char *body, size_t len, struct kbs_reply *r);
void kbs_handle_attest(struct kbs_server *s, const char *cookie, const char *body, size_t len,
		       struct kbs_reply *r);
void kbs_handle_resource(struct kbs_server *s, const char *cookie, const char *path, struct kbs_reply *r);
void kbs_handle_ack(struct kbs_server *s, const char *cookie, const char *body, size_t len,
		    struct kbs_reply *r);

/* Looks up a live session for cookie; on failure fills r and returns -1. */
int kbs_session_lookup(struct kbs_server *s, const char *cookie, struct kbs_db_session *out,
		       struct kbs_reply *r);

#endif
