/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmu_update(reqs, count, pdone, foreigndom), Xen's checked page-table
 * stores for a 32-bit PV guest.  Each request is {ptr, val}: ptr's low
 * three bits are the command, the rest the machine address of an 8-byte
 * entry.
 * - MMU_NORMAL_PT_UPDATE: into a page table in use (typed, count > 0)
 *   through mod_lN_entry (page_type.c: validated, references moved, the
 *   vCPUs' copies updated); into any other frame of the domain a plain
 *   store (Xen's writable page); a frame not the domain's, or the
 *   hypervisor's, -EINVAL.  No TLB flush: that is the guest's (mmuext_op,
 *   update_va_mapping flags), as on Xen.
 * - MMU_MACHPHYS_UPDATE: the guest's M2P entry of one of its frames.
 * - MMU_PT_UPDATE_PRESERVE_AD and _NO_TRANSLATE: -ENOSYS.
 * The first failing request ends the call with its error; *pdone gets
 * the number done either way.  foreigndom must be DOMID_SELF (or the
 * domain's own id): -ESRCH otherwise.
 */
#include "page_type.h"
#include <asm/mmu.h>

/* A bound on one call's work (Xen would preempt and continue it). */
#define MMU_UPDATE_MAX 65536u

static long one_request(struct vcpu *v, uint64_t ptr, uint64_t val)
{
    struct arch_domain *ad = v->d->arch;
    unsigned cmd = ptr & 7;
    ptr &= ~7ull;
    uint32_t pfn = pv_mfn_to_pfn(ad, ptr >> PAGE_SHIFT);
    switch (cmd) {
    case MMU_NORMAL_PT_UPDATE: {
        if (pfn == M2P_NONE)
            return -XEN_EINVAL;
        uint32_t x = *pgt_word(ad, pfn), t = x & PGT_TYPE;
        if (t == PGT_HYP)
            return -XEN_EINVAL;
        if ((x & PGT_COUNT) && (t == PGT_L1 || t == PGT_L2 || t == PGT_L3))
            return pv_mod_entry(v, pfn, (ptr & (PAGE_SIZE - 1)) / 8, val);
        return pv_write_frame(v, ptr, val);
    }
    case MMU_MACHPHYS_UPDATE:
        if (pfn == M2P_NONE || (*pgt_word(ad, pfn) & PGT_TYPE) == PGT_HYP)
            return -XEN_EINVAL;
        WRITE_ONCE(ad->m2p[ptr >> PAGE_SHIFT], (uint32_t)val);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

long do_mmu_update(struct vcpu *v, const uint32_t *a)
{
    uint32_t reqs = a[0], count = a[1] & ~MMU_UPDATE_PREEMPTED, pdone = a[2];
    uint16_t fd = (uint16_t)a[3];
    if (fd != DOMID_SELF && fd != v->d->id)
        return -XEN_ESRCH;
    if (count > MMU_UPDATE_MAX)
        return -XEN_EINVAL;
    long r = 0;
    uint32_t done = 0;
    pv_mmu_lock(v);
    while (done < count) {
        struct mmu_update batch[32];
        uint32_t n = MIN(count - done, (uint32_t)ARRAY_SIZE(batch));
        if (copy_from_guest(v, batch, reqs + done * (uint32_t)sizeof(batch[0]), n * sizeof(batch[0]))) {
            r = -XEN_EFAULT;
            break;
        }
        for (uint32_t i = 0; i < n && !r; i++, done += !r)
            r = one_request(v, batch[i].ptr, batch[i].val);
        if (r)
            break;
    }
    pv_mmu_unlock(v);
    if (pdone && copy_to_guest(v, pdone, &done, sizeof(done)))
        return r ? r : -XEN_EFAULT;
    return r;
}
