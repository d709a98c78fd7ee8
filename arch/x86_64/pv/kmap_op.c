/* SPDX-License-Identifier: GPL-2.0-only */
/* The kmap window's calls: kmapvisor's kmap_op (its decoder is
 * kmap_op.h, shared with the fast path), and Xen's update_va_mapping on
 * window addresses.  Decoding only: the window core (hypervisor/window.c)
 * validates and acts. */
#include "kmap_op.h"
#include <kmapvisor/x86_pte.h>

long do_kmap_op(struct vcpu *v, const uint32_t *a)
{
    return kmap_op_decode(v, &v->kenv, kmap_arg_array, a, false);
}

/* The commands the fast path leaves to the full one. */
long kmap_op_other(struct vcpu *v, const uint32_t *a)
{
    struct kmap_window *w = &v->win;
    switch (a[0]) {
    case KMAPOP_query:
        return kmap_query(w, &v->kenv, a[1], v->id);
    case KMAPOP_stats:
        w->stats.traps = 0;
        for (unsigned i = 0; i < NR_HYPERCALLS; i++)
            w->stats.traps += v->arch->hypercalls[i];
        w->stats.hv_tsc = v->arch->hv_tsc;
        w->stats.cr3_loads = v->arch->cr3_loads;
        return kmap_get_stats(w, &v->kenv, a[1]);
    case KMAPOP_sstep:
        /* Only in the test mode. */
        return (v->d->cfg.kmap_flags & KMAP_WIN_SSTEP) ? sstep_op(v, a[1]) : kmap_reject(w, KMAP_ERR_NOT_TEST_MODE, a[1]);
    case KMAPOP_reset_stats:
        memset(&w->stats, 0, sizeof(w->stats));
        w->stats.nr_err_kinds = KMAP_ERR_KINDS;
        return 0;
    default:
        return kmap_reject(w, KMAP_ERR_BAD_CMD, a[0]);
    }
}

/* What a window PTE may hold: present, writable, user, accessed, dirty,
 * NX and the frame.  Caching attributes (PWT, PCD, PAT), global, the
 * software bits and the reserved bits above the frame are not honoured,
 * so they are refused rather than silently dropped. */
#define WINDOW_PTE_BITS (X86_PTE_P | X86_PTE_W | X86_PTE_U | X86_PTE_A | X86_PTE_D | X86_PTE_NX | X86_PTE_ADDR)

/* update_va_mapping(va, pte_lo, pte_hi, flags): window addresses are
 * the window's (push and pop, below); any other goes to the PV MMU
 * (va_mapping.c).  On the window the flush flags are accepted: the
 * window flushes what it must, and no other vCPU can see it
 * (docs/abi.md). */
long do_update_va_mapping(struct vcpu *v, const uint32_t *a)
{
    uint32_t va = a[0];
    uint64_t pte = a[1] | (uint64_t)a[2] << 32;
    if (!kmap_va_in_window(&v->win, va))
        return pv_update_va_mapping_guest(v, va, pte, a[3]);
    return pv_window_update_va_mapping(v, va, pte);
}

/* update_va_mapping of a window address (the fast path in exit.c has
 * checked that already, and comes here directly). */
long pv_window_update_va_mapping(struct vcpu *v, uint32_t va, uint64_t pte)
{
    /* A not-present PTE is a pop only when it is all zero. */
    if ((pte & ~WINDOW_PTE_BITS) || (!(pte & X86_PTE_P) && pte))
        return kmap_policy(v, kmap_reject(&v->win, KMAP_ERR_BAD_PTE, (uint32_t)pte), " (update_va_mapping)");
    uint64_t frame = (pte & X86_PTE_ADDR) >> PAGE_SHIFT;
    uint32_t prot = ((pte & X86_PTE_W) ? KMAP_PROT_WRITE : 0) | ((pte & X86_PTE_U) ? KMAP_PROT_USER : 0) |
                    ((pte & X86_PTE_NX) ? 0 : KMAP_PROT_EXEC);
    /* A frame beyond 32 bits is no frame of ours: let the window say so. */
    uint32_t mfn = frame > UINT32_MAX ? UINT32_MAX : (uint32_t)frame;
    long r = kmap_update_va_mapping(&v->win, &v->kenv, va, pte & X86_PTE_P, mfn, prot);
    return kmap_policy(v, r, " (update_va_mapping)");
}
