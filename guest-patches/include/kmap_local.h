/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmap_local for paravirtualised and native 32-bit kernels: the portable
 * guest library.
 *
 * The rule that makes it safe: one authoritative per-CPU index that is
 * only ever pushed and popped.  Each task keeps the list of its own live
 * mappings; a context switch pops the outgoing task's entries one by one
 * and pushes the incoming task's one by one (or does both in one
 * hypercall with virtual interrupts masked).  An interrupt or NMI that
 * arrives at any instruction maps on top of whatever is live and pops
 * what it pushed before it returns, so it always sees a consistent stack.
 *
 * The kernel provides a struct kmap_local_kernel (kmap_local_hooks.h);
 * the arch layer gives slot colours and PTE encoding (kmap_local_arch.h);
 * a backend (kmap_backends.h) writes the PTEs.
 */
#ifndef KMAP_LOCAL_H
#define KMAP_LOCAL_H

#include <stdbool.h>
#include <stdint.h>

#include "kmap_local_arch.h"

/* Entries per CPU stack and per task: as many as a kmapvisor window can
 * have slots, unless the kernel says otherwise. */
#ifndef KMAP_LOCAL_MAX
#include <kmapvisor/limits.h>
#define KMAP_LOCAL_MAX KMV_MAX_SLOTS
#endif

#define KMAP_PROT_RW 1u

struct kmap_local_entry {
    uint32_t pfn;
    uint32_t prot;
};

/* Per CPU: the authoritative stack. */
struct kmap_local_cpu {
    unsigned idx;                                   /* live entries */
    struct kmap_local_entry e[KMAP_LOCAL_MAX];
    unsigned long maps, unmaps, replays, irq_maps, max_depth;
};

/* Per task: its own live mappings, in push order (the replay list). */
struct kmap_local_task {
    unsigned nr;
    struct kmap_local_entry e[KMAP_LOCAL_MAX];
};

/* How mappings reach the hardware. */
struct kmap_local_backend {
    const char *name;
    /* true: the slot stack lives below us (kmapvisor keeps it) and push
     * says which slot it used; our index only mirrors it.  false: we own
     * the index and reserve the slot before the backend writes it. */
    bool owns_index;
    /* Map pfn in window slot `slot` (the next free one, coloured for pfn
     * by the arch layer); returns the slot used, or a negative error. */
    int (*push)(unsigned slot, uint32_t pfn, uint32_t prot);
    /* Tear down the top entry's slot; 0 or a negative error. */
    int (*pop)(unsigned slot);
    /* Optional: pop every entry from `base` up and push `n` entries of
     * `restore`, in one step that no interrupt can split. */
    int (*replay)(unsigned base, unsigned depth, const struct kmap_local_entry *restore, unsigned n);
};

extern const struct kmap_local_backend *kmap_local_backend;
extern const struct kmap_arch *kmap_local_arch;
extern bool kmap_local_batched_replay;  /* use backend->replay at switches */

/* Choose the backend and the arch (slot colouring, PTE encoding); false,
 * with a report, when they cannot work with this window (more stack
 * entries than KMAP_LOCAL_MAX, or batched replay with cache colours). */
struct kmap_local_kernel;
bool kmap_local_init(const struct kmap_local_kernel *kernel, const struct kmap_local_backend *b,
                     const struct kmap_arch *arch, bool one_trap_replay);
/* Stack entries per CPU: the window's slots over the arch's colours. */
unsigned kmap_local_capacity(void);

/* The API (Linux's semantics: strictly nested, preemptible, faults allowed). */
void *kmap_local_pfn(uint32_t pfn);
void *kmap_local_pfn_prot(uint32_t pfn, uint32_t prot);
void kunmap_local(const void *addr);

/* Scheduler hooks: around the low-level switch, with `current` == prev
 * for the first and == next for the second.  Called with interrupts on. */
void kmap_local_sched_out(struct kmap_local_task *prev);
void kmap_local_sched_in(struct kmap_local_task *next);
/* Or both at once (batched replay). */
void kmap_local_sched_switch(struct kmap_local_task *prev, struct kmap_local_task *next);
/* A task that ends or blocks forever must hold nothing. */
bool kmap_local_task_check_idle(const struct kmap_local_task *t, const char *what);

/* Where window slot i lives, and the slot of a window address. */
uintptr_t kmap_local_slot_addr(unsigned slot);
unsigned kmap_local_slot_at(uintptr_t va);
/* The window slot that stack entry idx uses for pfn (colouring). */
unsigned kmap_local_slot_of(unsigned idx, uint32_t pfn);

#endif
