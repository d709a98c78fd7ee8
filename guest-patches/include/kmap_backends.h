/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The backends shipped with the kmap_local library, and what each needs
 * from its kernel, as tables of functions the kernel registers: the
 * library builds on its own headers only, and a test harness can stand
 * in for the hypervisor (tests/model/interleave.c).
 */
#ifndef KMAP_BACKENDS_H
#define KMAP_BACKENDS_H

#include <stdint.h>
#include "kmap_local.h"

/* pv, pv-cached and xen: a 32-bit PV kernel's hypercalls. */
struct kmap_hypercall_ops {
    /* kmapvisor's kmap_op(cmd, a1..a4) (include/kmapvisor/abi.h) */
    long (*kmap_op)(unsigned cmd, unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4);
    /* Xen's update_va_mapping(va, pte, flags) */
    long (*update_va_mapping)(uint32_t va, uint64_t pte, unsigned flags);
    /* the machine frame behind a pseudo-physical one */
    uint32_t (*pfn_to_mfn)(uint32_t pfn);
    /* this CPU, 0 .. KMAP_BACKEND_MAX_CPUS - 1 */
    unsigned (*cpu)(void);
};
#define KMAP_BACKEND_MAX_CPUS 32

/* native: the kernel's own window PTEs. */
struct kmap_native_ops {
    /* write this CPU's window PTE of slot (0: not present) */
    void (*set_pte)(unsigned slot, uint64_t pte);
    /* drop va's translation from this CPU's TLB */
    void (*flush)(uintptr_t va);
    /* write back va's lines of an aliasing data cache (NULL: none) */
    void (*flush_dcache)(uintptr_t va);
};

void kmap_backend_pv_register(const struct kmap_hypercall_ops *ops);
void kmap_backend_native_register(const struct kmap_native_ops *ops);

extern const struct kmap_local_backend kmap_backend_pv;
extern const struct kmap_local_backend kmap_backend_xen;
extern const struct kmap_local_backend kmap_backend_pv_cached;
extern const struct kmap_local_backend kmap_backend_native;

#endif
