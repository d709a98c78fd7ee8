/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kmap_local library core.  See kmap_local.h for the rule.
 *
 * Every change to the per-CPU stack happens with interrupts masked, as a
 * unit: index, backend, and (in task context) the task's list.  Between
 * two such units interrupts may arrive; they find idx == the number of
 * live slots, push above it, and pop back to it before they return.
 */
#include "kmap_local.h"
#include "kmap_local_hooks.h"
#include <stdarg.h>
#include <stddef.h>

const struct kmap_local_backend *kmap_local_backend;
const struct kmap_arch *kmap_local_arch;
static const struct kmap_local_kernel *K;
static uintptr_t window_end; /* the end of every CPU's slots (kunmap_local's range check) */
bool kmap_local_batched_replay;

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

unsigned kmap_local_capacity(void)
{
    unsigned n = K->nr_slots / kmap_local_arch->colours;
    return n < KMAP_LOCAL_MAX ? n : KMAP_LOCAL_MAX;
}

bool kmap_local_init(const struct kmap_local_kernel *kernel, const struct kmap_local_backend *b,
                     const struct kmap_arch *arch, bool one_trap_replay)
{
    K = kernel;
    window_end = kernel->window_base +
                 (kernel->cpu_span ? kernel->cpu_span * kernel->nr_cpus : (uintptr_t)kernel->nr_slots * kernel->slot_stride);
    kmap_local_backend = b;
    kmap_local_arch = arch;
    kmap_local_batched_replay = one_trap_replay && b->replay;
    if (K->nr_slots / arch->colours > KMAP_LOCAL_MAX) {
        report("kmap_local: the window has %u slots, more than the %u entries (x %u colours) this build keeps",
               K->nr_slots, KMAP_LOCAL_MAX, arch->colours);
        return false;
    }
    if (kmap_local_batched_replay && arch->colours > 1) {
        report("kmap_local: batched replay needs contiguous slots, and %s colours them", arch->name);
        return false;
    }
    return true;
}

/* This CPU's slots start here (its slice when the range is shared).  The
 * per-CPU window is the common case, and costs one test. */
static __attribute__((noinline)) uintptr_t slice_base(void)
{
    return K->window_base + K->cpu_id() * K->cpu_span;
}

static inline uintptr_t this_cpu_base(void)
{
    if (__builtin_expect(K->cpu_span != 0, 0))
        return slice_base();
    return K->window_base;
}

uintptr_t kmap_local_slot_addr(unsigned slot)
{
    return this_cpu_base() + (uintptr_t)slot * K->slot_stride;
}

unsigned kmap_local_slot_at(uintptr_t va)
{
    return (unsigned)((va - this_cpu_base()) / K->slot_stride);
}

unsigned kmap_local_slot_of(unsigned idx, uint32_t pfn)
{
    return kmap_arch_slot(kmap_local_arch, idx, pfn);
}

/* Test harnesses define this to interleave interrupts at every step. */
#ifndef kmap_step_hook
#define kmap_step_hook(what) do { } while (0)
#endif

/* Every kernel has this (libc on the host, the kernel's own elsewhere). */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/*
 * Push one entry on this CPU's stack: the only place that maps.
 *
 * Interrupts are masked here, but an NMI is not, so the order of the
 * steps matters.  When we own the index we reserve the slot before the
 * PTE is written (an NMI from then on maps above it), as Linux does.
 * When the hypervisor owns the stack, its push is one atomic step that
 * says which slot it used, and our index is set from that answer (an NMI
 * between the two pushes above and pops back before we look).
 */
static uintptr_t stack_push(struct kmap_local_cpu *cpu, uint32_t pfn, uint32_t prot)
{
    const struct kmap_local_backend *b = kmap_local_backend;
    unsigned want = cpu->idx;
    if (want >= kmap_local_capacity()) {
        report("kmap_local: stack overflow (depth %u, pfn %#x)", want, (unsigned)pfn);
        return 0;
    }
    if (!b->owns_index) {
        cpu->idx = want + 1;
        kmap_step_hook("reserve the slot");
    }
    int slot = b->push(kmap_local_slot_of(want, pfn), pfn, prot);
    kmap_step_hook("backend push");
    if (slot < 0) {
        if (!b->owns_index)
            cpu->idx = want;
        report("kmap_local: the %s backend refused pfn %#x in slot %u (error %d)", b->name, (unsigned)pfn,
               kmap_local_slot_of(want, pfn), slot);
        return 0;
    }
    unsigned idx = (unsigned)slot / kmap_local_arch->colours;
    cpu->e[idx] = (struct kmap_local_entry){ pfn, prot };
    cpu->idx = idx + 1;
    kmap_step_hook("index after push");
    if (cpu->idx > cpu->max_depth)
        cpu->max_depth = cpu->idx;
    return kmap_local_slot_addr((unsigned)slot);
}

/* Pop the top entry: the PTE goes first, then the index (so an NMI in
 * between still sees the slot as taken). */
static void stack_pop(struct kmap_local_cpu *cpu)
{
    unsigned top = cpu->idx - 1, slot = kmap_local_slot_of(top, cpu->e[top].pfn);
    int r = kmap_local_backend->pop(slot);
    kmap_step_hook("backend pop");
    if (r)
        report("kmap_local: the %s backend refused to pop slot %u (error %d)", kmap_local_backend->name, slot, r);
    cpu->idx = top;
    kmap_step_hook("index after pop");
}

