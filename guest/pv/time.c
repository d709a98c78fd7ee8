/* SPDX-License-Identifier: GPL-2.0-only */
/* System time from the hypervisor's vcpu_time_info (Xen's scale). */
#include "pv.h"

uint64_t system_time_ns(void)
{
    vcpu_time_info_t *t = &shared->vcpu_info[0].time;
    uint64_t delta = rdtsc() - t->tsc_timestamp;
    if (t->tsc_shift >= 0)
        delta <<= t->tsc_shift;
    else
        delta >>= -t->tsc_shift;
    /* (delta * mul) >> 32 without a 128-bit type */
    uint64_t lo = (uint64_t)(uint32_t)delta * t->tsc_to_system_mul;
    uint64_t hi = (delta >> 32) * t->tsc_to_system_mul;
    return t->system_time + hi + (lo >> 32);
}

void timer_arm_in(uint64_t ns)
{
    HYPERVISOR_set_timer_op(system_time_ns() + ns);
}
