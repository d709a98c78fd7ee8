/* SPDX-License-Identifier: GPL-2.0-only */
/* event_channel_op: Xen's structures (all 32-bit fields, one layout). */
#include "pv.h"
#include <xen/event_channel.h>

/* Tell the guest its new port; a port it cannot be told of is closed
 * again, so that a failed bind leaves nothing behind. */
static long write_port(struct vcpu *v, uint32_t gva, evtchn_port_t port)
{
    if (!copy_to_guest(v, gva, &port, sizeof(port)))
        return 0;
    evtchn_close(&v->d->evtchn, port);
    return -XEN_EFAULT;
}

/* Under the domain's event lock.  What must wait for the unlock comes
 * back through the pointers: the backend a send reaches (*backend), the
 * vCPU an event became deliverable to (*kick). */
static long evtchn_op_locked(struct vcpu *v, uint32_t cmd, uint32_t arg, int *backend, int *kick)
{
    struct domain *d = v->d;
    long r;
    switch (cmd) {
    case EVTCHNOP_bind_virq: {
        struct evtchn_bind_virq b;
        if (copy_from_guest(v, &b, arg, sizeof(b)))
            return -XEN_EFAULT;
        /* Every VIRQ a domU may bind on Xen 4.17, raised or not (only
         * VIRQ_TIMER is raised here). */
        r = evtchn_bind_virq(&d->evtchn, b.virq, b.vcpu);
        if (r < 0)
            return r;
        return write_port(v, arg + offsetof(struct evtchn_bind_virq, port), (evtchn_port_t)r);
    }
    case EVTCHNOP_bind_ipi: {
        struct evtchn_bind_ipi b;
        if (copy_from_guest(v, &b, arg, sizeof(b)))
            return -XEN_EFAULT;
        r = evtchn_bind_ipi(&d->evtchn, b.vcpu);
        if (r < 0)
            return r;
        return write_port(v, arg + offsetof(struct evtchn_bind_ipi, port), (evtchn_port_t)r);
    }
    case EVTCHNOP_alloc_unbound: {
        /* One domain: "dom" and "remote_dom" can only be this one. */
        struct evtchn_alloc_unbound b;
        if (copy_from_guest(v, &b, arg, sizeof(b)))
            return -XEN_EFAULT;
        if ((b.dom != DOMID_SELF && b.dom != d->id) || (b.remote_dom != DOMID_SELF && b.remote_dom != d->id))
            return -XEN_ESRCH;
        r = evtchn_alloc_unbound(&d->evtchn, (uint16_t)d->id);
        if (r < 0)
            return r;
        return write_port(v, arg + offsetof(struct evtchn_alloc_unbound, port), (evtchn_port_t)r);
    }
    case EVTCHNOP_status: {
        static const uint32_t status_of[] = { [ECS_FREE] = EVTCHNSTAT_closed, [ECS_RESERVED] = EVTCHNSTAT_closed,
                                              [ECS_UNBOUND] = EVTCHNSTAT_unbound, [ECS_VIRQ] = EVTCHNSTAT_virq,
                                              [ECS_IPI] = EVTCHNSTAT_ipi, [ECS_BACKEND] = EVTCHNSTAT_interdomain };
        struct evtchn_status s;
        if (copy_from_guest(v, &s, arg, sizeof(s)))
            return -XEN_EFAULT;
        if (s.dom != DOMID_SELF && s.dom != d->id)
            return -XEN_ESRCH;
        if (s.port >= EVTCHN_PORTS)
            return -XEN_EINVAL;
        const struct evtchn *e = &d->evtchn.port[s.port];
        s.status = status_of[e->state];
        s.vcpu = e->vcpu;
        memset(&s.u, 0, sizeof(s.u));
        if (e->state == ECS_VIRQ)
            s.u.virq = e->virq;
        else if (e->state == ECS_UNBOUND)
            s.u.unbound.dom = e->remote;
        else if (e->state == ECS_BACKEND)
            s.u.interdomain.dom = DOMID_XEN; /* the hypervisor's own backend */
        return copy_to_guest(v, arg, &s, sizeof(s)) ? -XEN_EFAULT : 0;
    }
    case EVTCHNOP_bind_vcpu: {
        struct evtchn_bind_vcpu b;
        if (copy_from_guest(v, &b, arg, sizeof(b)))
            return -XEN_EFAULT;
        return evtchn_bind_vcpu(&d->evtchn, b.port, b.vcpu);
    }
    case EVTCHNOP_init_control:
        return -XEN_ENOSYS; /* the FIFO ABI: not here, as on a Xen built without it */
    case EVTCHNOP_send:
    case EVTCHNOP_unmask:
    case EVTCHNOP_close: {
        evtchn_port_t port; /* the first (only) member of send, unmask and close */
        if (copy_from_guest(v, &port, arg, sizeof(port)))
            return -XEN_EFAULT;
        if (cmd == EVTCHNOP_close)
            return evtchn_close(&d->evtchn, port);
        if (cmd == EVTCHNOP_send)
            *backend = evtchn_backend_of(&d->evtchn, port); /* run after unlocking */
        return cmd == EVTCHNOP_send ? evtchn_send(&d->evtchn, port, kick) : evtchn_unmask(&d->evtchn, port, kick);
    }
    default:
        return -XEN_ENOSYS;
    }
}

long do_event_channel_op(struct vcpu *v, const uint32_t *a)
{
    uint32_t cmd = a[0];
    /* Guest memory is read and written inside the lock: the copies walk
     * page tables in software and never fault. */
    int backend = -1, kick = EVTCHN_NO_KICK;
    spin_lock(&v->d->evtchn_lock);
    long r = evtchn_op_locked(v, cmd, a[1], &backend, &kick);
    spin_unlock(&v->d->evtchn_lock);
    if (backend >= 0)
        domain_backend_notify(v->d, (unsigned)backend);
    domain_kick(v->d, kick);
    return r;
}
