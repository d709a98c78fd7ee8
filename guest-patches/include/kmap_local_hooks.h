/*
 * What the kernel gives the kmap_local library.  Every kernel (the mini
 * guest, the native flavour, the host test harness) implements these.
 */
#ifndef KMAP_LOCAL_HOOKS_H
#define KMAP_LOCAL_HOOKS_H

#include "kmap_local.h"

/* Mask / restore interrupts (on PV: the virtual interrupt flag). */
unsigned long kmap_hook_irq_save(void);
void kmap_hook_irq_restore(unsigned long flags);
/* This CPU's stack. */
struct kmap_local_cpu *kmap_hook_this_cpu(void);
/* The current task's list, or NULL in interrupt / NMI context (whose
 * mappings are never part of a task and never replayed). */
struct kmap_local_task *kmap_hook_current_task(void);
/* The permanent address of a lowmem frame, or NULL for highmem. */
void *kmap_hook_lowmem_addr(uint32_t pfn);
/* Misuse: the library says what went wrong; the kernel decides. */
void kmap_hook_report(const char *msg);
/* Arch: window base and slot stride (bytes), and cache colours. */
uintptr_t kmap_hook_window_base(void);
unsigned kmap_hook_slot_stride(void);
unsigned kmap_hook_nr_slots(void);      /* slots in the window (<= KMAP_LOCAL_MAX) */

#endif
