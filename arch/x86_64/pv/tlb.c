/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TLB flushes of guest mappings across vCPUs: UVMF_ALL / UVMF_MULTI,
 * MMUEXT_TLB_FLUSH_* and INVLPG_*, and the flushes the page types need
 * (a frame that was mapped writable becoming a table, a table that ended
 * becoming writable).
 *
 * A request for vCPU t sets t->need_flush, and t's CPU clears it and
 * loads CR3 before t next runs guest code (vcpu_load, context.c; the
 * hypercall fast path leaves through the full exit path when it is set).
 * If t is running now, its CPU is kicked (the interrupt takes it through
 * the exit path) and the requester waits until the flag is clear, so
 * that when the call returns no CPU can use a stale translation.
 * Ordering: the requester stores the flag, then reads t's state; t's CPU
 * sets the state RUNNING (sched_pick), then exchanges the flag in
 * vcpu_load (both sequentially consistent).  So either the requester
 * sees t running and waits, or t's load sees the flag and flushes.
 * The flag is cleared before the CR3 load, so a request that comes in
 * between sets it again and is not lost; the hypervisor itself never
 * reads guest memory through the guest's mappings (guest_mem.c walks
 * them in software), so the gap between the clear and the CR3 load
 * exposes nothing.
 * No deadlock: a CPU that waits (here, or for the MMU lock) answers
 * requests for its own vCPU meanwhile, and a CPU in the hypervisor for
 * anything else reaches its exit path without waiting for us.
 */
#include "page_type.h"
#include "hypervisor/sched.h"
#include <asm/mmu.h>

void pv_flush_service(struct vcpu *v)
{
    if (READ_ONCE(v->arch->need_flush) && __atomic_exchange_n(&v->arch->need_flush, false, __ATOMIC_SEQ_CST))
        write_cr3(v->arch->cr3);
}

void pv_flush_vcpus(struct vcpu *v, uint64_t mask, uint32_t va)
{
    struct domain *d = v->d;
    for (unsigned i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *t = &d->vcpu[i];
        if (!(mask >> i & 1))
            continue;
        if (t == v) {
            /* Ours: this CPU runs it, the flush is local. */
            if (va != ~0u)
                invlpg(va);
            else
                write_cr3(v->arch->cr3);
            continue;
        }
        __atomic_store_n(&t->arch->need_flush, true, __ATOMIC_SEQ_CST);
        struct sched_cpu *c = __atomic_load_n(&t->running_on, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&t->state, __ATOMIC_SEQ_CST) == VCPU_RUNNING && c)
            platform->kick_cpu(c->id);
    }
#ifndef KMV_HOSTED /* the fake machine runs no vCPU concurrently */
    for (unsigned i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *t = &d->vcpu[i];
        if (!(mask >> i & 1) || t == v)
            continue;
        while (__atomic_load_n(&t->arch->need_flush, __ATOMIC_SEQ_CST) &&
               __atomic_load_n(&t->state, __ATOMIC_SEQ_CST) == VCPU_RUNNING) {
            pv_flush_service(v);
            cpu_relax();
        }
    }
#endif
}

void pv_flush_all(struct vcpu *v)
{
    pv_flush_vcpus(v, (1ull << v->d->nr_vcpus) - 1, ~0u);
}
