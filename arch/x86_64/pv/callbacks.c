/* SPDX-License-Identifier: GPL-2.0-only */
/* Where the guest wants its exceptions and events: set_trap_table,
 * set_callbacks, callback_op, stack_switch. */
#include "pv.h"
#include <xen/callback.h>

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
        uint32_t cs = ti.cs;
        if (!pv_code_selector(&cs, false))
            return -XEN_EPERM;
        av->traps[ti.vector] = (struct trap_entry32){
            .cs = (uint16_t)cs, .flags = ti.flags, .valid = 1, .eip = ti.address };
    }
    return 0;
}

long do_set_callbacks(struct vcpu *v, const uint32_t *a)
{
    uint32_t ecs = a[0], eeip = a[1], fcs = a[2], feip = a[3];
    if (!pv_code_selector(&ecs, false) || !pv_code_selector(&fcs, false))
        return -XEN_EPERM;
    v->arch->event_cs = ecs;
    v->arch->event_eip = eeip;
    v->arch->failsafe_cs = fcs;
    v->arch->failsafe_eip = feip;
    return 0;
}

/*
 * callback_op: the compat (32-bit guest) callbacks: event and failsafe
 * (taken), nmi (recorded: guests get no NMIs); flags
 * CALLBACKF_mask_events only.  syscall32 and sysenter are refused with
 * -ENOSYS, Xen's answer for a callback type it does not support: ring 3
 * has no SYSCALL or SYSENTER here (they fault), so a guest that was told
 * yes would have its user space die at the first fast system call;
 * refused, Linux clears X86_FEATURE_SEP (xen_enable_sysenter) and its
 * vDSO uses int $0x80.  Unregister: nmi only, as Xen (event, failsafe,
 * syscall32, sysenter -EINVAL).  Unknown types -ENOSYS.
 */
long do_callback_op(struct vcpu *v, const uint32_t *a)
{
    struct arch_vcpu *av = v->arch;
    struct kmv_callback_register32 cb;
    if (a[0] != CALLBACKOP_register && a[0] != CALLBACKOP_unregister)
        return -XEN_ENOSYS;
    if (a[0] == CALLBACKOP_unregister) {
        uint16_t type; /* struct callback_unregister: the type alone */
        if (copy_from_guest(v, &type, a[1], sizeof(type)))
            return -XEN_EFAULT;
        switch (type) {
        case CALLBACKTYPE_nmi:
            av->nmi_eip = 0;
            return 0;
        case CALLBACKTYPE_event:
        case CALLBACKTYPE_failsafe:
        case CALLBACKTYPE_syscall32:
        case CALLBACKTYPE_sysenter:
            return -XEN_EINVAL;
        default:
            return -XEN_ENOSYS;
        }
    }
    if (copy_from_guest(v, &cb, a[1], sizeof(cb)))
        return -XEN_EFAULT;
    uint32_t cs = cb.cs;
    if (cb.flags & ~CALLBACKF_mask_events)
        return -XEN_EINVAL;
    switch (cb.type) {
    case CALLBACKTYPE_event:
    case CALLBACKTYPE_failsafe:
        if (!pv_code_selector(&cs, false))
            return -XEN_EPERM;
        break;
    case CALLBACKTYPE_nmi:
        break; /* an address alone, in the guest's code segment */
    default:
        return -XEN_ENOSYS;
    }
    switch (cb.type) {
    case CALLBACKTYPE_event:
        av->event_cs = cs;
        av->event_eip = cb.eip;
        return 0;
    case CALLBACKTYPE_failsafe:
        av->failsafe_cs = cs;
        av->failsafe_eip = cb.eip;
        return 0;
    default: /* nmi */
        av->nmi_eip = cb.eip;
        return 0;
    }
}

/* The stack for traps from ring 3: its selector goes into SS on every
 * such bounce, so it is checked now, not when the exit path loads it. */
long do_stack_switch(struct vcpu *v, const uint32_t *a)
{
    uint32_t ss = a[0];
    if (!pv_stack_selector(&ss, false))
        return -XEN_EPERM;
    v->arch->kernel_ss = ss;
    v->arch->kernel_sp = a[1];
    return 0;
}

/* The guest's virtual CR0.TS; kmapvisor has no lazy FPU, so it only
 * shows in what CR0 reads return. */
long do_fpu_taskswitch(struct vcpu *v, const uint32_t *a)
{
    v->arch->virtual_ts = a[0] != 0;
    return 0;
}
