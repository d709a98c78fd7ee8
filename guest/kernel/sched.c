/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Preemptive round-robin scheduling of kernel threads, one task list per
 * vCPU, with migration between vCPUs.  This is where kmap_local's
 * scheduler-time slot replay happens: the outgoing task's mappings are
 * popped and the incoming task's pushed, with events enabled, so timer
 * and IPI handlers can (and do) map pages in the middle of it.
 */
#include "sched.h"

struct cpu cpus[MAX_CPUS];
unsigned long tick_ns = 2000000;
static bool batched;
static unsigned next_task_id;

struct task *switch_to(struct task *prev, struct task *next);
extern char task_start[];

void sched_set_batched(bool b) { batched = b; }

static void list_add(struct cpu *c, struct task *t)
{
    if (!c->tasks) {
        t->next = t;
        c->tasks = t;
    } else {
        t->next = c->tasks->next;
        c->tasks->next = t;
    }
    c->nr_tasks++;
    t->cpu = c;
}

static void list_del(struct cpu *c, struct task *t)
{
    struct task *p = c->tasks;
    while (p->next != t)
        p = p->next;
    p->next = t->next;
    if (c->tasks == t)
        c->tasks = t->next == t ? NULL : t->next;
    c->nr_tasks--;
}

static uint8_t task_stacks[64][STACK_SIZE] __attribute__((aligned(STACK_SIZE)));
static struct task task_pool[64];

struct task *task_create(unsigned cpu, void (*fn)(void *), void *arg)
{
    unsigned id = __atomic_fetch_add(&next_task_id, 1, __ATOMIC_SEQ_CST);
    if (id >= ARRAY_SIZE(task_pool))
        guest_panic("too many tasks");
    struct task *t = &task_pool[id];
    memset(t, 0, sizeof(*t));
    t->id = id;
    t->stack = task_stacks[id];
    t->fn = fn;
    t->arg = arg;
    struct thread_info *ti = (struct thread_info *)t->stack;
    ti->cpu = cpu;
    ti->task = t;
    /* switch_to pops edi, esi, ebx, ebp and returns to task_start. */
    uint32_t *sp = (uint32_t *)(t->stack + STACK_SIZE);
    *--sp = 0;
    *--sp = (uint32_t)task_start;
    for (int i = 0; i < 4; i++)
        *--sp = 0;
    t->esp = (uint32_t)sp;
    struct cpu *c = &cpus[cpu];
    unsigned long flags = local_irq_save();
    spin_lock(&c->lock);
    t->state = TASK_RUNNABLE;
    list_add(c, t);
    spin_unlock(&c->lock);
    local_irq_restore(flags);
    return t;
}

/* Under c->lock: the next task to run after prev. */
static struct task *pick_next(struct cpu *c, struct task *prev)
{
    uint64_t now = system_time_ns();
    struct task *start = (prev && prev->cpu == c && prev != c->idle) ? prev->next : c->tasks;
    struct task *t = start;
    if (!t)
        return c->idle;
    do {
        if (t->state == TASK_SLEEPING && now >= t->wake_at)
            t->state = TASK_RUNNABLE;
        if (t->state == TASK_RUNNABLE && (!t->on_cpu || t == prev))
            return t;
        t = t->next;
    } while (t != start);
    return prev && prev->state == TASK_RUNNABLE && prev->cpu == c ? prev : c->idle;
}

/* The second half of a switch, in the task that now runs. */
/* The single-step test mode steps the whole switch path (docs/replay-proof.md). */
static inline void sstep(unsigned begin)
{
    plat_sstep(begin);
}