void *kmap_local_pfn_prot(uint32_t pfn, uint32_t prot)
{
    void *low = K->lowmem_addr(pfn);
    if (low)
        return low; /* lowmem: the permanent address, no slot */
    unsigned long flags = K->irq_save();
    struct kmap_local_cpu *cpu = K->cpu_stack();
    struct kmap_local_task *t = K->task_list();
    uintptr_t va = stack_push(cpu, pfn, prot);
    if (va) {
        cpu->maps++;
        if (t) {
            /* Task context: the slot belongs to the task until unmapped,
             * and comes back with it at every switch. */
            t->e[t->nr++] = cpu->e[cpu->idx - 1];
            kmap_step_hook("task list after map");
        } else {
            cpu->irq_maps++;
        }
    }
    K->irq_restore(flags);
    return (void *)va;
}

void *kmap_local_pfn(uint32_t pfn)
{
    return kmap_local_pfn_prot(pfn, KMAP_PROT_RW);
}

void kunmap_local(const void *addr)
{
    uintptr_t va = (uintptr_t)addr & ~(uintptr_t)4095;
    if (va < K->window_base || va >= window_end) {
        /* A lowmem address (a kmap of a lowmem page) has nothing to undo. */
        return;
    }
    unsigned long flags = K->irq_save();
    /* Masked: we stay on this CPU, so its slice is the one to look in (an
     * address in another CPU's slice is not live here, and is reported). */
    uintptr_t base = this_cpu_base();
    unsigned stride = K->slot_stride;
    struct kmap_local_cpu *cpu = K->cpu_stack();
    struct kmap_local_task *t = K->task_list();
    unsigned slot = (unsigned)((va - base) / stride), idx = slot / kmap_local_arch->colours;
    if (va < base || (va - base) % stride || idx >= cpu->idx || slot != kmap_local_slot_of(idx, cpu->e[idx].pfn)) {
        report("kunmap_local(%#lx): not a live kmap_local address (depth %u)", (unsigned long)va, cpu->idx);
    } else if (idx != cpu->idx - 1) {
        /* Linux warns and tears down the top slot anyway; we refuse, and
         * nothing that is still in use is unmapped. */
        unsigned top = cpu->idx - 1;
        report("kunmap_local(%#lx): out of order: the top of the stack is %#lx (depth %u)", (unsigned long)va,
               (unsigned long)kmap_local_slot_addr(kmap_local_slot_of(top, cpu->e[top].pfn)), cpu->idx);
    } else {
        stack_pop(cpu);
        cpu->unmaps++;
        if (t && t->nr) {
            t->nr--;
            kmap_step_hook("task list after unmap");
        }
    }
    K->irq_restore(flags);
}

/* Per-entry replay.  prev's entries are the top prev->nr of the stack;
 * pop them one at a time.  Each pop is its own masked unit: an interrupt
 * between two pops pushes above the remaining entries and is gone again
 * before the next pop. */
void kmap_local_sched_out(struct kmap_local_task *prev)
{
    for (unsigned i = prev->nr; i-- > 0;) {
        unsigned long flags = K->irq_save();
        stack_pop(K->cpu_stack());
        K->irq_restore(flags);
    }
}

void kmap_local_sched_in(struct kmap_local_task *next)
{
    struct kmap_local_cpu *cpu = K->cpu_stack();
    for (unsigned i = 0; i < next->nr; i++) {
        unsigned long flags = K->irq_save();
        stack_push(cpu, next->e[i].pfn, next->e[i].prot);
        K->irq_restore(flags);
    }
    if (next->nr)
        cpu->replays++;
}

/* Batched replay: the whole switch in one backend call, index and
 * stack updated in the same masked unit. */
void kmap_local_sched_switch(struct kmap_local_task *prev, struct kmap_local_task *next)
{
    if (!kmap_local_batched_replay) {
        kmap_local_sched_out(prev);
        kmap_local_sched_in(next);
        return;
    }
    if (!prev->nr && !next->nr)
        return;
    unsigned long flags = K->irq_save();
    struct kmap_local_cpu *cpu = K->cpu_stack();
    unsigned base = cpu->idx - prev->nr, depth = cpu->idx;
    if (!kmap_local_backend->owns_index && next->nr > prev->nr) {
        /* Our index: reserve every slot the replay will write, so that an
         * NMI during it maps above them. */
        cpu->idx = base + next->nr;
        kmap_step_hook("reserve for replay");
    }
    int r = kmap_local_backend->replay(base, depth, next->e, next->nr);
    kmap_step_hook("backend replay");
    if (r)
        report("kmap_local: batched replay refused (base %u, %u entries, error %d)", base, next->nr, r);
    for (unsigned i = 0; i < next->nr; i++)
        cpu->e[base + i] = next->e[i];
    cpu->idx = base + next->nr;
    kmap_step_hook("index after replay");
    if (next->nr)
        cpu->replays++;
    K->irq_restore(flags);
}

bool kmap_local_task_check_idle(const struct kmap_local_task *t, const char *what)
{
    if (!t->nr)
        return true;
    report("kmap_local: a task %s holding %u live mapping(s), top pfn %#x", what, t->nr,
           (unsigned)t->e[t->nr - 1].pfn);
    return false;
}

static void report(const char *fmt, ...)
{
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    K->report(msg);
}
