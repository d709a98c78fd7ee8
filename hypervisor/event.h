/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels (Xen's 2-level ABI, 32-bit guest layout): the port table
 * and the pending/mask bookkeeping in the guest's shared_info.  Pure: the
 * caller kicks the vCPU that a function says needs it.  Unit-tested on
 * the host.
 */
#ifndef HV_EVENT_H
#define HV_EVENT_H

#include <kmvlib.h>
#include <xen/xen.h>
#include <xen/foreign/x86_32.h>
#include <xen/errno.h>

#define EVTCHN_PORTS   1024   /* 32 words of 32 bits */
#define EVTCHN_VCPUS   32     /* XEN_LEGACY_MAX_VCPUS for x86_32 */
#define EVTCHN_VIRQS   24

/* ECS_BACKEND: an interdomain channel whose other end is one of the
 * hypervisor's own backends (the console, the xenstore): the guest's send
 * goes to the backend, the backend's notification makes the port pending. */
enum evtchn_state { ECS_FREE, ECS_RESERVED, ECS_UNBOUND, ECS_VIRQ, ECS_IPI, ECS_BACKEND };

struct evtchn {
    uint8_t state;
    uint8_t virq;
    uint16_t vcpu;   /* the vCPU notified */
    uint16_t remote; /* ECS_UNBOUND: the domain allowed to bind it; ECS_BACKEND: which backend */
};

struct evtchn_table {
    struct evtchn port[EVTCHN_PORTS];
    int16_t virq_port[EVTCHN_VCPUS][EVTCHN_VIRQS]; /* 0 = unbound */
    unsigned nr_vcpus;
    struct shared_info_x86_32 *shared;
};

void evtchn_init(struct evtchn_table *t, struct shared_info_x86_32 *shared, unsigned nr_vcpus);
/* Xen's virq_is_global: VIRQ_TIMER, VIRQ_DEBUG, VIRQ_XENOPROF and
 * VIRQ_XENPMU are per-vCPU, every other VIRQ (below EVTCHN_VIRQS) global. */
bool evtchn_virq_is_global(unsigned virq);
/* Any VIRQ below EVTCHN_VIRQS (Xen 4.17 lets a domU bind them all, the
 * global ones on vCPU 0 only, whether or not anything raises them).
 * Return the new port, or a negative Xen errno: -EINVAL for a VIRQ out of
 * range or a global one on a vCPU other than 0, -ENOENT for a vCPU that
 * does not exist, -EEXIST when the VIRQ is already bound on that vCPU,
 * -ENOSPC with no free port. */
int evtchn_bind_virq(struct evtchn_table *t, unsigned virq, unsigned vcpu);
int evtchn_bind_ipi(struct evtchn_table *t, unsigned vcpu);
/* A port waiting for a remote end (EVTCHNOP_alloc_unbound); events sent
 * on it go nowhere, as on Xen, until something binds it. */
int evtchn_alloc_unbound(struct evtchn_table *t, uint16_t remote_domid);
int evtchn_close(struct evtchn_table *t, unsigned port);
/* EVTCHNOP_bind_vcpu: the vCPU an unbound, backend or global-VIRQ port
 * notifies (an IPI or per-vCPU VIRQ port: -EINVAL, as Xen). */
int evtchn_bind_vcpu(struct evtchn_table *t, unsigned port, unsigned vcpu);
/* A port connected to hypervisor backend number `backend`, notifying vcpu. */
int evtchn_bind_backend(struct evtchn_table *t, unsigned backend, unsigned vcpu);
/* The backend at the other end of port, or -1 when it is not a backend's. */
int evtchn_backend_of(const struct evtchn_table *t, unsigned port);
/* "No vCPU needs waking": what *kick says when an event did not become
 * deliverable (already pending, masked, or nobody at the other end). */
#define EVTCHN_NO_KICK (-1)
/* The backend's notification on its port: the vCPU to kick, or
 * EVTCHN_NO_KICK (also for a port no longer bound to that backend). */
int evtchn_notify_from_backend(struct evtchn_table *t, unsigned port, unsigned backend);
/* Mark a port pending (send) or unmask it: 0, or -XEN_EINVAL for a bad
 * port.  *kick: the vCPU the event just became deliverable to, which the
 * caller wakes after unlocking (domain_kick), or EVTCHN_NO_KICK. */
int evtchn_send(struct evtchn_table *t, unsigned port, int *kick);
int evtchn_unmask(struct evtchn_table *t, unsigned port, int *kick);
/* The port bound to virq on vcpu, or 0. */
unsigned evtchn_virq_port(const struct evtchn_table *t, unsigned vcpu, unsigned virq);
/* Would the vCPU take an upcall now (pending and not masked)? */
bool evtchn_upcall_deliverable(const struct evtchn_table *t, unsigned vcpu);

#endif
