/*
 * The lossy in-memory link (link.h). Frames wait in one array; delivery
 * takes the earliest due frame first (ties in send order), so a frame held
 * back by reorder_ms arrives after frames sent later.
 */
#include <string.h>

#include "lwip/pbuf.h"

#include "link.h"

uint64_t link_now_ms;

uint32_t link_rand(struct link *l)
{
	/* xorshift64*: small, seedable, good enough to pick drops. */
	l->rng ^= l->rng >> 12;
	l->rng ^= l->rng << 25;
	l->rng ^= l->rng >> 27;
	return (uint32_t)((l->rng * 0x2545F4914F6CDD1Dull) >> 32);
}

void link_init(struct link *l, struct netif *a, struct netif *b, const struct link_params *p)
{
	memset(l, 0, sizeof(*l));
	l->end[0] = a;
	l->end[1] = b;
	l->p = *p;
	l->rng = (uint64_t)p->seed * 0x9E3779B97F4A7C15ull + 1;
	a->state = l;
	b->state = l;
}

static int chance(struct link *l, unsigned permille)
{
	return link_rand(l) % 1000u < permille;
}

err_t link_output(struct netif *netif, struct pbuf *p)
{
	struct link *l = netif->state;
	struct link_frame *f;

	l->st.sent++;
	if (chance(l, l->p.loss_permille)) {
		l->st.dropped++;
		return ERR_OK;
	}
	if (l->count == LINK_QUEUE_MAX || p->tot_len > LINK_FRAME_MAX) {
		l->st.queue_full++;
		return ERR_OK;
	}
	f = &l->q[l->count];
	f->len = (uint16_t)pbuf_copy_partial(p, f->data, p->tot_len, 0);
	f->to = netif == l->end[0] ? 1 : 0;
	f->seq = ++l->next_seq;
	f->due = link_now_ms + l->p.delay_ms;
	if (chance(l, l->p.reorder_permille) && l->p.reorder_ms > 0) {
		f->due += 1 + link_rand(l) % l->p.reorder_ms;
		l->st.held++;
	}
	if (f->len > 14 && chance(l, l->p.corrupt_permille)) {
		f->data[14 + link_rand(l) % (f->len - 14u)] ^= (uint8_t)(1u << (link_rand(l) % 8));
		l->st.corrupted++;
	}
	l->count++;
	return ERR_OK;
}

/* Index of the earliest frame due by `now`, or -1. */
static int next_due(const struct link *l, uint64_t now)
{
	int best = -1;

	for (unsigned i = 0; i < l->count; i++) {
		const struct link_frame *f = &l->q[i];
		if (f->due > now)
			continue;
		if (best < 0 || f->due < l->q[best].due ||
		    (f->due == l->q[best].due && f->seq < l->q[best].seq))
			best = (int)i;
	}
	return best;
}

static void deliver_one(struct link *l, const struct link_frame *f)
{
	struct netif *to = l->end[f->to];
	struct pbuf *p = pbuf_alloc(PBUF_RAW, f->len, PBUF_POOL);

	if (p == NULL) {
		l->st.queue_full++;
		return;
	}
	if (pbuf_take(p, f->data, f->len) != ERR_OK || to->input(p, to) != ERR_OK) {
		pbuf_free(p);
		return;
	}
	if (f->seq < l->last_seq[f->to])
		l->st.overtaken++;
	else
		l->last_seq[f->to] = f->seq;
	l->st.delivered++;
}

void link_deliver(struct link *l, uint64_t now)
{
	int i;

	/* Input may send (ACKs, ARP replies), appending to q: copy the frame
	 * out and close the gap before handing it over. */
	while ((i = next_due(l, now)) >= 0) {
		static struct link_frame f;
		f = l->q[i];
		memmove(&l->q[i], &l->q[i + 1], (l->count - (unsigned)i - 1) * sizeof(l->q[0]));
		l->count--;
		deliver_one(l, &f);
	}
}
