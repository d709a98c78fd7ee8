/*
 * Single-step test mode (layer 3 of the replay proof).  Between
 * KMAPOP_sstep(1) and KMAPOP_sstep(0) the guest runs with EFLAGS.TF set,
 * so every instruction boundary traps here.  In the n-th stepped region
 * we raise the vCPU's VIRQ_TIMER at boundary n mod (longest region seen
 * + 1): across many regions, an interrupt arrives at every boundary of
 * the guest's switch path in turn.  If events are masked at that
 * boundary the event waits, as a real interrupt would, until the guest
 * unmasks.  The target only moves on once an interrupt was delivered at
 * it, so short regions do not skip the boundaries of long ones.  An
 * upcall bounce clears TF for the handler and the frame
 * keeps it, so stepping resumes after the handler's iret.
 */
#include "domain.h"
#include <xen/errno.h>

#define EFLAGS_TF (1u << 8)

long sstep_op(struct vcpu *v, uint32_t begin)
{
    struct domain *d = v->d;
    if (!(d->cfg.kmap_flags & KMAP_WIN_SSTEP))
        return -XEN_EPERM;
    spin_lock(&d->sstep_lock);
    if (begin && !v->sstep_active) {
        v->sstep_active = true;
        v->sstep_boundary = 0;
        v->sstep_target = d->sstep_next_target;
        d->sstep_regions++;
        v->regs.rflags |= EFLAGS_TF;
    } else if (!begin && v->sstep_active) {
        v->sstep_active = false;
        v->regs.rflags &= ~(uint64_t)EFLAGS_TF;
        if (v->sstep_boundary > d->sstep_longest)
            d->sstep_longest = v->sstep_boundary;
    }
    spin_unlock(&d->sstep_lock);
    return 0;
}

static void note_eip(struct domain *d, uint32_t eip)
{
    for (unsigned i = 0; i < d->sstep_nr_eips; i++)
        if (d->sstep_eips[i] == eip)
            return;
    if (d->sstep_nr_eips < ARRAY_SIZE(d->sstep_eips))
        d->sstep_eips[d->sstep_nr_eips++] = eip;
}

void sstep_debug_trap(struct vcpu *v)
{
    struct domain *d = v->d;
    bool inject = false;
    spin_lock(&d->sstep_lock);
    d->sstep_boundaries++;
    if (v->sstep_boundary++ == v->sstep_target) {
        d->sstep_injections++;
        note_eip(d, (uint32_t)v->regs.rip);
        d->sstep_next_target = (v->sstep_target + 1) % (d->sstep_longest + 2);
        inject = true;
    }
    spin_unlock(&d->sstep_lock);
    if (inject)
        vcpu_send_virq(v, VIRQ_TIMER);
}
