/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a vCPU switch tells the guest: its vcpu_time_info (Xen's
 * update_vcpu_system_time) and its registered runstate area (Xen's
 * update_runstate_area), and the vcpu_op calls that register and read
 * the runstate.
 *
 * The runstate area is a guest virtual address, as on Xen: at every
 * update it is written with copy_to_guest through the vCPU's own page
 * tables, which checks the mapping (present, writable) at that moment and
 * holds a transient writable reference for the store.  No host pointer
 * into the frame is kept, so no frame is held: a guest that unmaps the
 * area, or makes its frame a page table, loses the updates (Xen ignores
 * the copy's failure too), nothing else.
 */
#include "pv.h"
#include <xen/vcpu.h>
#include <xen/memory.h>
#include <kmapvisor/compat.h>

/* Xen's compat_handle_okay for one 44-byte structure: below the
 * hypervisor's area (0 is allowed: no area). */
#define RUNSTATE_AREA_LIMIT PV_M2P_VIRT_START

void pv_time_init(struct domain *d)
{
    struct arch_domain *ad = d->arch;
    time_scale(tsc_khz * 1000, &ad->time_mul, &ad->time_shift);
}

/* Xen's update_vcpu_system_time: the TSC and the system time at it, with
 * the version protocol (odd while the fields change). The scale is the
 * hypervisor's own copy: the guest can write shared_info.  Every vCPU's
 * system time is the same clock (platform->now_ns's: ns since the
 * hypervisor's boot TSC). */
void pv_time_update(struct vcpu *v)
{
    const struct arch_domain *ad = v->d->arch;
    struct vcpu_time_info_x86_32 *t = &v->info->time;
    uint64_t tsc = host_tsc();
    uint32_t ver = (READ_ONCE(t->version) + 1) | 1;
    WRITE_ONCE(t->version, ver);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    WRITE_ONCE(t->tsc_timestamp, tsc);
    WRITE_ONCE(t->system_time, tsc_to_ns(tsc));
    WRITE_ONCE(t->tsc_to_system_mul, ad->time_mul);
    WRITE_ONCE(t->tsc_shift, ad->time_shift);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    WRITE_ONCE(t->version, ver + 1);
}

static void to_compat(struct kmv_runstate_info32 *out, const struct vcpu_runstate *r)
{
    out->state = r->state;
    out->state_entry_time = r->state_entry_time;
    for (unsigned i = 0; i < 4; i++)
        out->time[i] = r->time[i];
}

/* Write t's runstate as of its last change into its registered area (as
 * Xen's update_runstate_area): with VMASST_TYPE_runstate_update_flag,
 * XEN_RUNSTATE_UPDATE is set in state_entry_time while the rest is
 * written.  The snapshot is taken under the lock, so the last writer
 * writes the latest state whichever CPU it is on. */
void pv_runstate_publish(struct vcpu *t)
{
    struct arch_vcpu *at = t->arch;
    if (!READ_ONCE(at->runstate_gva))
        return;
    spin_lock(&at->runstate_lock);
    uint32_t gva = at->runstate_gva;
    if (gva) {
        struct vcpu_runstate r;
        struct kmv_runstate_info32 info;
        vcpu_runstate_get(t, &r, false);
        to_compat(&info, &r);
        bool flag = t->d->arch->vm_assist & (1u << VMASST_TYPE_runstate_update_flag);
        uint32_t top = gva + offsetof(struct kmv_runstate_info32, state_entry_time) + 7; /* its top byte */
        if (flag) {
            uint8_t b = (uint8_t)((info.state_entry_time | XEN_RUNSTATE_UPDATE) >> 56);
            copy_to_guest(t, top, &b, 1);
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            info.state_entry_time |= XEN_RUNSTATE_UPDATE;
        }
        copy_to_guest(t, gva, &info, sizeof(info)); /* a failure is ignored, as Xen */
        if (flag) {
            uint8_t b = (uint8_t)((info.state_entry_time & ~XEN_RUNSTATE_UPDATE) >> 56);
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            copy_to_guest(t, top, &b, 1);
        }
    }
    spin_unlock(&at->runstate_lock);
}

/* The exit path, after the scheduler chose next to follow prev on this
 * CPU (either may be NULL: idle): prev's area shows the state it left
 * for, next's time info is brought up to date and its area shows it
 * running. */
void pv_vcpu_switch(struct vcpu *prev, struct vcpu *next)
{
    if (prev == next)
        return;
    if (prev)
        pv_runstate_publish(prev);
    if (next) {
        pv_time_update(next);
        pv_runstate_publish(next);
    }
}

/* VCPUOP_register_runstate_memory_area (Xen's compat form): the first
 * 32 bits of the argument are the area's address.  The area is written at
 * once through the caller's tables (t's state; up to now unless t is the
 * caller, as Xen), then at every switch of t through t's own. */
long pv_register_runstate(struct vcpu *v, struct vcpu *t, uint32_t arg)
{
    uint32_t gva;
    if (copy_from_guest(v, &gva, arg, sizeof(gva)))
        return -XEN_EFAULT;
    if (gva && (gva >= RUNSTATE_AREA_LIMIT || RUNSTATE_AREA_LIMIT - gva < sizeof(struct kmv_runstate_info32)))
        return -XEN_EFAULT;
    struct arch_vcpu *at = t->arch;
    spin_lock(&at->runstate_lock);
    WRITE_ONCE(at->runstate_gva, gva);
    if (gva) {
        struct vcpu_runstate r;
        struct kmv_runstate_info32 info;
        vcpu_runstate_get(t, &r, t != v);
        to_compat(&info, &r);
        copy_to_guest(v, gva, &info, sizeof(info)); /* a failure is ignored, as Xen */
    }
    spin_unlock(&at->runstate_lock);
    return 0;
}

/* VCPUOP_get_runstate_info: t's runstate up to now, compat layout. */
long pv_get_runstate_info(struct vcpu *v, struct vcpu *t, uint32_t arg)
{
    struct vcpu_runstate r;
    struct kmv_runstate_info32 info;
    vcpu_runstate_get(t, &r, true);
    to_compat(&info, &r);
    return copy_to_guest(v, arg, &info, sizeof(info)) ? -XEN_EFAULT : 0;
}
