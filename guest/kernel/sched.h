/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel threads and the preemptive per-CPU scheduler of the mini guest. */
#ifndef GUEST_SCHED_H
#define GUEST_SCHED_H

#include "kernel.h"
#include <kmap_local.h>

enum task_state { TASK_RUNNABLE, TASK_SLEEPING, TASK_BLOCKED, TASK_DEAD };

struct task {
    uint32_t esp;                 /* saved by switch_to */
    uint8_t *stack;               /* STACK_SIZE, thread_info at its base */
    unsigned id;
    struct cpu *cpu;              /* the run queue it is on */
    volatile int state;
    volatile bool on_cpu;         /* its stack is in use (until the switch away completes) */
    uint64_t wake_at;
    unsigned in_irq;              /* handlers running on this task's stack */
    struct task *next;            /* in cpu->tasks, circular */
    struct kmap_local_task kmap;  /* its live mappings: the replay list */
    void (*fn)(void *);
    void *arg;
    unsigned long migrations;
};

typedef struct { volatile int v; } spinlock_t;
static inline void spin_lock(spinlock_t *l)
{
    while (__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE))
        while (READ_ONCE(l->v))
            cpu_relax();
}
static inline void spin_unlock(spinlock_t *l) { __atomic_store_n(&l->v, 0, __ATOMIC_RELEASE); }

struct cpu {
    unsigned id;
    struct task *curr, *idle;
    struct task *tasks;           /* circular list of the tasks assigned here */
    unsigned nr_tasks;
    spinlock_t lock;
    volatile bool need_resched;
    unsigned preempt_count;
    unsigned long ticks, switches, preemptions;
    struct kmap_local_cpu kmap;
};

extern struct cpu cpus[MAX_CPUS];
static inline struct cpu *this_cpu(void) { return &cpus[smp_processor_id()]; }
static inline struct task *current_task(void) { return current_thread_info()->task; }

void sched_init_cpu(unsigned cpu);
struct task *task_create(unsigned cpu, void (*fn)(void *), void *arg);
void schedule(void);
void sched_yield(void);
void sleep_ns(uint64_t ns);
_Noreturn void task_exit(void);
_Noreturn void cpu_idle_loop(void);
/* Move one runnable task from this CPU to `to`; returns it or NULL. */
struct task *sched_migrate_one(unsigned to);
void sched_set_batched(bool batched);
unsigned long sched_total_migrations(void);
extern unsigned long tick_ns;

#endif
