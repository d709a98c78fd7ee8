/* SPDX-License-Identifier: GPL-2.0-only */
/* The kmap window's view of a vCPU (struct kmap_env's callbacks), inline:
 * guest_pt.c builds each vCPU's env from them, and the hypercall fast
 * path (exit.c) names them in a constant env the compiler can inline. */
#ifndef PV_KMAP_ENV_H
#define PV_KMAP_ENV_H

#include "pv.h"
#include "page_type.h"
#include <asm/mmu.h>
#include <kmapvisor/x86_pte.h>

static inline int env_check_frame(void *ctx, uint32_t mfn)
{
    struct vcpu *v = ctx;
    const struct arch_domain *ad = v->d->arch;
    uint32_t pfn = pv_mfn_to_pfn(ad, mfn);
    if (pfn == M2P_NONE)
        return -XEN_EPERM;
    /* A page table, one that just ended, or the hypervisor's. */
    if (ad->pgt[pfn] & PGT_NOT_DATA)
        return -XEN_EACCES;
    return 0;
}

/* env_set_pte lost the race with a retype: the entry goes again, with
 * any TLB fill of it, before the guest runs (out of line: it is rare). */
static __attribute__((noinline, cold)) int env_set_pte_lost(struct vcpu *v, unsigned idx)
{
    WRITE_ONCE(v->arch->window_pt[idx], 0);
    invlpg(KMV_WINDOW_BASE + ((uint64_t)idx << PAGE_SHIFT));
    return -XEN_EACCES;
}

static inline int env_set_pte(void *ctx, unsigned idx, uint32_t mfn, uint32_t prot)
{
    struct vcpu *v = ctx;
    /* Accessed and dirty preset: the CPU need not write the PTE back.
     * The window checked prot against KMAP_PROT_ALL. */
#define PROT_BITS(p) (X86_PTE_P | X86_PTE_A | X86_PTE_D | (((p) & KMAP_PROT_WRITE) ? X86_PTE_W : 0) | \
                      (((p) & KMAP_PROT_USER) ? X86_PTE_U : 0) | (((p) & KMAP_PROT_EXEC) ? 0 : X86_PTE_NX))
    static const uint64_t bits[KMAP_PROT_ALL + 1] = {
        PROT_BITS(0), PROT_BITS(1), PROT_BITS(2), PROT_BITS(3), PROT_BITS(4), PROT_BITS(5), PROT_BITS(6), PROT_BITS(7),
    };
#undef PROT_BITS
    WRITE_ONCE(v->arch->window_pt[idx], ((uint64_t)mfn << PAGE_SHIFT) | bits[prot & KMAP_PROT_ALL]);
    /* A writable window entry takes no writable reference (that would
     * cost the hot path atomics): typing a frame as a page table scans
     * the windows instead (page_type.c, window_maps_writable).  The two
     * sides are Dekker's: the window stores the PTE, then reads the type;
     * the typing CPU swaps the type, then reads the PTEs.  One of them
     * sees the other: here, a frame that became a table meanwhile loses
     * the entry again (and any TLB fill of it), before the guest runs,
     * and the call fails (-EACCES), as if the check had seen the table. */
    if (prot & KMAP_PROT_WRITE) {
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        const struct arch_domain *ad = v->d->arch;
        if (unlikely(READ_ONCE(ad->pgt[pv_mfn_to_pfn(ad, mfn)]) & PGT_NOT_DATA))
            return env_set_pte_lost(v, idx);
    }
    return 0;
}

static inline void env_clear_pte(void *ctx, unsigned idx)
{
    struct vcpu *v = ctx;
    WRITE_ONCE(v->arch->window_pt[idx], 0);
}

/* The window is only ever loaded on the CPU running this vCPU (we are in
 * its hypercall), so a local invlpg is the whole flush. */
static inline void env_flush_va(void *ctx, uint32_t va)
{
    (void)ctx;
    invlpg(va);
}

static inline int env_copy_to_guest(void *ctx, uint32_t gva, const void *src, size_t len)
{
    return copy_to_guest(ctx, gva, src, len);
}

static inline int env_copy_from_guest(void *ctx, void *dst, uint32_t gva, size_t len)
{
    return copy_from_guest(ctx, dst, gva, len);
}

/* vCPU v's kmap_env, as one initialiser: each vCPU's stored env
 * (guest_pt.c) and the hypercall fast path's constant one (exit.c, where
 * the compiler inlines the callbacks) are the same table. */
#define PV_KMAP_ENV(v) {                                                          \
    .ctx = (v), .check_frame = env_check_frame, .set_pte = env_set_pte,           \
    .clear_pte = env_clear_pte, .flush_va = env_flush_va,                         \
    .copy_to_guest = env_copy_to_guest, .copy_from_guest = env_copy_from_guest,  \
}

#endif
