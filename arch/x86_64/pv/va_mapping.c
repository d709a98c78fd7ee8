/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * update_va_mapping(va, pte, flags) at a guest address below
 * HYPERVISOR_VIRT_START: the L1 entry that maps va in the vCPU's current
 * tables, changed through mod_l1_entry (page_type.c), then the flush the
 * flags ask for.  Window addresses never come here (kmap_op.c keeps their
 * own semantics); others at or above 0xF5800000 are -EINVAL, and so is a
 * va whose L2 entry is not present (no L1 to change), as on Xen.
 * flags: UVMF_NONE / UVMF_TLB_FLUSH / UVMF_INVLPG, and in the bits above
 * UVMF_LOCAL (0), UVMF_ALL (4), or else a guest pointer to a vcpumask
 * (UVMF_MULTI; -EFAULT when unreadable, after the entry is changed, as
 * on Xen).
 */
#include "page_type.h"
#include <asm/mmu.h>

/* The guest L1 frame (pfn) that maps va, or M2P_NONE. */
static uint32_t l1_of(struct vcpu *v, uint32_t va)
{
    const struct arch_domain *ad = v->d->arch;
    uint64_t l3e = v->arch->l3c[va >> 30];
    if (va >> 30 == 3)
        l3e = ((uint64_t)v->arch->xen_l2_mfn << PAGE_SHIFT) | X86_PTE_P;
    if (!(l3e & X86_PTE_P) || !v->arch->base_mfn)
        return M2P_NONE;
    const uint64_t *l2 = phys_to_virt(l3e & X86_PTE_ADDR);
    uint64_t l2e = READ_ONCE(l2[(va >> 21) & 511]);
    if (!(l2e & X86_PTE_P))
        return M2P_NONE;
    return pv_mfn_to_pfn(ad, (l2e & X86_PTE_ADDR) >> PAGE_SHIFT);
}

long pv_update_va_mapping_guest(struct vcpu *v, uint32_t va, uint64_t pte, uint32_t flags)
{
    if (va >= PV_M2P_VIRT_START)
        return -XEN_EINVAL;
    pv_mmu_lock(v);
    uint32_t pfn = l1_of(v, va);
    long r = -XEN_EINVAL;
    if (pfn != M2P_NONE && (*pgt_word(v->d->arch, pfn) & PGT_TYPE) == PGT_L1)
        r = pv_mod_entry(v, pfn, (va >> PAGE_SHIFT) & 511, pte);
    pv_mmu_unlock(v);
    if (r)
        return r;
    uint32_t type = flags & UVMF_FLUSHTYPE_MASK, where = flags & ~(uint32_t)UVMF_FLUSHTYPE_MASK;
    if (type == UVMF_NONE)
        return 0;
    uint64_t mask = 1ull << v->id;
    if (where == UVMF_ALL) {
        mask = (1ull << v->d->nr_vcpus) - 1;
    } else if (where != UVMF_LOCAL) {
        uint32_t words[(KMV_MAX_VCPUS + 31) / 32];
        if (copy_from_guest(v, words, where, (v->d->nr_vcpus + 31) / 32 * 4))
            return -XEN_EFAULT;
        mask = 0;
        for (unsigned i = 0; i < v->d->nr_vcpus; i++)
            if (words[i / 32] >> (i % 32) & 1)
                mask |= 1ull << i;
    }
    /* Other vCPUs are flushed whole (never too little); this one by the
     * page when the guest asked for that. */
    pv_flush_vcpus(v, mask, type == UVMF_INVLPG ? va : ~0u);
    return 0;
}
