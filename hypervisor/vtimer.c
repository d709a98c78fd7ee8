/* SPDX-License-Identifier: GPL-2.0-only */
/* Guest one-shot timers (set_timer_op, VCPUOP_set_singleshot_timer): each
 * CPU's tick fires the deadlines that have passed as VIRQ_TIMER. */
#include "domain.h"

void vtimer_tick(void)
{
    struct domain *d = dom0;
    if (!d || d->dying)
        return;
    uint64_t now = platform->now_ns();
    for (unsigned i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = &d->vcpu[i];
        uint64_t dl = READ_ONCE(v->timer_deadline);
        /* Several CPUs tick: the exchange makes exactly one fire it. */
        if (dl && now >= dl &&
            __atomic_compare_exchange_n(&v->timer_deadline, &dl, 0, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            vcpu_send_virq(v, VIRQ_TIMER);
    }
}
