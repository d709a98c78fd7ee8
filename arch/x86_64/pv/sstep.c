/* SPDX-License-Identifier: GPL-2.0-only */
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
#include "pv.h"

/* Test-only state: kept here, out of the core's structures. */
struct sstep_vcpu {
    bool active;                 /* between KMAPOP_sstep(1) and (0) */
    uint32_t boundary, target;   /* where we are in the region, where to inject */
};
static struct sstep_vcpu vstate[KMV_MAX_VCPUS];
static struct {
    spinlock_t lock;
    uint64_t regions, boundaries, injections;
    uint32_t longest, next_target;
    uint32_t eips[4096];         /* distinct EIPs where we injected */
    unsigned nr_eips;
} st;

bool sstep_active(const struct vcpu *v)
{
    return vstate[v->id].active;
}

void sstep_report(const struct domain *d)
{
    if (d->cfg.kmap_flags & KMAP_WIN_SSTEP)
        printk("kmapvisor: single-step: %llu stepped regions, %llu instruction boundaries, longest %u, "
               "%llu interrupts injected at %u distinct EIPs\n",
               (unsigned long long)st.regions, (unsigned long long)st.boundaries, st.longest,
               (unsigned long long)st.injections, st.nr_eips);
}

long sstep_op(struct vcpu *v, uint32_t begin)
{
    struct sstep_vcpu *s = &vstate[v->id];
    spin_lock(&st.lock);
    if (begin && !s->active) {
        s->active = true;
        s->boundary = 0;
        s->target = st.next_target;
        st.regions++;
        vregs(v)->rflags |= X86_EFLAGS_TF;
    } else if (!begin && s->active) {
        s->active = false;
        vregs(v)->rflags &= ~(uint64_t)X86_EFLAGS_TF;
        if (s->boundary > st.longest)
            st.longest = s->boundary;
    }
    spin_unlock(&st.lock);
    return 0;
}

static void note_eip(uint32_t eip)
{
    for (unsigned i = 0; i < st.nr_eips; i++)
        if (st.eips[i] == eip)
            return;
    if (st.nr_eips < ARRAY_SIZE(st.eips))
        st.eips[st.nr_eips++] = eip;
}

void sstep_debug_trap(struct vcpu *v)
{
    struct sstep_vcpu *s = &vstate[v->id];
    bool inject = false;
    spin_lock(&st.lock);
    st.boundaries++;
    if (s->boundary++ == s->target) {
        st.injections++;
        note_eip((uint32_t)vregs(v)->rip);
        st.next_target = (s->target + 1) % (st.longest + 2);
        inject = true;
    }
    spin_unlock(&st.lock);
    if (inject)
        vcpu_send_virq(v, VIRQ_TIMER);
}