static void finish_switch(struct task *last)
{
    struct cpu *c = this_cpu();
    WRITE_ONCE(last->on_cpu, false);
#ifdef KMAP_BROKEN_REPLAY
    if (0) {
#else
    if (!batched) {
#endif
        /* Events on: an interrupt may push and pop between any two
         * pushes of the replay. */
        local_irq_restore(0);
        kmap_local_sched_in(&c->curr->kmap);
        local_irq_disable();
    }
    sstep(0);
}

void schedule(void)
{
    unsigned long flags = local_irq_save();
    struct cpu *c = this_cpu();
    struct task *prev = c->curr;
    c->preempt_count++;
    spin_lock(&c->lock);
    struct task *next = pick_next(c, prev);
    if (next != prev) {
        next->on_cpu = true;
        c->curr = next;
        ((struct thread_info *)next->stack)->cpu = c->id; /* it may have migrated here */
    }
    c->need_resched = false;
    spin_unlock(&c->lock);
    if (next == prev) {
        c->preempt_count--;
        local_irq_restore(flags);
        return;
    }
    c->switches++;
    sstep(1);
    if (batched) {
        kmap_local_sched_switch(&prev->kmap, &next->kmap); /* one trap, events masked */
    } else {
        local_irq_restore(0);
#ifdef KMAP_BROKEN_REPLAY
        /* Test fixture, never in a real build: the incoming task's
         * entries are pushed before the outgoing ones are popped, so the
         * pops take the wrong entries. */
        kmap_local_sched_in(&next->kmap);
#endif
        kmap_local_sched_out(&prev->kmap);
        local_irq_disable();
    }
    struct task *last = switch_to(prev, next);
    /* Now running as whichever task was switched back in, maybe on
     * another vCPU than the one it left. */
    finish_switch(last);
    this_cpu()->preempt_count--;
    local_irq_restore(flags);
}

/* A new task's first instructions (from task_start). */
void task_trampoline(struct task *last);
void task_trampoline(struct task *last)
{
    finish_switch(last);
    this_cpu()->preempt_count--;
    local_irq_enable();
    struct task *t = current_task();
    t->fn(t->arg);
    task_exit();
}

void sched_yield(void)
{
    schedule();
}

void sleep_ns(uint64_t ns)
{
    struct task *t = current_task();
    unsigned long flags = local_irq_save();
    t->wake_at = system_time_ns() + ns;
    t->state = TASK_SLEEPING;
    local_irq_restore(flags);
    schedule();
}

_Noreturn void task_exit(void)
{
    struct task *t = current_task();
    if (!kmap_local_task_check_idle(&t->kmap, "exits"))
        while (t->kmap.nr) /* reported; now give the slots back */
            kunmap_local((void *)kmap_local_slot_addr(this_cpu()->kmap.idx - 1));
    local_irq_disable();
    struct cpu *c = this_cpu();
    spin_lock(&c->lock);
    t->state = TASK_DEAD;
    list_del(c, t);
    spin_unlock(&c->lock);
    schedule();
    guest_panic("a dead task ran again");
}

struct task *sched_migrate_one(unsigned to)
{
    struct cpu *c = this_cpu(), *dst = &cpus[to];
    if (dst == c)
        return NULL;
    unsigned long flags = local_irq_save();
    spin_lock(&c->lock);
    struct task *t = c->tasks, *found = NULL;
    if (t && c->nr_tasks > 1)
        do {
            /* Prefer a task that holds live mappings: that is the case
             * that same-address windows make safe.  With per-vCPU slices
             * of one area (guest/pv/slots.c) its addresses are those of
             * this vCPU's slice: it stays (Linux's migrate_disable() in
             * kmap_local). */
            if (t != c->curr && !t->on_cpu && t->state == TASK_RUNNABLE && (!found || t->kmap.nr > found->kmap.nr)
                && !(plat.window_cpu_span && t->kmap.nr))
                found = t;
            t = t->next;
        } while (t != c->tasks);
    if (found)
        list_del(c, found);
    spin_unlock(&c->lock);
    if (found) {
        spin_lock(&dst->lock);
        list_add(dst, found);
        spin_unlock(&dst->lock);
        found->migrations++;
    }
    local_irq_restore(flags);
    return found;
}

static struct task idle_tasks[MAX_CPUS];

void sched_init_cpu(unsigned cpu)
{
    struct cpu *c = &cpus[cpu];
    c->id = cpu;
    struct task *idle = &idle_tasks[cpu];
    idle->id = 1000 + cpu;
    idle->stack = (uint8_t *)current_thread_info();
    idle->state = TASK_RUNNABLE;
    idle->on_cpu = true;
    idle->cpu = c;
    current_thread_info()->task = idle;
    c->idle = idle;
    c->curr = idle;
}

_Noreturn void cpu_idle_loop(void)
{
    for (;;) {
        schedule();
        /* Nothing to run: sleep until an event (the tick, an IPI). */
        unsigned long flags = local_irq_save();
        if (!this_cpu()->need_resched)
            plat_idle(); /* enables interrupts while it waits */
        local_irq_restore(flags);
    }
}

unsigned long sched_total_migrations(void)
{
    unsigned long n = 0;
    for (unsigned i = 0; i < next_task_id && i < ARRAY_SIZE(task_pool); i++)
        n += task_pool[i].migrations;
    return n;
}

void cpu_set_thread_info(void *stack_base, unsigned cpu)
{
    struct thread_info *ti = stack_base;
    ti->cpu = cpu;
    ti->task = NULL;
}
