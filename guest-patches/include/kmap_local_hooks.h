/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a kernel gives the kmap_local library, as one table it passes to
 * kmap_local_init(): the mini guest (guest/kernel/kmap_glue.c), the
 * native flavour, and the host test harnesses each fill one in.  A table,
 * not link-time hooks, so that the library names nothing of its kernel.
 */
#ifndef KMAP_LOCAL_HOOKS_H
#define KMAP_LOCAL_HOOKS_H

#include "kmap_local.h"

struct kmap_local_kernel {
    /* Mask / restore interrupts (on PV: the virtual interrupt flag). */
    unsigned long (*irq_save)(void);
    void (*irq_restore)(unsigned long flags);
    /* This CPU's stack. */
    struct kmap_local_cpu *(*cpu_stack)(void);
    /* The current task's list, or NULL in interrupt / NMI context (whose
     * mappings are never part of a task and never replayed). */
    struct kmap_local_task *(*task_list)(void);
    /* The permanent address of a lowmem frame, or NULL for highmem. */
    void *(*lowmem_addr)(uint32_t pfn);
    /* Misuse: the library says what went wrong; the kernel decides. */
    void (*report)(const char *msg);
    /* The window: base address, bytes between slots, slots. */
    uintptr_t window_base;
    unsigned slot_stride;
    unsigned nr_slots;
    /* Per-CPU slices of one shared address range, as Linux's fixmap
     * (KM_MAX_IDX * smp_processor_id()): CPU c's slot i is at
     * window_base + c * cpu_span + i * slot_stride.  0 when every CPU
     * sees its own window at the same addresses (kmapvisor's window, a
     * per-CPU page table); then cpu_id and nr_cpus are not used. */
    uintptr_t cpu_span;
    unsigned (*cpu_id)(void);
    unsigned nr_cpus;
};

#endif
