/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercall dispatch for 32-bit PV guests: int $0x82, number in eax,
 * arguments in ebx, ecx, edx, esi, edi, result in eax.  Xen's numbers;
 * kmap_op is kmapvisor's extension.  A new hypercall is one row here, its
 * handler, and the handler's prototype in pv.h (docs/architecture.md,
 * "Adding things").  Every argument is untrusted: handlers check them all.
 */
#include "pv.h"

#define HC(nr, fn_, n, ...) [nr] = { .fn = fn_, .nargs = n, .name = #nr, __VA_ARGS__ }

const struct hypercall hypercall_table[NR_HYPERCALLS] = {
    HC(__HYPERVISOR_set_trap_table, do_set_trap_table, 1),
    HC(__HYPERVISOR_mmu_update, do_mmu_update, 4),
    HC(__HYPERVISOR_mmuext_op, do_mmuext_op, 4),
    HC(__HYPERVISOR_set_gdt, do_set_gdt, 2),
    HC(__HYPERVISOR_update_descriptor, do_update_descriptor, 4),
    HC(__HYPERVISOR_stack_switch, do_stack_switch, 2),
    HC(__HYPERVISOR_set_callbacks, do_set_callbacks, 4),
    HC(__HYPERVISOR_fpu_taskswitch, do_fpu_taskswitch, 1),
    HC(__HYPERVISOR_sched_op_compat, do_sched_op_compat, 2),
    HC(__HYPERVISOR_set_debugreg, do_set_debugreg, 2),
    HC(__HYPERVISOR_get_debugreg, do_get_debugreg, 1),
    HC(__HYPERVISOR_memory_op, do_memory_op, 2),
    HC(__HYPERVISOR_multicall, do_multicall, 2, .in_multicall = -XEN_EINVAL), /* no nesting */
    HC(__HYPERVISOR_update_va_mapping, do_update_va_mapping, 4),
    HC(__HYPERVISOR_set_timer_op, do_set_timer_op, 2),
    HC(__HYPERVISOR_xen_version, do_xen_version, 2),
    HC(__HYPERVISOR_console_io, do_console_io, 3),
    HC(__HYPERVISOR_vm_assist, do_vm_assist, 2),
    HC(__HYPERVISOR_iret, do_iret, 0, .in_multicall = -XEN_ENOSYS), /* no call there */
    HC(__HYPERVISOR_vcpu_op, do_vcpu_op, 3),
    HC(__HYPERVISOR_sched_op, do_sched_op, 2),
    HC(__HYPERVISOR_callback_op, do_callback_op, 2),
    HC(__HYPERVISOR_event_channel_op, do_event_channel_op, 2),
    HC(__HYPERVISOR_physdev_op, do_physdev_op, 2),
    HC(__HYPERVISOR_physdev_op_compat, do_physdev_op_compat, 1),
    HC(__HYPERVISOR_grant_table_op, do_grant_table_op, 3),
    HC(KMV_HYPERVISOR_kmap_op, do_kmap_op, 5),
};

long hypercall_call(struct vcpu *v, uint32_t nr, const uint32_t *args, bool nested)
{
    if (nr >= NR_HYPERCALLS || !hypercall_table[nr].fn)
        return -XEN_ENOSYS;
    const struct hypercall *h = &hypercall_table[nr];
    if (nested && h->in_multicall)
        return h->in_multicall;
    pv_count_hypercall(v, nr);
    return h->fn(v, args);
}

void hypercall_dispatch(struct vcpu *v)
{
    struct trap_frame *r = vregs(v);
    uint32_t nr = (uint32_t)r->rax;
    uint32_t args[5] = { (uint32_t)r->rbx, (uint32_t)r->rcx, (uint32_t)r->rdx,
                         (uint32_t)r->rsi, (uint32_t)r->rdi };
    long ret = hypercall_call(v, nr, args, false);
    /* iret sets every register itself, eax included. */
    if (nr != __HYPERVISOR_iret)
        r->rax = (uint32_t)ret;
}

/* multicall(list, count): each entry through the same table, its result
 * written back before the next runs (a later entry may depend on it). */
long do_multicall(struct vcpu *v, const uint32_t *a)
{
    uint32_t list = a[0], count = a[1];
    if (count > 1024)
        return -XEN_EINVAL;
    for (uint32_t i = 0; i < count; i++) {
        struct kmv_multicall_entry32 e;
        uint32_t at = list + i * (uint32_t)sizeof(e);
        if (copy_from_guest(v, &e, at, sizeof(e)))
            return -XEN_EFAULT;
        e.result = (uint32_t)hypercall_call(v, e.op, e.args, true);
        if (copy_to_guest(v, at + offsetof(struct kmv_multicall_entry32, result), &e.result, sizeof(e.result)))
            return -XEN_EFAULT;
    }
    return 0;
}
