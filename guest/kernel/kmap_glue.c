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

unsigned long kmap_hook_irq_save(void) { return local_irq_save(); }
void kmap_hook_irq_restore(unsigned long flags) { local_irq_restore(flags); }
struct kmap_local_cpu *kmap_hook_this_cpu(void) { return &this_cpu()->kmap; }

struct kmap_local_task *kmap_hook_current_task(void)
{
    struct task *t = current_task();
    if (!t || t->in_irq || t == this_cpu()->idle)
        return NULL;
    return &t->kmap;
}

void *kmap_hook_lowmem_addr(uint32_t pfn)
{
    return pfn < plat.lowmem_pages ? (void *)(plat.virt_base + pfn * PAGE_SIZE) : NULL;
}

void kmap_hook_report(const char *msg)
{
    if (kmap_report_handler) {
        kmap_report_handler(msg);
        return;
    }
    guest_panic("%s", msg);
}

uintptr_t kmap_hook_window_base(void) { return plat.window_base; }
unsigned kmap_hook_slot_stride(void) { return plat.window_stride; }
unsigned kmap_hook_nr_slots(void) { return plat.window_slots; }
