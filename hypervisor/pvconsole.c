/* SPDX-License-Identifier: GPL-2.0-only */
#include "pvconsole.h"
#include "platform.h"

void pvcons_init(struct pvconsole *c, struct xencons_interface *ring, unsigned port)
{
    memset(c, 0, sizeof(*c));
    c->ring = ring;
    c->port = port;
    if (ring) {
        c->out_cons = __atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE);
        c->in_prod = __atomic_load_n(&ring->in_prod, __ATOMIC_ACQUIRE);
    }
}

static void disconnect(struct pvconsole *c, const char *which, uint32_t idx, uint32_t ours, uint32_t size)
{
    c->broken = true;
    printk("kmapvisor: console ring: the guest's %s %u is %u bytes from ours (%u, ring of %u): "
           "backend disconnected\n", which, idx, idx - ours, ours, size);
}

bool pvcons_kick(struct pvconsole *c)
{
    struct xencons_interface *r = c->ring;
    if (!r || c->broken)
        return false;
    uint32_t prod = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE); /* read once */
    uint32_t avail = prod - c->out_cons;
    bool notify = false;
    if (avail > sizeof(r->out)) {
        disconnect(c, "out_prod", prod, c->out_cons, sizeof(r->out));
        return false;
    }
    /* Copied out before it is written: the guest may change the ring
     * meanwhile, and what is printed is what was copied. */
    char buf[256];
    for (uint32_t done = 0; done < avail;) {
        uint32_t n = MIN(avail - done, (uint32_t)sizeof(buf));
        for (uint32_t i = 0; i < n; i++)
            buf[i] = r->out[MASK_XENCONS_IDX(c->out_cons + done + i, r->out)];
        console_emit(CONSOLE_GUEST, buf, n);
        done += n;
    }
    if (avail) {
        c->out_cons += avail;
        c->out_bytes += avail;
        __atomic_store_n(&r->out_cons, c->out_cons, __ATOMIC_RELEASE);
        notify = true; /* room in the out ring again */
    }
    return pvcons_push_input(c) || notify;
}

size_t pvcons_input_room(const struct pvconsole *c)
{
    return c->ring && !c->broken ? PVCONS_INBUF - c->in_len : 0;
}

size_t pvcons_input(struct pvconsole *c, const char *s, size_t n)
{
    n = MIN(n, pvcons_input_room(c));
    for (size_t i = 0; i < n; i++)
        c->inbuf[(c->in_head + c->in_len + i) % PVCONS_INBUF] = (uint8_t)s[i];
    c->in_len += (unsigned)n;
    return n;
}

bool pvcons_push_input(struct pvconsole *c)
{
    struct xencons_interface *r = c->ring;
    if (!r || c->broken || !c->in_len)
        return false;
    uint32_t cons = __atomic_load_n(&r->in_cons, __ATOMIC_ACQUIRE);
    uint32_t used = c->in_prod - cons;
    if (used > sizeof(r->in)) {
        disconnect(c, "in_cons", cons, c->in_prod, sizeof(r->in));
        return false;
    }
    uint32_t n = MIN((uint32_t)sizeof(r->in) - used, c->in_len);
    for (uint32_t i = 0; i < n; i++) {
        r->in[MASK_XENCONS_IDX(c->in_prod + i, r->in)] = (char)c->inbuf[c->in_head];
        c->in_head = (c->in_head + 1) % PVCONS_INBUF;
    }
    c->in_len -= n;
    c->in_prod += n;
    c->in_bytes += n;
    __atomic_store_n(&r->in_prod, c->in_prod, __ATOMIC_RELEASE);
    return n != 0;
}
