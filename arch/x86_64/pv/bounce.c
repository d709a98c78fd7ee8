/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bounce frames: delivering exceptions and event upcalls to the 32-bit
 * guest the way Xen does, and the iret hypercall that returns from them.
 *
 * Frame on the guest kernel stack: [error code,] EIP, CS, EFLAGS and,
 * when the guest was in ring 3, ESP, SS.  The event mask in force before
 * delivery travels in bits 16-23 of the CS slot, and EFLAGS.IF in the
 * frame is synthesised from it (the real IF is always 1 in the guest).
 */
#include "pv.h"

/* EFLAGS bits a guest may set with iret. */
#define EFLAGS_GUEST_MASK (0x3fffffu & ~(X86_EFLAGS_IOPL | X86_EFLAGS_NT | X86_EFLAGS_VM | X86_EFLAGS_RF))

static bool push_frame(struct vcpu *v, uint32_t cs, uint32_t eip, bool has_error, uint32_t error_code)
{
    struct trap_frame *r = vregs(v);
    uint8_t mask = v->info->evtchn_upcall_mask;
    uint32_t frame[7], n = 0;
    bool from_user = (r->cs & 3) == 3;
    uint32_t eflags = ((uint32_t)r->rflags & ~X86_EFLAGS_IF) | (mask ? 0 : X86_EFLAGS_IF);
    uint32_t sp = from_user ? v->arch->kernel_sp : (uint32_t)r->rsp;
    if (has_error)
        frame[n++] = error_code;
    frame[n++] = (uint32_t)r->rip;
    frame[n++] = ((uint32_t)r->cs & 0xffff) | ((uint32_t)mask << 16);
    frame[n++] = eflags;
    if (from_user) {
        frame[n++] = (uint32_t)r->rsp;
        frame[n++] = (uint32_t)r->ss;
    }
    sp -= n * 4;
    if (copy_to_guest(v, sp, frame, n * 4))
        return false;
    r->rsp = sp;
    if (from_user)
        r->ss = v->arch->kernel_ss;
    r->cs = cs;
    r->rip = eip;
    r->rflags = (r->rflags & ~(uint64_t)(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF | X86_EFLAGS_VM)) | X86_EFLAGS_IF;
    return true;
}

bool guest_bounce(struct vcpu *v, unsigned vector, bool has_error, uint32_t error_code)
{
    const struct trap_entry32 *t = &v->arch->traps[vector];
    if (!t->valid)
        return false;
    uint32_t saved_sp = (uint32_t)vregs(v)->rsp;
    if (!push_frame(v, t->cs, t->eip, has_error, error_code))
        domain_crash(v, "fault while delivering vector %u to the guest (guest stack %#x)",
                     vector, saved_sp);
    if (TI_GET_IF(t))
        v->info->evtchn_upcall_mask = 1;
    return true;
}

void guest_deliver_upcall(struct vcpu *v)
{
    if (!v->arch->event_eip)
        return;
    uint32_t saved_sp = (uint32_t)vregs(v)->rsp;
    if (!push_frame(v, v->arch->event_cs, v->arch->event_eip, false, 0))
        domain_crash(v, "fault while delivering an event upcall (guest stack %#x)", saved_sp);
    v->info->evtchn_upcall_mask = 1;
}

/* HYPERVISOR_iret: the hypercall page's stub pushed eax; the stack holds
 * eax, eip, cs, eflags [, esp, ss]. */
long do_iret(struct vcpu *v, const uint32_t *a)
{
    (void)a;
    struct trap_frame *r = vregs(v);
    uint32_t f[6];
    uint32_t sp = (uint32_t)r->rsp;
    if (copy_from_guest(v, f, sp, 16))
        domain_crash(v, "iret: unreadable frame at %#x", sp);
    /* The selectors go into the exit path's iretq: refuse what the CPU
     * would fault on there.  Unlike everywhere else, RPL 0 is refused
     * too, as Xen's compat iret does: a guest returning "to ring 0" has
     * lost track of where it is. */
    uint32_t cs = f[2] & 0xffff, ss = 0;
    if (!(cs & 3) || !pv_code_selector(&cs, true))
        domain_crash(v, "iret: bad code selector %#x", f[2] & 0xffff);
    if ((cs & 3) == 3) {
        if (copy_from_guest(v, f + 4, sp + 16, 8))
            domain_crash(v, "iret: unreadable ring-3 frame at %#x", sp + 16);
        ss = f[5];
        if (!pv_stack_selector(&ss, true) || (ss & 3) != 3)
            domain_crash(v, "iret: bad ring-3 stack selector %#x", f[5]);
    }
    r->rax = f[0];
    r->rip = f[1];
    r->cs = cs;
    r->rflags = (f[3] & EFLAGS_GUEST_MASK) | X86_EFLAGS_IF | 2;
    if ((cs & 3) == 3) {
        r->rsp = f[4];
        r->ss = ss;
    } else {
        r->rsp = sp + 16;
    }
    /* The frame's IF says whether events were enabled where we return to. */
    v->info->evtchn_upcall_mask = (f[3] & X86_EFLAGS_IF) ? 0 : 1;
    return (long)r->rax;
}

void vcpu_reset_regs(struct vcpu *v)
{
    struct arch_vcpu *av = v->arch;
    memset(&av->regs, 0, sizeof(av->regs));
    av->regs.cs = GUEST_RING1_CS;
    av->regs.ss = GUEST_RING1_DS;
    av->regs.rflags = X86_EFLAGS_IF | 2; /* real interrupts are always on in the guest */
    av->ds = av->es = av->fs = av->gs = GUEST_RING1_DS;
}
