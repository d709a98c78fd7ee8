/* SPDX-License-Identifier: GPL-2.0-only */
/* PV: the virtual interrupt flag is the event mask in this vCPU's vcpu_info. */
#ifndef GUEST_IRQFLAGS_H
#define GUEST_IRQFLAGS_H

#include "hypercall.h"

extern shared_info_t *shared;
static inline vcpu_info_t *this_vcpu_info(void) { return &shared->vcpu_info[smp_processor_id()]; }

/* Returns 1 if events were masked. */
static inline unsigned long local_irq_save(void)
{
    vcpu_info_t *vi = this_vcpu_info();
    unsigned long flags = vi->evtchn_upcall_mask;
    vi->evtchn_upcall_mask = 1;
    barrier();
    return flags;
}
void local_irq_restore(unsigned long flags);
static inline void local_irq_disable(void) { this_vcpu_info()->evtchn_upcall_mask = 1; barrier(); }
static inline void local_irq_enable(void) { local_irq_restore(0); }

#endif
