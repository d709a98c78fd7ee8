/* SPDX-License-Identifier: GPL-2.0-only */
/* Bringing every CPU into the scheduler with its timer and IPI, and
 * choosing the kmap_local backend. */
#include "workload.h"

static void (*tick_fn)(struct cpu *c);
static void (*ipi_fn)(void);

static void timer_event(struct irq_frame *f)
{
    (void)f;
    struct cpu *c = this_cpu();
    c->ticks++;
    timer_arm_in(tick_ns);
    if (tick_fn)
        tick_fn(c);
    c->need_resched = true; /* one tick is a time slice */
}

static void ipi_event(struct irq_frame *f)
{
    (void)f;
    if (ipi_fn)
        ipi_fn();
    this_cpu()->need_resched = true;
}

static void cpu_online(void)
{
    unsigned id = smp_processor_id();
    sched_init_cpu(id);
    plat_bind_timer(timer_event);
    local_irq_enable();
    timer_arm_in(tick_ns);
}

static void secondary_cpu(void)
{
    cpu_online();
    cpu_idle_loop();
}

_Noreturn void workload_start_cpus(void (*per_cpu_tick)(struct cpu *c), void (*per_ipi)(void))
{
    tick_fn = per_cpu_tick;
    ipi_fn = per_ipi;
    for (unsigned i = 0; i < plat.nr_cpus; i++)
        plat_bind_ipi(i, ipi_event);
    plat_start_secondaries(secondary_cpu);
    cpu_online();
    cpu_idle_loop();
}

void kmap_select_backend(const char *name, bool batched)
{
    const struct kmap_local_backend *b = plat_kmap_backend(name);
    if (!b)
        guest_panic("kmap backend '%s' is not available on the %s platform", name, plat.name);
    if (batched && !b->replay)
        guest_panic("the %s backend has no batched replay", b->name);
    /* Both platforms are x86 with PAE page tables. */
    if (!kmap_local_init(kmap_kernel(), b, kmap_arch_find("x86-32-pae"), batched))
        guest_panic("kmap_local cannot use the %s backend here", b->name);
    sched_set_batched(batched);
}
