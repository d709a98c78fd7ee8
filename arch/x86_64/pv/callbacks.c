/* SPDX-License-Identifier: GPL-2.0-only */
/* Where the guest wants its exceptions and events: set_trap_table,
 * set_callbacks, callback_op, stack_switch. */
#include "pv.h"
#include <xen/callback.h>

bool pv_guest_cs_ok(uint32_t cs)
{
    return (cs & ~3u) == (GUEST_RING1_CS & ~3u);
}

long do_set_trap_table(struct vcpu *v, const uint32_t *a)
{
    uint32_t table = a[0];
    struct arch_vcpu *av = v->arch;
    if (!table) {
        memset(av->traps, 0, sizeof(av->traps));
        return 0;
    }
    for (unsigned i = 0; i < 256; i++) {
        struct trap_info_x86_32 ti;
        if (copy_from_guest(v, &ti, table + i * (uint32_t)sizeof(ti), sizeof(ti)))
            return -XEN_EFAULT;
        if (ti.address == 0)
            return 0;
        if (!pv_guest_cs_ok(ti.cs))
            return -XEN_EPERM;
        av->traps[ti.vector] = (struct trap_entry32){
            .cs = (uint16_t)(ti.cs | 1), .flags = ti.flags, .valid = 1, .eip = ti.address };
    }
    return 0;
}

long do_set_callbacks(struct vcpu *v, const uint32_t *a)
{
    uint32_t ecs = a[0], eeip = a[1], fcs = a[2], feip = a[3];
    if (!pv_guest_cs_ok(ecs) || !pv_guest_cs_ok(fcs))
        return -XEN_EPERM;
    v->arch->event_cs = ecs | 1;
    v->arch->event_eip = eeip;
    v->arch->failsafe_cs = fcs | 1;
    v->arch->failsafe_eip = feip;
    return 0;
}

long do_callback_op(struct vcpu *v, const uint32_t *a)
{
    struct kmv_callback_register32 cb;
    if (a[0] != CALLBACKOP_register)
        return -XEN_ENOSYS;
    if (copy_from_guest(v, &cb, a[1], sizeof(cb)))
        return -XEN_EFAULT;
    if (!pv_guest_cs_ok(cb.cs))
        return -XEN_EPERM;
    switch (cb.type) {
    case CALLBACKTYPE_event:
        v->arch->event_cs = cb.cs | 1;
        v->arch->event_eip = cb.eip;
        return 0;
    case CALLBACKTYPE_failsafe:
        v->arch->failsafe_cs = cb.cs | 1;
        v->arch->failsafe_eip = cb.eip;
        return 0;
    default:
        return -XEN_EINVAL;
    }
}

long do_stack_switch(struct vcpu *v, const uint32_t *a)
{
    v->arch->kernel_ss = a[0];
    v->arch->kernel_sp = a[1];
    return 0;
}

long do_fpu_taskswitch(struct vcpu *v, const uint32_t *a)
{
    (void)v, (void)a;
    return 0; /* no lazy FPU: nothing to do */
}
