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
#include "hypervisor/window_ops.h"
#include "kmap_env.h"
#include "kmap_op.h"

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

/* DR6 as the #DB left it; cleared for the next one (the CPU never clears it). */
static uint32_t take_dr6(void)
{
    uint64_t dr6;
    __asm__ volatile("mov %%db6, %0" : "=r"(dr6));
    __asm__ volatile("mov %0, %%db6" : : "r"((uint64_t)0xffff0ff0));
    return (uint32_t)dr6;
}

/*
 * A #DB taken in ring 0.  The hypervisor sets no breakpoints of its own
 * and never single-steps itself, so this is the guest's doing: its debug
 * registers stay armed while the hypervisor runs (context.c loads them
 * with the vCPU), and either the hypervisor touched a watched guest
 * address, or a guest `mov %ss` / `pop %ss` that read a watched address
 * left its #DB pending across the interrupt shadow into the ring-0 entry
 * of the next instruction (a hypercall, or the fault of the load itself:
 * XSA-260's class), where it arrives before the entry's first instruction.
 * As Xen's do_debug: the causes join the vCPU's DR6 for get_debugreg,
 * nothing is delivered, and the hypervisor carries on where it was.
 *
 * Handled here rather than avoided by clearing DR7 on every entry: the
 * pending #DB is delivered before any entry code could clear DR7, so the
 * handler is needed anyway, and a DR7 write on every hypercall and
 * interrupt would put a serialising instruction on the fast paths.
 */
void pv_debug_in_hypervisor(struct pcpu *p, struct trap_frame *f)
{
    uint32_t dr6 = take_dr6();
    struct vcpu *v = p->sched.curr; /* whose DR7 is loaded on this CPU */
    if (v)
        v->arch->dr[6] |= (dr6 & 0xe00fu) | 0xffff0ff0u; /* B0-3, BD, BS, BT; sticky, as the CPU's */
    /* RF: an instruction breakpoint (a fault) must not fire again on the
     * same instruction; TF: no single-step of the hypervisor (it cannot
     * be set in a ring-0 frame, since int and exceptions clear it). */
    f->rflags = (f->rflags | X86_EFLAGS_RF) & ~(uint64_t)X86_EFLAGS_TF;
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
    if (vec == 1) {
        /* The guest's #DB: it learns why from its DR6 (get_debugreg). */
        v->arch->dr[6] = take_dr6();
    }
    if (vec == 6 && pv_emulate_ud(v))
        return; /* Xen's forced-emulation prefix: emulated, not the guest's #UD */
    uint32_t error = (uint32_t)f->error_code;
    if (vec == 13 && pv_soft_interrupt(v, &error))
        return; /* int $n to a handler the guest opened to its caller */
    if (vec == 13 && error == 0 && pv_emulate_privileged(v))
        return; /* a control-register access Xen permits */
    bool has_err = vec == 8 || (vec >= 10 && vec <= 14) || vec == 17;
    if (vec == 14) {
        uint32_t cr2 = (uint32_t)read_cr2();
        if (pv_ptwr_emulate(v, cr2, error) != PTWR_REFUSED)
            return; /* a direct write to an L1 entry, emulated (ptwr.c), or retried */
        v->info->arch.cr2 = cr2;
    }
    if (guest_bounce(v, vec, has_err, error))
        return;
    if (vec == 14)
        domain_crash(v, "unhandled %s at eip %#x (cr2 %#x, error %#x): no handler in the trap table",
                     exception_name(vec), (uint32_t)f->rip, v->info->arch.cr2, (uint32_t)f->error_code);
    domain_crash(v, "unhandled %s (vector %u, error %#x) at eip %#x: no handler in the trap table",
                 exception_name(vec), vec, error, (uint32_t)f->rip);
}

void pv_exit_to_guest(struct pcpu *p, struct trap_frame *f)
{
    for (;;) {
        struct vcpu *prev = p->sched.curr;
        if (prev)
            vcpu_save(p, prev); /* before sched_pick lets another CPU take it */
        struct vcpu *v = sched_pick(&p->sched);
        pv_vcpu_switch(prev, v); /* runstate.c: time info and runstate areas */
        if (v) {
            vcpu_load(p, v);
            if (evtchn_upcall_deliverable(&v->d->evtchn, v->id))
                guest_deliver_upcall(v);
            *f = v->arch->regs;
            /* The hypervisor's accounting (KMAPOP_stats hv_tsc): the
             * time since trap_entry read the TSC, charged to the vCPU
             * entered (on one vCPU per CPU, the one that trapped). */
            v->arch->hv_tsc += (uint32_t)(rdtsc_lo() - p->hv_t0);
            return;
        }
        /* Idle.  Interrupts are taken inside safe_halt on this stack,
         * below f; a kick or a tick brings us back to look again.  The
         * wait is nobody's cost. */
        safe_halt();
        p->hv_t0 = rdtsc_lo();
    }
}

