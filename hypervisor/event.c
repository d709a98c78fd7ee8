/* SPDX-License-Identifier: GPL-2.0-only */
#include "event.h"

static bool test_and_set(uint32_t *word, unsigned bit)
{
    uint32_t m = 1u << bit;
    return __atomic_fetch_or(word, m, __ATOMIC_SEQ_CST) & m;
}

static bool test(const uint32_t *word, unsigned bit)
{
    return __atomic_load_n(word, __ATOMIC_SEQ_CST) >> bit & 1;
}

void evtchn_init(struct evtchn_table *t, struct shared_info_x86_32 *shared, unsigned nr_vcpus)
{
    memset(t->port, 0, sizeof(t->port));
    memset(t->virq_port, 0, sizeof(t->virq_port));
    t->port[0].state = ECS_RESERVED; /* port 0 is never valid, as in Xen */
    t->nr_vcpus = nr_vcpus;
    t->shared = shared;
}

static int alloc_port(struct evtchn_table *t)
{
    for (unsigned p = 1; p < EVTCHN_PORTS; p++)
        if (t->port[p].state == ECS_FREE)
            return (int)p;
    return -XEN_ENOSPC;
}

bool evtchn_virq_is_global(unsigned virq)
{
    switch (virq) {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false;
    default:
        return true; /* the rest, VIRQ_ARCH_* included (x86: all global) */
    }
}

int evtchn_bind_virq(struct evtchn_table *t, unsigned virq, unsigned vcpu)
{
    /* Xen 4.17's checks, in its order. */
    if (virq >= EVTCHN_VIRQS)
        return -XEN_EINVAL;
    if (evtchn_virq_is_global(virq) && vcpu != 0)
        return -XEN_EINVAL;
    if (vcpu >= t->nr_vcpus)
        return -XEN_ENOENT;
    if (t->virq_port[vcpu][virq])
        return -XEN_EEXIST;
    int p = alloc_port(t);
    if (p < 0)
        return p;
    t->port[p] = (struct evtchn){ .state = ECS_VIRQ, .virq = (uint8_t)virq, .vcpu = (uint16_t)vcpu };
    t->virq_port[vcpu][virq] = (int16_t)p;
    return p;
}

int evtchn_bind_ipi(struct evtchn_table *t, unsigned vcpu)
{
    if (vcpu >= t->nr_vcpus)
        return -XEN_ENOENT;
    int p = alloc_port(t);
    if (p < 0)
        return p;
    t->port[p] = (struct evtchn){ .state = ECS_IPI, .vcpu = (uint16_t)vcpu };
    return p;
}

int evtchn_alloc_unbound(struct evtchn_table *t, uint16_t remote_domid)
{
    int p = alloc_port(t);
    if (p < 0)
        return p;
    t->port[p] = (struct evtchn){ .state = ECS_UNBOUND, .vcpu = 0, .remote = remote_domid };
    return p;
}

int evtchn_bind_backend(struct evtchn_table *t, unsigned backend, unsigned vcpu)
{
    if (vcpu >= t->nr_vcpus)
        return -XEN_ENOENT;
    int p = alloc_port(t);
    if (p < 0)
        return p;
    t->port[p] = (struct evtchn){ .state = ECS_BACKEND, .vcpu = (uint16_t)vcpu, .remote = (uint16_t)backend };
    return p;
}

int evtchn_backend_of(const struct evtchn_table *t, unsigned port)
{
    if (port >= EVTCHN_PORTS || t->port[port].state != ECS_BACKEND)
        return -1;
    return t->port[port].remote;
}

int evtchn_bind_vcpu(struct evtchn_table *t, unsigned port, unsigned vcpu)
{
    if (port == 0 || port >= EVTCHN_PORTS || t->port[port].state < ECS_UNBOUND)
        return -XEN_ENOENT;
    if (vcpu >= t->nr_vcpus)
        return -XEN_ENOENT;
    /* Per-vCPU by nature: IPIs and the per-vCPU VIRQs (Xen's rule); a
     * global VIRQ's port moves (it stays vCPU 0's binding). */
    if (t->port[port].state == ECS_IPI ||
        (t->port[port].state == ECS_VIRQ && !evtchn_virq_is_global(t->port[port].virq)))
        return -XEN_EINVAL;
    t->port[port].vcpu = (uint16_t)vcpu;
    return 0;
}

