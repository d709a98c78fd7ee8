/* SPDX-License-Identifier: GPL-2.0-only */
/* System time from the hypervisor's vcpu_time_info (Xen's scale). */
#include "pv.h"

/* Xen's version protocol: the hypervisor rewrites the fields at every
 * switch to vCPU 0 (odd version meanwhile), possibly while another vCPU
 * reads them: retry until a read saw one even version throughout. */
uint64_t system_time_ns(void)
{
    volatile vcpu_time_info_t *t = &shared->vcpu_info[0].time;
    for (;;) {
        uint32_t ver = t->version;
        __asm__ volatile("" ::: "memory");
        uint64_t ts = t->tsc_timestamp, st = t->system_time;
        uint32_t mul = t->tsc_to_system_mul;
        int8_t shift = t->tsc_shift;
        uint64_t now = rdtsc();
        uint64_t delta = now > ts ? now - ts : 0; /* stamped on another CPU, a TSC behind ours */
        __asm__ volatile("" ::: "memory");
        if ((ver & 1) || t->version != ver)
            continue;
        if (shift >= 0)
            delta <<= shift;
        else
            delta >>= -shift;
        /* (delta * mul) >> 32 without a 128-bit type */
        uint64_t lo = (uint64_t)(uint32_t)delta * mul;
        uint64_t hi = (delta >> 32) * mul;
        return st + hi + (lo >> 32);
    }
}

void timer_arm_in(uint64_t ns)
{
    HYPERVISOR_set_timer_op(system_time_ns() + ns);
}
