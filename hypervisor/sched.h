/* vCPU scheduling: one global FIFO run queue shared by all physical CPUs,
 * so a vCPU runs wherever a CPU is free (that is how vCPUs migrate). */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include "lib.h"

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

#ifndef KMV_HOSTED
struct vcpu;
struct pcpu;
struct trap_frame;
_Noreturn void sched_idle_loop(struct pcpu *p);
void sched_exit_to_guest(struct pcpu *p, struct trap_frame *f);
void sched_tick(struct pcpu *p);
void vcpu_wake(struct vcpu *v);
void vcpu_block(struct vcpu *v);
void vcpu_yield(struct vcpu *v);
void vcpu_sleep(struct vcpu *v); /* take down: stops running at next exit */
void kick_vcpu(struct vcpu *v);
#endif

#endif