int evtchn_close(struct evtchn_table *t, unsigned port)
{
    if (port == 0 || port >= EVTCHN_PORTS || t->port[port].state == ECS_FREE ||
        t->port[port].state == ECS_RESERVED)
        return -XEN_EINVAL;
    struct evtchn *e = &t->port[port];
    if (e->state == ECS_VIRQ) /* bound on e->vcpu, or on vCPU 0 for a global VIRQ moved since */
        for (unsigned v = 0; v < EVTCHN_VCPUS; v++)
            if (t->virq_port[v][e->virq] == (int16_t)port)
                t->virq_port[v][e->virq] = 0;
    *e = (struct evtchn){ .state = ECS_FREE };
    return 0;
}

/* Raise the port's selector bit and the vCPU's upcall flag; the caller
 * has checked that the port is pending and unmasked. */
static int mark_upcall(struct evtchn_table *t, unsigned port)
{
    unsigned vcpu = t->port[port].vcpu;
    struct vcpu_info_x86_32 *vi = &t->shared->vcpu_info[vcpu];
    if (test_and_set(&vi->evtchn_pending_sel, port / 32))
        return EVTCHN_NO_KICK; /* the guest has yet to scan this word: already signalled */
    __atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
    return (int)vcpu;
}

static int evtchn_set_pending(struct evtchn_table *t, unsigned port);

int evtchn_notify_from_backend(struct evtchn_table *t, unsigned port, unsigned backend)
{
    if (evtchn_backend_of(t, port) != (int)backend)
        return EVTCHN_NO_KICK;
    return evtchn_set_pending(t, port);
}

int evtchn_send(struct evtchn_table *t, unsigned port, int *kick)
{
    *kick = EVTCHN_NO_KICK;
    if (port == 0 || port >= EVTCHN_PORTS || t->port[port].state < ECS_UNBOUND)
        return -XEN_EINVAL;
    /* No other end yet: dropped, as Xen does; a backend's: the caller tells it. */
    if (t->port[port].state != ECS_UNBOUND && t->port[port].state != ECS_BACKEND)
        *kick = evtchn_set_pending(t, port);
    return 0;
}

/* The port becomes pending at this end: the vCPU to kick, or EVTCHN_NO_KICK. */
static int evtchn_set_pending(struct evtchn_table *t, unsigned port)
{
    if (test_and_set(&t->shared->evtchn_pending[port / 32], port % 32))
        return EVTCHN_NO_KICK;
    if (test(&t->shared->evtchn_mask[port / 32], port % 32))
        return EVTCHN_NO_KICK;
    return mark_upcall(t, port);
}

int evtchn_unmask(struct evtchn_table *t, unsigned port, int *kick)
{
    *kick = EVTCHN_NO_KICK;
    if (port == 0 || port >= EVTCHN_PORTS || t->port[port].state < ECS_UNBOUND)
        return -XEN_EINVAL;
    __atomic_fetch_and(&t->shared->evtchn_mask[port / 32], ~(1u << (port % 32)), __ATOMIC_SEQ_CST);
    if (test(&t->shared->evtchn_pending[port / 32], port % 32))
        *kick = mark_upcall(t, port);
    return 0;
}

unsigned evtchn_virq_port(const struct evtchn_table *t, unsigned vcpu, unsigned virq)
{
    if (vcpu >= EVTCHN_VCPUS || virq >= EVTCHN_VIRQS)
        return 0;
    return (unsigned)t->virq_port[vcpu][virq];
}

bool evtchn_upcall_deliverable(const struct evtchn_table *t, unsigned vcpu)
{
    const struct vcpu_info_x86_32 *vi = &t->shared->vcpu_info[vcpu];
    return __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST) &&
           !__atomic_load_n(&vi->evtchn_upcall_mask, __ATOMIC_SEQ_CST);
}
