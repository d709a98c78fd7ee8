/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vCPU scheduling: one global FIFO run queue shared by all physical
 * CPUs, so a vCPU runs wherever a CPU is free (that is how vCPUs
 * migrate).  The core decides who runs; the arch's exit path saves and
 * loads the vCPU state around sched_pick() (arch/x86_64/pv/exit.c).
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <kmvlib.h>

#define TICK_HZ      1000
#define SLICE_TICKS  5      /* a vCPU runs at most 5 ms while others wait */

/* Intrusive FIFO; pure data structure, unit-tested on the host. */
struct runq_link {
    struct runq_link *next;
    bool queued;
};
struct runq {
    struct runq_link *head, *tail;
    unsigned len;
};

void runq_init(struct runq *q);
void runq_push(struct runq *q, struct runq_link *l);   /* at the tail; no-op if queued */
struct runq_link *runq_pop(struct runq *q);           /* from the head, or NULL */
bool runq_remove(struct runq *q, struct runq_link *l); /* false if not queued */

struct vcpu;

/* The scheduler's view of one physical CPU (embedded in the arch's). */
struct sched_cpu {
    unsigned id;                 /* dense, 0 .. nr_cpus - 1 */
    volatile bool online;
    struct vcpu *curr;           /* the vCPU whose state is loaded, or NULL (idle) */
    uint64_t ticks;
    uint64_t slice_start_tick;
    volatile bool need_resched;
};

/* An empty run queue and no CPUs (a new machine; host tests start over). */
void sched_reset(void);
/* The arch registers each CPU as it comes up. */
void sched_register_cpu(struct sched_cpu *c);
/* Who runs next on c, after c->curr (whose state the arch has saved):
 * c->curr itself, another vCPU, or NULL to idle.  Carries out the
 * running vCPU's block / yield / down requests. */
struct vcpu *sched_pick(struct sched_cpu *c);
/* The 1 kHz tick of c: time slices (guest timers: vtimer_tick). */
void sched_tick(struct sched_cpu *c);
void vcpu_wake(struct vcpu *v);
/* Requests of the running vCPU: recorded now, done at its exit. */
void vcpu_block(struct vcpu *v);
void vcpu_yield(struct vcpu *v);
void vcpu_sleep(struct vcpu *v);
void vcpu_up(struct vcpu *v);
/* A new vCPU's runstate: offline since now. */
void vcpu_runstate_init(struct vcpu *v);
void kick_vcpu(struct vcpu *v);

#endif