/*
 * The fast path of a window hypercall: kmap_op's push, pop, install,
 * install_list and switch, and update_va_mapping of a window address,
 * with the same handlers and every check, as hypercall_dispatch (every
 * other command, and every call under the single-step test mode or the
 * stop policy, takes the full path).  What it skips is the exit path's work
 * when that work would change nothing: the handlers read their arguments
 * and write eax only, so the frame on the stack is already the guest's
 * state; they never block, yield or send an event, so sched_pick would
 * keep this vCPU; the vCPU stays loaded here, so vcpu_load would load
 * the same CR3-less nothing and the same data selectors back.  Whenever
 * one of those holds no longer after the call (a request to yield,
 * block or go down, a reschedule, a deliverable upcall, another vCPU
 * loaded here), it saves the frame and takes the full exit path.
 * Returns false, having done nothing, for every other call.
 */
static inline __attribute__((always_inline)) bool pv_fast_hypercall(struct pcpu *p, struct trap_frame *f)
{
    struct vcpu *v = p->sched.curr;
    uint32_t nr = (uint32_t)f->rax;
    /* The single-step test mode and a stop policy (whose diagnostic
     * dumps the saved registers) take the full path. */
    if ((nr != KMV_HYPERVISOR_kmap_op && nr != __HYPERVISOR_update_va_mapping) ||
        (v->win.flags & (KMAP_WIN_SSTEP | KMAP_WIN_STOP)))
        return false;
    /* The window's update_va_mapping, and kmap_op's one decoder
     * (kmap_op.h) with fast set: the window commands only. */
    struct kmap_window *w = &v->win;
    /* v->kenv's callbacks, named so that the compiler inlines them. */
    const struct kmap_env env = PV_KMAP_ENV(v);
    long r;
    if (nr == __HYPERVISOR_update_va_mapping) {
        /* Window addresses only; any other is the PV MMU's (slow path). */
        if (!kw_va_in_window(w, (uint32_t)f->rbx))
            return false;
        r = pv_window_update_va_mapping(v, (uint32_t)f->rbx, (uint32_t)f->rcx | (uint64_t)(uint32_t)f->rdx << 32);
    } else {
        r = kmap_op_decode(v, &env, kmap_arg_frame, f, true);
        if (r == KMAP_OP_NOT_FAST)
            return false;
    }
    pv_count_hypercall(v, nr);
    f->rax = (uint32_t)r;
    /* What sched_pick and vcpu_load would act on.  This vCPU is this
     * CPU's current one, so it is RUNNING and loaded here (last_loaded,
     * last_pcpu): vcpu_load would write neither CR3 nor new selectors.
     * The requests (want_*) and need_resched are set by other paths
     * (sched_op, vcpu_op, the tick; another CPU's request comes with a
     * kick, taken as an interrupt right after the iretq); an upcall
     * made deliverable by the guest itself must be delivered now.  A
     * TLB flush another vCPU asks for (tlb.c) comes with a kick too: the
     * interrupt is taken before the guest's first instruction after the
     * iretq, and its exit path's vcpu_load flushes. */
    if (unlikely(v->want_down || v->want_block || v->want_yield || p->sched.need_resched ||
                 evtchn_upcall_deliverable(&v->d->evtchn, v->id))) {
        v->arch->regs = *f;
        pv_exit_to_guest(p, f);
        return true;
    }
    v->arch->hv_tsc += (uint32_t)(rdtsc_lo() - p->hv_t0);
    return true;
}

/* int $0x82 from a guest (entry.S): the fast path, else trap_entry's. */
void pv_hypercall_entry(struct trap_frame *f)
{
    uint32_t t0 = rdtsc_lo();
    struct pcpu *p = this_pcpu();
    if (likely(!probe_active)) {
        p->hv_t0 = t0;
        if (pv_fast_hypercall(p, f))
            return;
    }
    trap_dispatch(f, t0);
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
    p->hv_t0 = rdtsc_lo();
    call_on_stack(p, (uint64_t)f - 16, idle_body);
}
