/* Bringing every vCPU into the scheduler with its timer and IPI events,
 * and choosing the kmap_local backend. */
#include "workload.h"
#include "../../guest-patches/backends/kmap_backends.h"

static void (*tick_fn)(struct cpu *c);
void workload_ipi_hook(void);

static void timer_event(unsigned port, struct irq_frame *f)
{
    (void)port;
    (void)f;
    struct cpu *c = this_cpu();
    c->ticks++;
    timer_arm_in(tick_ns);
    if (tick_fn)
        tick_fn(c);
    c->need_resched = true; /* one tick is a time slice */
}

static void ipi_event(unsigned port, struct irq_frame *f)
{
    (void)port;
    (void)f;
    workload_ipi_hook();
    this_cpu()->need_resched = true;
}

static void cpu_online(void)
{
    unsigned id = smp_processor_id();
    struct cpu *c = &cpus[id];
    sched_init_cpu(id, NULL);
    c->timer_port = bind_timer_virq(id);
    event_bind(c->timer_port, timer_event);
    event_unmask(c->timer_port);
    event_bind(c->ipi_port, ipi_event);
    event_unmask(c->ipi_port);
    local_irq_enable();
    timer_arm_in(tick_ns);
}

static void secondary_cpu(void)
{
    cpu_online();
    cpu_idle_loop();
}

_Noreturn void workload_start_cpus(void (*per_cpu_tick)(struct cpu *c))
{
    tick_fn = per_cpu_tick;
    /* IPI ports first, so that every vCPU can be signalled once up. */
    for (unsigned i = 0; i < nr_cpus; i++)
        cpus[i].ipi_port = bind_ipi(i);
    for (unsigned i = 0; i < nr_cpus; i++)
        event_bind_cpu(cpus[i].ipi_port, i, ipi_event);
    smp_boot_secondaries(secondary_cpu);
    cpu_online();
    cpu_idle_loop();
}

void kmap_select_backend(const char *name, bool batched)
{
    const struct kmap_local_backend *b = &kmap_backend_pv;
    if (!strncmp(name, "xen", 4))
        b = &kmap_backend_xen;
    else if (strncmp(name, "pv", 3))
        guest_panic("unknown kmap backend '%s' (pv or xen)", name);
    if (batched && !b->replay)
        guest_panic("the %s backend has no batched replay", b->name);
    kmap_local_init(b, batched);
    sched_set_batched(batched);
}
