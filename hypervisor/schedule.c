/*
 * The scheduler: vCPUs on physical CPUs.  One run queue under one lock;
 * every CPU takes the head when its vCPU blocks, yields or uses up its
 * slice, so vCPUs migrate freely.  All state changes of a vCPU that is
 * running happen here, in the exit path of its own CPU, after its
 * registers are final: another CPU can pick a vCPU up the moment it is
 * queued, and must find its state complete.
 */
#include "domain.h"
#include "../arch/x86_64/arch.h"
#include "../arch/x86_64/guest.h"

static spinlock_t sched_lock;
static struct runq runq;

#define vcpu_of(link) ((struct vcpu *)((char *)(link) - __builtin_offsetof(struct vcpu, rq)))

/* Wake every idle CPU but this one: one of them takes the new work. */
static void kick_idle_pcpus(void)
{
    struct pcpu *self = this_pcpu();
    for (unsigned i = 0; i < nr_pcpus; i++)
        if (&pcpus[i] != self && pcpus[i].online && !READ_ONCE(pcpus[i].curr))
            kick_pcpu(&pcpus[i]);
}

void kick_vcpu(struct vcpu *v)
{
    struct pcpu *p = READ_ONCE(v->running_on);
    if (p)
        kick_pcpu(p);
}

void vcpu_wake(struct vcpu *v)
{
    bool queued = false;
    spin_lock(&sched_lock);
    if (v->state == VCPU_BLOCKED || (v->state == VCPU_DOWN && v->initialised && v->want_up)) {
        v->state = VCPU_RUNNABLE;
        v->want_up = false;
        runq_push(&runq, &v->rq);
        queued = true;
    }
    spin_unlock(&sched_lock);
    if (queued)
        kick_idle_pcpus();
    else
        kick_vcpu(v);
}

/* The running vCPU asks to block (SCHEDOP_block): done at exit. */
void vcpu_block(struct vcpu *v) { v->want_block = true; }
void vcpu_yield(struct vcpu *v) { v->want_yield = true; }
void vcpu_sleep(struct vcpu *v) { v->want_down = true; }

/* Under sched_lock: what prev (running on p) does next. */
static bool prev_keeps_cpu(struct pcpu *p, struct vcpu *prev)
{
    if (prev->want_down) {
        prev->want_down = false;
        prev->state = VCPU_DOWN;
        return false;
    }
    if (prev->want_block) {
        prev->want_block = false;
        /* An event that arrived since the guest decided to block must
         * not be slept through. */
        if (!evtchn_upcall_deliverable(&prev->d->evtchn, prev->id)) {
            prev->state = VCPU_BLOCKED;
            return false;
        }
    }
    bool yield = prev->want_yield || p->need_resched;
    prev->want_yield = false;
    if (yield && runq.len) {
        prev->state = VCPU_RUNNABLE;
        runq_push(&runq, &prev->rq);
        return false;
    }
    return true;
}

static struct vcpu *schedule(struct pcpu *p)
{
    struct vcpu *prev = p->curr, *next = NULL;
    if (prev)
        vcpu_save(p, prev); /* before anyone else can pick it up */
    spin_lock(&sched_lock);
    if (prev && prev->state == VCPU_RUNNING && prev_keeps_cpu(p, prev)) {
        next = prev;
    } else {
        if (prev)
            prev->running_on = NULL;
        struct runq_link *l = runq_pop(&runq);
        if (l) {
            next = vcpu_of(l);
            next->state = VCPU_RUNNING;
            next->running_on = p;
        }
        p->slice_start_tick = p->ticks;
    }
    p->need_resched = false;
    WRITE_ONCE(p->curr, next);
    spin_unlock(&sched_lock);
    return next;
}

void sched_exit_to_guest(struct pcpu *p, struct trap_frame *f)
{
    for (;;) {
        struct vcpu *v = schedule(p);
        if (v) {
            vcpu_load(p, v);
            if (evtchn_upcall_deliverable(&v->d->evtchn, v->id))
                guest_deliver_upcall(v);
            *f = v->regs;
            return;
        }
        /* Idle.  Interrupts are taken inside safe_halt on this stack,
         * below f; a kick or a tick brings us back to look again. */
        safe_halt();
    }
}

static void idle_body(struct pcpu *p)
{
    struct trap_frame *f = (struct trap_frame *)(pcpu_stacks[p->id] + STACK_SIZE) - 1;
    sched_exit_to_guest(p, f);
    enter_frame(f);
}

/* A CPU with nothing loaded: wait for a vCPU and enter it.  The guest
 * frame lives at the top of the stack (where TSS.RSP0 points), so the
 * wait runs on the stack below it. */
_Noreturn void sched_idle_loop(struct pcpu *p)
{
    struct trap_frame *f = (struct trap_frame *)(pcpu_stacks[p->id] + STACK_SIZE) - 1;
    p->curr = NULL;
    call_on_stack(p, (uint64_t)f - 16, idle_body);
}

void sched_tick(struct pcpu *p)
{
    p->ticks++;
    struct domain *d = dom0;
    if (d && !d->dying) {
        uint64_t now = now_ns();
        for (unsigned i = 0; i < d->nr_vcpus; i++) {
            struct vcpu *v = &d->vcpu[i];
            uint64_t dl = READ_ONCE(v->timer_deadline);
            /* Several CPUs tick: the exchange makes exactly one fire it. */
            if (dl && now >= dl && __atomic_compare_exchange_n(&v->timer_deadline, &dl, 0, false,
                                                               __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
                vcpu_send_virq(v, VIRQ_TIMER);
        }
    }
    if (p->curr && p->ticks - p->slice_start_tick >= SLICE_TICKS && READ_ONCE(runq.len))
        p->need_resched = true;
}

void vcpu_up(struct vcpu *v)
{
    v->want_up = true;
    vcpu_wake(v);
}
