/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scheduler: vCPUs on physical CPUs.  One run queue under one lock;
 * every CPU takes the head when its vCPU blocks, yields or uses up its
 * slice, so vCPUs migrate freely.  All state changes of a vCPU that is
 * running happen in sched_pick(), called from the exit path of its own
 * CPU after its registers are saved: another CPU can pick a vCPU up the
 * moment it is queued, and must find its state complete.
 */
#include "domain.h"
#include <xen/vcpu.h>

static spinlock_t sched_lock;
static struct runq runq;
static struct sched_cpu *cpus[KMV_MAX_PCPUS];
static unsigned nr_cpus;

void sched_reset(void)
{
    runq_init(&runq);
    nr_cpus = 0;
}

/* Under sched_lock (or before the vCPU can run): v enters runstate rs
 * now; the time since its last change goes to the state it leaves. */
static void runstate_change(struct vcpu *v, int rs)
{
    struct vcpu_runstate *r = &v->runstate;
    uint64_t now = platform->now_ns();
    __atomic_store_n(&r->seq, r->seq + 1, __ATOMIC_SEQ_CST); /* odd */
    if (now > r->state_entry_time)
        r->time[r->state & 3] += now - r->state_entry_time;
    r->state = rs;
    r->state_entry_time = now;
    __atomic_store_n(&r->seq, r->seq + 1, __ATOMIC_SEQ_CST); /* even */
}

void vcpu_runstate_init(struct vcpu *v)
{
    v->runstate = (struct vcpu_runstate){ .state = RUNSTATE_offline, .state_entry_time = platform->now_ns() };
}

void vcpu_runstate_get(const struct vcpu *v, struct vcpu_runstate *out, bool to_now)
{
    const struct vcpu_runstate *r = &v->runstate;
    for (;;) {
        uint32_t seq = __atomic_load_n(&r->seq, __ATOMIC_SEQ_CST);
        if (seq & 1) {
            cpu_relax();
            continue;
        }
        out->state = READ_ONCE(r->state);
        out->state_entry_time = READ_ONCE(r->state_entry_time);
        for (unsigned i = 0; i < 4; i++)
            out->time[i] = READ_ONCE(r->time[i]);
        if (__atomic_load_n(&r->seq, __ATOMIC_SEQ_CST) == seq) {
            out->seq = seq;
            break;
        }
    }
    if (to_now) {
        uint64_t now = platform->now_ns();
        if (now > out->state_entry_time)
            out->time[out->state & 3] += now - out->state_entry_time;
    }
}

void sched_register_cpu(struct sched_cpu *c)
{
    spin_lock(&sched_lock);
    if (nr_cpus < ARRAY_SIZE(cpus))
        cpus[nr_cpus++] = c;
    spin_unlock(&sched_lock);
}

/* Wake every idle CPU (the platform skips the caller's): one of them
 * takes the new work. */
static void kick_idle_cpus(void)
{
    for (unsigned i = 0; i < READ_ONCE(nr_cpus); i++)
        if (cpus[i]->online && !READ_ONCE(cpus[i]->curr))
            platform->kick_cpu(cpus[i]->id);
}

void kick_vcpu(struct vcpu *v)
{
    struct sched_cpu *c = READ_ONCE(v->running_on);
    if (c)
        platform->kick_cpu(c->id);
}

void vcpu_wake(struct vcpu *v)
{
    bool queued = false;
    spin_lock(&sched_lock);
    if (v->state == VCPU_BLOCKED || (v->state == VCPU_DOWN && v->initialised && v->want_up)) {
        v->state = VCPU_RUNNABLE;
        runstate_change(v, RUNSTATE_runnable);
        v->want_up = false;
        runq_push(&runq, &v->rq);
        queued = true;
    }
    spin_unlock(&sched_lock);
    if (queued)
        kick_idle_cpus();
    else
        kick_vcpu(v);
}

void vcpu_block(struct vcpu *v) { v->want_block = true; }
void vcpu_yield(struct vcpu *v) { v->want_yield = true; }
void vcpu_sleep(struct vcpu *v) { v->want_down = true; }

void vcpu_up(struct vcpu *v)
{
    v->want_up = true;
    vcpu_wake(v);
}

/* Under sched_lock: does prev (running on c) keep the CPU? */
static bool prev_keeps_cpu(struct sched_cpu *c, struct vcpu *prev)
{
    if (prev->want_down) {
        prev->want_down = false;
        prev->state = VCPU_DOWN;
        runstate_change(prev, RUNSTATE_offline);
        return false;
    }
    if (prev->want_block) {
        prev->want_block = false;
        /* An event that arrived since the guest decided to block must
         * not be slept through. */
        if (!evtchn_upcall_deliverable(&prev->d->evtchn, prev->id)) {
            prev->state = VCPU_BLOCKED;
            runstate_change(prev, RUNSTATE_blocked);
            return false;
        }
    }
    bool yield = prev->want_yield || c->need_resched;
    prev->want_yield = false;
    if (yield && runq.len) {
        prev->state = VCPU_RUNNABLE;
        runstate_change(prev, RUNSTATE_runnable);
        runq_push(&runq, &prev->rq);
        return false;
    }
    return true;
}

struct vcpu *sched_pick(struct sched_cpu *c)
{
    struct vcpu *prev = c->curr, *next = NULL;
    spin_lock(&sched_lock);
    if (prev && prev->state == VCPU_RUNNING && prev_keeps_cpu(c, prev)) {
        next = prev;
    } else {
        if (prev)
            prev->running_on = NULL;
        struct runq_link *l = runq_pop(&runq);
        if (l) {
            next = container_of(l, struct vcpu, rq);
            next->state = VCPU_RUNNING;
            runstate_change(next, RUNSTATE_running);
            next->running_on = c;
        }
        c->slice_start_tick = c->ticks;
    }
    c->need_resched = false;
    WRITE_ONCE(c->curr, next);
    spin_unlock(&sched_lock);
    return next;
}

void sched_tick(struct sched_cpu *c)
{
    c->ticks++;
    if (c->curr && c->ticks - c->slice_start_tick >= SLICE_TICKS && READ_ONCE(runq.len))
        c->need_resched = true;
}
