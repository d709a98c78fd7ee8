/* SPDX-License-Identifier: GPL-2.0-only */
/* The mini guest's side of the kmap_local library: its hooks, and the
 * interrupt-context bookkeeping and preemption point they rely on. */
#include "sched.h"
#include <kmap_local_hooks.h>

static volatile unsigned early_irq_depth[MAX_CPUS]; /* before tasks exist */
void (*kmap_report_handler)(const char *msg);

void irq_enter(void)
{
    struct task *t = current_task();
    if (t)
        t->in_irq++;
    else
        early_irq_depth[smp_processor_id()]++;
}

void irq_leave(void)
{
    struct task *t = current_task();
    if (t)
        t->in_irq--;
    else
        early_irq_depth[smp_processor_id()]--;
}

/* The end of an event upcall: the preemption point. */
void irq_exit_hook(struct irq_frame *f)
{
    (void)f;
    struct task *t = current_task();
    if (!t || t->in_irq)
        return; /* nested in another handler: the outer one decides */
    struct cpu *c = this_cpu();
    if (c->need_resched && c->preempt_count == 0 && c->curr) {
        c->preemptions++;
        schedule();
    }
}

static unsigned long irq_save(void) { return local_irq_save(); }
static void irq_restore(unsigned long flags) { local_irq_restore(flags); }
static struct kmap_local_cpu *kmap_this_cpu(void) { return &this_cpu()->kmap; }

static struct kmap_local_task *kmap_current_task(void)
{
    struct task *t = current_task();
    if (!t || t->in_irq || t == this_cpu()->idle)
        return NULL;
    return &t->kmap;
}

static void *lowmem_addr(uint32_t pfn)
{
    return pfn < plat.lowmem_pages ? (void *)(plat.virt_base + pfn * PAGE_SIZE) : NULL;
}

static unsigned cpu_id(void) { return smp_processor_id(); }

static void report(const char *msg)
{
    if (kmap_report_handler) {
        kmap_report_handler(msg);
        return;
    }
    guest_panic("%s", msg);
}

/* The library's view of this kernel (the window from the platform). */
const struct kmap_local_kernel *kmap_kernel(void)
{
    static struct kmap_local_kernel k = {
        .irq_save = irq_save, .irq_restore = irq_restore, .cpu_stack = kmap_this_cpu,
        .task_list = kmap_current_task, .lowmem_addr = lowmem_addr, .report = report, .cpu_id = cpu_id,
    };
    k.window_base = plat.window_base;
    k.slot_stride = plat.window_stride;
    k.nr_slots = plat.window_slots;
    k.cpu_span = plat.window_cpu_span;
    k.nr_cpus = plat.nr_cpus;
    return &k;
}
