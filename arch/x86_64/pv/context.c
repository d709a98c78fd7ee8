/* SPDX-License-Identifier: GPL-2.0-only */
/* A vCPU's state in and out of a physical CPU: segment registers and the
 * address space (CR3).  Not built on the host: it is the real CPU. */
#include "pv.h"
#include "arch/x86_64/arch.h"
#include <asm/mmu.h>

static uint16_t read_seg(int which)
{
    uint16_t s = 0;
    switch (which) {
    case 0: __asm__ volatile("mov %%ds, %0" : "=r"(s)); break;
    case 1: __asm__ volatile("mov %%es, %0" : "=r"(s)); break;
    case 2: __asm__ volatile("mov %%fs, %0" : "=r"(s)); break;
    default: __asm__ volatile("mov %%gs, %0" : "=r"(s)); break;
    }
    return s;
}

void vcpu_save(struct pcpu *p, struct vcpu *v)
{
    (void)p;
    struct arch_vcpu *av = v->arch;
    av->ds = read_seg(0);
    av->es = read_seg(1);
    av->fs = read_seg(2);
    av->gs = read_seg(3);
}

/*
 * Make v's address space current on p.  Loading CR3 flushes all of this
 * CPU's non-global TLB entries, which is what a window needs when the
 * vCPU arrives from another CPU (or another vCPU ran here meanwhile):
 * entries cached here before it left may be stale.  When v is still the
 * last vCPU loaded here and has not run elsewhere, the TLB is exact and
 * we keep it.
 */
void vcpu_load(struct pcpu *p, struct vcpu *v)
{
    struct arch_vcpu *av = v->arch;
    /* A flush asked for by another vCPU (tlb.c): the flag is cleared
     * before the CR3 load, so a request arriving in between is kept.
     * The exchange is a full barrier: sched_pick's store of RUNNING is
     * visible before we read the flag (the requester's order is the
     * mirror image). */
    bool flush = __atomic_exchange_n(&av->need_flush, false, __ATOMIC_SEQ_CST);
    if (p->last_loaded != v || av->last_pcpu != p || flush) {
        write_cr3(av->cr3);
        av->cr3_loads++;
    }
    /* Checked when the guest supplied them (selectors.c); a load that
     * faults anyway is caught by entry.S's fixup table and stops the
     * domain, not the machine. */
    load_guest_data_segments(av->ds, av->es, av->fs, av->gs);
    /* Its breakpoints, when it has any enabled; otherwise none (another
     * vCPU's must not fire in this one). */
    if (av->dr[7] & 0xff) {
        __asm__ volatile("mov %0, %%db0; mov %1, %%db1; mov %2, %%db2; mov %3, %%db3"
                         : : "r"((uint64_t)av->dr[0]), "r"((uint64_t)av->dr[1]), "r"((uint64_t)av->dr[2]),
                             "r"((uint64_t)av->dr[3]));
        __asm__ volatile("mov %0, %%db7" : : "r"((uint64_t)av->dr[7]));
        p->dr7_live = true;
    } else if (p->dr7_live) {
        __asm__ volatile("mov %0, %%db7" : : "r"((uint64_t)0x400));
        p->dr7_live = false;
    }
    av->last_pcpu = p;
    p->last_loaded = v;
}
