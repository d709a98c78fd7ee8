/* SPDX-License-Identifier: GPL-2.0-only */
/* The guest's xenstore client: one request at a time on the ring of
 * start_info.store_mfn, polled (the port stays masked). */
#include "pv.h"
#include "rings.h"
#include <xen/io/xs_wire.h>

static struct xenstore_domain_interface *xs;
static unsigned xs_port;
static uint32_t next_req = 1;

void xenstore_init(void)
{
    if (!start_info->store_mfn)
        return;
    xs_port = start_info->store_evtchn;
    xs = ring_page(start_info->store_mfn);
    __atomic_fetch_or(&shared->evtchn_mask[xs_port / 32], 1u << (xs_port % 32), __ATOMIC_SEQ_CST);
}

static bool put(const void *data, uint32_t len)
{
    const char *p = data;
    for (unsigned spins = 0; len;) {
        uint32_t c = READ_ONCE(xs->req_cons), prod = xs->req_prod, room = XENSTORE_RING_SIZE - (prod - c);
        if (!room) {
            send_event(xs_port);
            if (++spins > 1000)
                return false;
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
            continue;
        }
        uint32_t n = MIN(room, len);
        for (uint32_t i = 0; i < n; i++)
            xs->req[MASK_XENSTORE_IDX(prod + i)] = p[i];
        __atomic_store_n(&xs->req_prod, prod + n, __ATOMIC_RELEASE);
        p += n, len -= n;
    }
    return true;
}

static bool get(void *data, uint32_t len)
{
    char *p = data;
    for (unsigned spins = 0; len;) {
        uint32_t c = xs->rsp_cons, prod = __atomic_load_n(&xs->rsp_prod, __ATOMIC_ACQUIRE);
        if (c == prod) {
            send_event(xs_port);
            if (++spins > 1000)
                return false;
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
            continue;
        }
        uint32_t n = MIN(prod - c, len);
        for (uint32_t i = 0; i < n; i++)
            p[i] = xs->rsp[MASK_XENSTORE_IDX(c + i)];
        __atomic_store_n(&xs->rsp_cons, c + n, __ATOMIC_RELEASE);
        p += n, len -= n;
    }
    send_event(xs_port);
    return true;
}

/* One message off the ring into reply (at most *rlen bytes kept). */
static long read_msg(struct xsd_sockmsg *h, char *reply, uint32_t *rlen)
{
    char sink[64];
    if (!get(h, sizeof(*h)))
        return -1;
    uint32_t keep = MIN(h->len, *rlen);
    if (!get(reply, keep))
        return -1;
    for (uint32_t left = h->len - keep; left;) {
        uint32_t n = MIN(left, (uint32_t)sizeof(sink));
        if (!get(sink, n))
            return -1;
        left -= n;
    }
    *rlen = keep;
    return h->type;
}

static char pending_event[512];
static uint32_t pending_len;
static bool have_event;

long xs_request(uint32_t type, uint32_t tx, const void *body, uint32_t len, char *reply, uint32_t *rlen)
{
    if (!xs)
        return -2;
    struct xsd_sockmsg h = { .type = type, .req_id = next_req++, .tx_id = tx, .len = len };
    if (!put(&h, sizeof(h)) || !put(body, len))
        return -3;
    send_event(xs_port);
    for (;;) {
        struct xsd_sockmsg r;
        uint32_t cap = *rlen;
        long t = read_msg(&r, reply, &cap);
        if (t < 0)
            return -4;
        if (t == XS_WATCH_EVENT) { /* keep the last one for xs_next_event */
            pending_len = MIN(cap, (uint32_t)sizeof(pending_event));
            memcpy(pending_event, reply, pending_len);
            have_event = true;
            continue;
        }
        if (r.req_id != h.req_id)
            return -5;
        *rlen = cap;
        return t;
    }
}

long xs_next_event(char *reply, uint32_t *rlen)
{
    if (have_event) {
        have_event = false;
        *rlen = MIN(*rlen, pending_len);
        memcpy(reply, pending_event, *rlen);
        return XS_WATCH_EVENT;
    }
    if (!xs || xs->rsp_cons == READ_ONCE(xs->rsp_prod))
        return -1;
    struct xsd_sockmsg r;
    return read_msg(&r, reply, rlen);
}
