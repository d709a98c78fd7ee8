/* SPDX-License-Identifier: GPL-2.0-only */
/* vcpu_op (bring vCPUs up and down, their one-shot timers) and set_timer_op. */
#include "pv.h"
#include <xen/vcpu.h>

void pv_set_timer(struct vcpu *v, uint64_t deadline)
{
    if (deadline && deadline <= platform->now_ns()) {
        WRITE_ONCE(v->timer_deadline, 0);
        vcpu_send_virq(v, VIRQ_TIMER);
        return;
    }
    WRITE_ONCE(v->timer_deadline, deadline);
}

long do_set_timer_op(struct vcpu *v, const uint32_t *a)
{
    pv_set_timer(v, a[0] | (uint64_t)a[1] << 32);
    return 0;
}

/* Load t's registers and callbacks from a 32-bit vcpu_guest_context. */
static long vcpu_initialise(struct vcpu *v, struct vcpu *t, uint32_t arg)
{
    static struct vcpu_guest_context_x86_32 ctx; /* 5 KiB: not on the stack; under d->lock */
    if (t->initialised)
        return -XEN_EEXIST;
    if (copy_from_guest(v, &ctx, arg, sizeof(ctx)))
        return -XEN_EFAULT;
    if (!pv_guest_cs_ok(ctx.user_regs.cs))
        return -XEN_EINVAL;
    struct arch_vcpu *at = t->arch;
    vcpu_reset_regs(t);
    at->regs.rip = ctx.user_regs.eip;
    at->regs.rsp = ctx.user_regs.esp;
    at->regs.rax = ctx.user_regs.eax;
    at->regs.rbx = ctx.user_regs.ebx;
    at->regs.rcx = ctx.user_regs.ecx;
    at->regs.rdx = ctx.user_regs.edx;
    at->regs.rsi = ctx.user_regs.esi;
    at->regs.rdi = ctx.user_regs.edi;
    at->regs.rbp = ctx.user_regs.ebp;
    for (unsigned i = 0; i < 256; i++) {
        const struct trap_info_x86_32 *ti = &ctx.trap_ctxt[i];
        if (ti->address && pv_guest_cs_ok(ti->cs))
            at->traps[ti->vector] = (struct trap_entry32){
                .cs = (uint16_t)(ti->cs | 1), .flags = ti->flags, .valid = 1, .eip = ti->address };
    }
    if (pv_guest_cs_ok(ctx.event_callback_cs)) {
        at->event_cs = ctx.event_callback_cs | 1;
        at->event_eip = ctx.event_callback_eip;
    }
    at->kernel_ss = ctx.kernel_ss;
    at->kernel_sp = ctx.kernel_sp;
    t->initialised = true;
    return 0;
}

long do_vcpu_op(struct vcpu *v, const uint32_t *a)
{
    uint32_t cmd = a[0], id = a[1], arg = a[2];
    struct domain *d = v->d;
    if (id >= d->nr_vcpus)
        return -XEN_ENOENT;
    struct vcpu *t = &d->vcpu[id];
    switch (cmd) {
    case VCPUOP_initialise: {
        spin_lock(&d->lock);
        long r = vcpu_initialise(v, t, arg);
        spin_unlock(&d->lock);
        return r;
    }
    case VCPUOP_up:
        if (!t->initialised)
            return -XEN_EINVAL;
        vcpu_up(t);
        return 0;
    case VCPUOP_down:
        if (t != v)
            return -XEN_EINVAL; /* only a vCPU can take itself down */
        vcpu_sleep(v);
        return 0;
    case VCPUOP_is_up:
        return READ_ONCE(t->state) != VCPU_DOWN || t->want_up;
    case VCPUOP_set_singleshot_timer: {
        struct kmv_singleshot_timer32 st;
        if (t != v)
            return -XEN_EINVAL;
        if (copy_from_guest(v, &st, arg, sizeof(st)))
            return -XEN_EFAULT;
        pv_set_timer(v, st.timeout_lo | (uint64_t)st.timeout_hi << 32);
        return 0;
    }
    case VCPUOP_stop_singleshot_timer:
        if (t != v)
            return -XEN_EINVAL;
        WRITE_ONCE(v->timer_deadline, 0);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}
