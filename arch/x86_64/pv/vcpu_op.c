/* SPDX-License-Identifier: GPL-2.0-only */
/* vcpu_op (bring vCPUs up and down, their one-shot timers) and set_timer_op. */
#include "page_type.h"
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

/*
 * Load t's registers and callbacks from a 32-bit vcpu_guest_context.
 * Every selector in it is checked before anything is stored (they reach
 * segment registers and the exit path's iretq); a context that asks for
 * what kmapvisor does not give (its own GDT or LDT) is refused; the debug
 * registers are checked as set_debugreg checks them, EFLAGS.IOPL becomes
 * the virtual IOPL of the port I/O emulation.  Under
 * d->lock: two vCPUs initialising the same one must not interleave.
 */
static long vcpu_initialise(struct vcpu *v, struct vcpu *t, uint32_t arg)
{
    static struct vcpu_guest_context_x86_32 ctx; /* 5 KiB: not on the stack; under d->lock */
    if (t->initialised)
        return -XEN_EEXIST;
    if (copy_from_guest(v, &ctx, arg, sizeof(ctx)))
        return -XEN_EFAULT;
    const struct cpu_user_regs_x86_32 *u = &ctx.user_regs;
    uint32_t cs = u->cs, ss = u->ss, seg[4] = { u->ds, u->es, u->fs, u->gs };
    uint32_t kss = ctx.kernel_ss, ecs = ctx.event_callback_cs, fcs = ctx.failsafe_callback_cs;
    if (!pv_code_selector(&cs, false) || !pv_stack_selector(&ss, false) || !pv_stack_selector(&kss, false))
        return -XEN_EINVAL;
    for (unsigned i = 0; i < 4; i++)
        if (!pv_data_selector(&seg[i]))
            return -XEN_EINVAL;
    if ((ctx.event_callback_eip && !pv_code_selector(&ecs, false)) ||
        (ctx.failsafe_callback_eip && !pv_code_selector(&fcs, false)))
        return -XEN_EINVAL;
    if (ctx.gdt_ents || ctx.ldt_ents)
        return -XEN_EINVAL; /* no guest descriptor tables here */
    struct trap_entry32 traps[256] = { 0 };
    for (unsigned i = 0; i < 256; i++) {
        const struct trap_info_x86_32 *ti = &ctx.trap_ctxt[i];
        uint32_t tcs = ti->cs;
        if (!ti->address)
            continue;
        if (!pv_code_selector(&tcs, false))
            return -XEN_EINVAL;
        traps[ti->vector] = (struct trap_entry32){ .cs = (uint16_t)tcs, .flags = ti->flags, .valid = 1, .eip = ti->address };
    }
    /* Debug registers by set_debugreg's rules (DR4/5 ignored, as Xen). */
    uint32_t dr[8] = { 0 };
    for (unsigned i = 0; i < 8; i++) {
        dr[i] = ctx.debugreg[i];
        if (i != 4 && i != 5 && pv_check_debugreg(i, &dr[i]))
            return -XEN_EINVAL;
    }

    /* Its address space: the L3 ctrlreg[3] names (Xen's compat CR3
     * encoding; an L3 type reference, validating it), or with 0 the
     * caller's (kmapvisor's mini guest leaves it 0).  Last: nothing else
     * can fail after it. */
    uint32_t l3 = ctx.ctrlreg[3] ? pv_cr3_to_mfn(ctx.ctrlreg[3]) : v->arch->base_mfn;
    pv_mmu_lock(v);
    long r = pv_get_pt_type(v, l3, PGT_L3);
    if (!r) {
        uint32_t old = t->arch->base_mfn;
        pv_load_base(t, l3);
        if (old)
            pv_put_pt_type(v, old);
    }
    pv_mmu_unlock(v);
    if (r)
        return -XEN_EINVAL;
    struct arch_vcpu *at = t->arch;
    vcpu_reset_regs(t);
    at->regs.rip = u->eip;
    at->regs.rsp = u->esp;
    at->regs.rax = u->eax;
    at->regs.rbx = u->ebx;
    at->regs.rcx = u->ecx;
    at->regs.rdx = u->edx;
    at->regs.rsi = u->esi;
    at->regs.rdi = u->edi;
    at->regs.rbp = u->ebp;
    at->regs.cs = cs;
    at->regs.ss = ss;
    at->ds = (uint16_t)seg[0], at->es = (uint16_t)seg[1], at->fs = (uint16_t)seg[2], at->gs = (uint16_t)seg[3];
    memcpy(at->traps, traps, sizeof(traps));
    if (ctx.event_callback_eip) {
        at->event_cs = ecs;
        at->event_eip = ctx.event_callback_eip;
    }
    if (ctx.failsafe_callback_eip) {
        at->failsafe_cs = fcs;
        at->failsafe_eip = ctx.failsafe_callback_eip;
    }
    at->kernel_ss = kss;
    at->kernel_sp = ctx.kernel_sp;
    for (unsigned i = 0; i < 8; i++)
        if (i != 4 && i != 5)
            at->dr[i] = dr[i];
    /* The context's EFLAGS.IOPL is the vCPU's virtual IOPL (as Xen); the
     * real one stays 0. */
    at->iopl = (uint8_t)((u->eflags >> 12) & 3);
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
        pv_lock_serving(v, &d->lock); /* it takes the MMU lock inside: page_type.c */
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
    case VCPUOP_register_runstate_memory_area:
        return pv_register_runstate(v, t, arg);
    case VCPUOP_get_runstate_info:
        return pv_get_runstate_info(v, t, arg);
    case VCPUOP_stop_singleshot_timer:
        if (t != v)
            return -XEN_EINVAL;
        WRITE_ONCE(v->timer_deadline, 0);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}
