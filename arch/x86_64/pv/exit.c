/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entering the hypervisor from a guest and leaving it again.  Every trap
 * from a guest saves its registers into the running vCPU, is handled, and
 * leaves through pv_exit_to_guest(), which asks the scheduler who runs
 * next on this CPU and loads that vCPU into the same frame at the top of
 * the stack (entry.S resumes whatever the frame holds).  Not built on the
 * host: it is the real CPU's path.
 */
#include "pv.h"
#include "arch/x86_64/arch.h"

void vcpu_save(struct pcpu *p, struct vcpu *v);
void vcpu_load(struct pcpu *p, struct vcpu *v);

static const char *const exception_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#MF09", "#TS", "#NP",
    "#SS", "#GP", "#PF", "#MF15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

const char *exception_name(unsigned vec)
{
    return vec < 32 && exception_names[vec] ? exception_names[vec] : "exception";
}

struct vcpu *pv_enter_from_guest(struct pcpu *p, const struct trap_frame *f)
{
    struct vcpu *v = p->sched.curr;
    v->arch->regs = *f;
    return v;
}

/* An exception in the guest: the single-step test mode's #DB, or a bounce
 * to the guest's handler, or (no handler) a stopped domain. */
void pv_guest_exception(struct vcpu *v, const struct trap_frame *f)
{
    unsigned vec = (unsigned)f->vector;
    if (vec == 1 && sstep_active(v)) {
        sstep_debug_trap(v); /* the test mode's, not the guest's */
        return;
    }
    bool has_err = vec == 8 || (vec >= 10 && vec <= 14) || vec == 17;
    if (vec == 14)
        v->info->arch.cr2 = (uint32_t)read_cr2();
    if (guest_bounce(v, vec, has_err, (uint32_t)f->error_code))
        return;
    if (vec == 14)
        domain_crash(v, "unhandled %s at eip %#x (cr2 %#x, error %#x): no handler in the trap table",
                     exception_name(vec), (uint32_t)f->rip, v->info->arch.cr2, (uint32_t)f->error_code);
    domain_crash(v, "unhandled %s (vector %u, error %#x) at eip %#x: no handler in the trap table",
                 exception_name(vec), vec, (uint32_t)f->error_code, (uint32_t)f->rip);
}

void pv_exit_to_guest(struct pcpu *p, struct trap_frame *f)
{
    for (;;) {
        struct vcpu *prev = p->sched.curr;
        if (prev)
            vcpu_save(p, prev); /* before sched_pick lets another CPU take it */
        struct vcpu *v = sched_pick(&p->sched);
        if (v) {
            vcpu_load(p, v);
            if (evtchn_upcall_deliverable(&v->d->evtchn, v->id))
                guest_deliver_upcall(v);
            *f = v->arch->regs;
            /* The hypervisor's accounting (KMAPOP_stats hv_tsc): the
             * time since trap_entry read the TSC, charged to the vCPU
             * entered (on one vCPU per CPU, the one that trapped). */
            v->arch->hv_tsc += rdtsc() - p->hv_t0;
            return;
        }
        /* Idle.  Interrupts are taken inside safe_halt on this stack,
         * below f; a kick or a tick brings us back to look again.  The
         * wait is nobody's cost. */
        safe_halt();
        p->hv_t0 = rdtsc();
    }
}

static void idle_body(struct pcpu *p)
{
    struct trap_frame *f = (struct trap_frame *)(pcpu_stacks[p->id] + STACK_SIZE) - 1;
    pv_exit_to_guest(p, f);
    enter_frame(f);
}

/* A CPU with nothing loaded: wait for a vCPU and enter it.  The guest
 * frame lives at the top of the stack (where TSS.RSP0 points), so the
 * wait runs on the stack below it. */
_Noreturn void pv_idle_loop(struct pcpu *p)
{
    struct trap_frame *f = (struct trap_frame *)(pcpu_stacks[p->id] + STACK_SIZE) - 1;
    p->sched.curr = NULL;
    p->hv_t0 = rdtsc();
    call_on_stack(p, (uint64_t)f - 16, idle_body);
}
