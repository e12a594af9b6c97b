/* The SEV-SNP guest-message protocol (guest_msg.h). */
#include "platform/snp/guest_msg.h"
#include <bearssl.h>
#include <string.h>

static void wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;
	while (n--)
		*v++ = 0;
}

static void gcm_start(br_gcm_context *gc, br_aes_ct64_ctr_keys *ac, const uint8_t key[32],
                      const struct snp_guest_msg *m)
{
	uint8_t iv[12] = {0};
	memcpy(iv, &m->hdr.msg_seqno, sizeof(m->hdr.msg_seqno)); /* little-endian seqno */
	br_aes_ct64_ctr_init(ac, key, 32);
	br_gcm_init(gc, &ac->vtable, br_ghash_ctmul64);
	br_gcm_reset(gc, iv, sizeof(iv));
	br_gcm_aad_inject(gc, (const uint8_t *)&m->hdr + SNP_MSG_AAD_OFF,
	                  SNP_MSG_HDR_SIZE - SNP_MSG_AAD_OFF);
	br_gcm_flip(gc);
}

void snp_guest_seal(const uint8_t key[32], struct snp_guest_msg *m)
{
	br_aes_ct64_ctr_keys ac;
	br_gcm_context gc;
	gcm_start(&gc, &ac, key, m);
	br_gcm_run(&gc, 1, m->payload, m->hdr.msg_sz);
	memset(m->hdr.authtag, 0, sizeof(m->hdr.authtag));
	br_gcm_get_tag(&gc, m->hdr.authtag);
	wipe(&ac, sizeof(ac));
	wipe(&gc, sizeof(gc));
}

int snp_guest_open(const uint8_t key[32], struct snp_guest_msg *m)
{
	br_aes_ct64_ctr_keys ac;
	br_gcm_context gc;
	int ok;
	if (m->hdr.msg_sz > SNP_MSG_PAYLOAD_MAX)
		return 0;
	gcm_start(&gc, &ac, key, m);
	br_gcm_run(&gc, 0, m->payload, m->hdr.msg_sz);
	ok = (int)br_gcm_check_tag(&gc, m->hdr.authtag);
	wipe(&ac, sizeof(ac));
	wipe(&gc, sizeof(gc));
	if (!ok)
		wipe(m->payload, m->hdr.msg_sz); /* unauthenticated plaintext is never used */
	return ok;
}

void snp_guest_channel_init(struct snp_guest_channel *ch, const uint8_t *secrets_page)
{
	uint32_t seq;
	memcpy(ch->vmpck, secrets_page + SNP_SECRETS_VMPCK0, sizeof(ch->vmpck));
	memcpy(&seq, secrets_page + SNP_SECRETS_OS_SEQNO0, sizeof(seq));
	ch->seqno = seq;
	ch->disabled = 0;
}

void snp_guest_channel_save(const struct snp_guest_channel *ch, uint8_t *secrets_page)
{
	/* u32 in the page: past it, snp_guest_report has already disabled the key */
	uint32_t seq = ch->seqno > UINT32_MAX ? UINT32_MAX : (uint32_t)ch->seqno;
	memcpy(secrets_page + SNP_SECRETS_OS_SEQNO0, &seq, sizeof(seq));
}

/* The failure that leaves the PSP's counter unknown: the key is never used again. */
static long disable(struct snp_guest_channel *ch, long rc)
{
	wipe(ch->vmpck, sizeof(ch->vmpck));
	ch->disabled = 1;
	return rc;
}

long snp_guest_report(struct snp_guest_channel *ch, const struct snp_guest_transport *t,
                      const uint8_t report_data[64], uint32_t vmpl, void *out, size_t cap)
{
	struct snp_guest_msg *req = t->req, *rsp = t->rsp;
	struct snp_report_req body;
	uint64_t seq;
	uint32_t status, size;
	if (ch->disabled)
		return SNP_GUEST_DISABLED;
	if (ch->seqno > UINT32_MAX - 2) /* the secrets page keeps a u32 (snp_guest_channel_save) */
		return disable(ch, SNP_GUEST_DISABLED);
	seq = ch->seqno + 1;
	ch->seqno += 2; /* request seq, response seq + 1: both used from here on, whatever happens */

	memset(req, 0, sizeof(*req));
	memset(&body, 0, sizeof(body));
	memcpy(body.user_data, report_data, sizeof(body.user_data));
	body.vmpl = vmpl;
	req->hdr.msg_seqno = seq;
	req->hdr.algo = SNP_MSG_ALGO_AES_256_GCM;
	req->hdr.hdr_version = SNP_MSG_HDR_VERSION;
	req->hdr.hdr_sz = SNP_MSG_HDR_SIZE;
	req->hdr.msg_type = SNP_MSG_REPORT_REQ;
	req->hdr.msg_version = SNP_MSG_VERSION;
	req->hdr.msg_sz = sizeof(body);
	req->hdr.msg_vmpck = 0;
	memcpy(req->payload, &body, sizeof(body));
	wipe(&body, sizeof(body));
	snp_guest_seal(ch->vmpck, req);
	memset(rsp, 0, sizeof(*rsp));

	if (t->request(t->ctx, req, rsp))
		return disable(ch, SNP_GUEST_TRANSPORT);
	/* Check the header the PSP wrote before trusting anything else. */
	if (rsp->hdr.msg_seqno != seq + 1 || rsp->hdr.algo != SNP_MSG_ALGO_AES_256_GCM ||
	    rsp->hdr.hdr_version != SNP_MSG_HDR_VERSION || rsp->hdr.hdr_sz != SNP_MSG_HDR_SIZE ||
	    rsp->hdr.msg_type != SNP_MSG_REPORT_RSP || rsp->hdr.msg_version != SNP_MSG_VERSION ||
	    rsp->hdr.msg_vmpck != 0 || rsp->hdr.msg_sz < SNP_REPORT_RSP_HDR ||
	    rsp->hdr.msg_sz > SNP_MSG_PAYLOAD_MAX || !snp_guest_open(ch->vmpck, rsp))
		return disable(ch, SNP_GUEST_BAD_RESPONSE);
	memcpy(&status, rsp->payload, 4);
	memcpy(&size, rsp->payload + 4, 4);
	if (status)
		return SNP_GUEST_FW_STATUS; /* authenticated: the counters agree, the key stays */
	if (size > rsp->hdr.msg_sz - SNP_REPORT_RSP_HDR)
		return disable(ch, SNP_GUEST_BAD_RESPONSE);
	if (size > cap)
		return SNP_GUEST_TOO_SMALL;
	memcpy(out, rsp->payload + SNP_REPORT_RSP_HDR, size);
	return (long)size;
}
