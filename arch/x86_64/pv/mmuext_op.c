/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmuext_op(ops, count, pdone, foreigndom): Xen's extended MMU
 * operations for a 32-bit PAE guest (struct kmv_mmuext_op32).
 * - PIN_L1/L2/L3_TABLE mfn: take the type (validating the table, Xen's
 *   errors) and pin it; already pinned -EINVAL.  PIN_L4_TABLE is ignored
 *   for a 32-bit guest, as Xen does.
 * - UNPIN_TABLE mfn: drop the pin's reference; the table stays typed while
 *   anything else references it (an L3 entry, a vCPU's base); not pinned:
 *   -EINVAL.
 * - NEW_BASEPTR mfn: run on that L3 (Xen takes an L3 type reference,
 *   validating an unpinned table; -EINVAL when it is not a valid L3); the
 *   old base's reference is dropped; the TLB is flushed.
 * - TLB_FLUSH_LOCAL/MULTI/ALL, INVLPG_LOCAL/MULTI/ALL (vcpumask: a guest
 *   pointer to a bitmap of 32-bit words; -EFAULT unreadable).
 * - CLEAR_PAGE / COPY_PAGE: of the domain's frames that are no tables.
 * - SET_LDT linear_addr, nr_ents: desc_tables.c.  FLUSH_CACHE: -EACCES
 *   (a domU's, on Xen).
 *   NEW_USER_BASEPTR: -EINVAL (64-bit guests only).  Others -ENOSYS.
 * The first failing op ends the call; *pdone gets the number done.
 */
#include "page_type.h"
#include <asm/mmu.h>

#define MMUEXT_OP_MAX 65536u

/* The vCPUs named by a guest's vcpumask (bit i of 32-bit word i / 32). */
static long read_vcpumask(struct vcpu *v, uint32_t ptr, uint64_t *mask)
{
    uint32_t words[(KMV_MAX_VCPUS + 31) / 32];
    unsigned n = (v->d->nr_vcpus + 31) / 32;
    if (copy_from_guest(v, words, ptr, n * 4))
        return -XEN_EFAULT;
    *mask = 0;
    for (unsigned i = 0; i < v->d->nr_vcpus; i++)
        if (words[i / 32] >> (i % 32) & 1)
            *mask |= 1ull << i;
    return 0;
}

/* A frame of the domain's that is no page table, for CLEAR/COPY_PAGE. */
static uint32_t *data_frame(struct vcpu *v, uint32_t mfn)
{
    uint32_t pfn = pv_mfn_to_pfn(v->d->arch, mfn);
    return pfn == M2P_NONE ? NULL : pgt_word(v->d->arch, pfn);
}

static long one_op(struct vcpu *v, const struct kmv_mmuext_op32 *op)
{
    struct arch_domain *ad = v->d->arch;
    uint64_t mask;
    long r;
    switch (op->cmd) {
    case MMUEXT_PIN_L1_TABLE:
    case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE: {
        static const uint32_t types[] = { PGT_L1, PGT_L2, PGT_L3 };
        if ((r = pv_get_pt_type(v, op->arg1, types[op->cmd])))
            return r;
        uint32_t *w = pgt_word(ad, pv_mfn_to_pfn(ad, op->arg1));
        if (__atomic_fetch_or(w, PGT_PINNED, __ATOMIC_SEQ_CST) & PGT_PINNED) {
            pv_put_pt_type(v, op->arg1);
            return -XEN_EINVAL; /* already pinned */
        }
        return 0;
    }
    case MMUEXT_PIN_L4_TABLE:
        return 0; /* not a level of a 32-bit guest: ignored, as Xen does */
    case MMUEXT_UNPIN_TABLE: {
        uint32_t pfn = pv_mfn_to_pfn(ad, op->arg1);
        if (pfn == M2P_NONE)
            return -XEN_EINVAL;
        uint32_t *w = pgt_word(ad, pfn), t = *w & PGT_TYPE;
        if (!(*w & PGT_PINNED) || (t != PGT_L1 && t != PGT_L2 && t != PGT_L3))
            return -XEN_EINVAL;
        __atomic_fetch_and(w, ~PGT_PINNED, __ATOMIC_SEQ_CST);
        pv_put_pt_type(v, op->arg1);
        return 0;
    }
    case MMUEXT_NEW_BASEPTR:
        return pv_new_baseptr(v, op->arg1);
    case MMUEXT_TLB_FLUSH_LOCAL:
        pv_flush_vcpus(v, 1ull << v->id, ~0u);
        return 0;
    case MMUEXT_INVLPG_LOCAL:
        if (op->arg1 < PV_M2P_VIRT_START)
            invlpg(op->arg1);
        return 0;
    case MMUEXT_TLB_FLUSH_MULTI:
    case MMUEXT_INVLPG_MULTI:
        if ((r = read_vcpumask(v, op->arg2, &mask)))
            return r;
        /* Other vCPUs are flushed whole: simpler, and never too little. */
        pv_flush_vcpus(v, mask, op->cmd == MMUEXT_INVLPG_MULTI && op->arg1 < PV_M2P_VIRT_START ? op->arg1 : ~0u);
        return 0;
    case MMUEXT_TLB_FLUSH_ALL:
    case MMUEXT_INVLPG_ALL:
        pv_flush_vcpus(v, (1ull << v->d->nr_vcpus) - 1,
                       op->cmd == MMUEXT_INVLPG_ALL && op->arg1 < PV_M2P_VIRT_START ? op->arg1 : ~0u);
        return 0;
    case MMUEXT_FLUSH_CACHE:
    case MMUEXT_FLUSH_CACHE_GLOBAL:
        return -XEN_EACCES;
    case MMUEXT_SET_LDT:
        return pv_set_ldt(v, op->arg1, op->arg2);
    case MMUEXT_NEW_USER_BASEPTR:
        return -XEN_EINVAL;
    case MMUEXT_CLEAR_PAGE:
    case MMUEXT_COPY_PAGE: {
        uint32_t *dst = data_frame(v, op->arg1), *src = NULL;
        if (!dst)
            return -XEN_EINVAL;
        if (op->cmd == MMUEXT_COPY_PAGE) {
            src = data_frame(v, op->arg2);
            if (!src || (*src & PGT_TYPE) == PGT_HYP)
                return -XEN_EINVAL;
        }
        if (!pgt_get_writable(dst, false))
            return -XEN_EINVAL;
        void *to = phys_to_virt((uint64_t)op->arg1 << PAGE_SHIFT);
        if (src)
            memcpy(to, phys_to_virt((uint64_t)op->arg2 << PAGE_SHIFT), PAGE_SIZE);
        else
            memset(to, 0, PAGE_SIZE);
        pgt_put_writable(dst);
        return 0;
    }
    default:
        return -XEN_ENOSYS;
    }
}

long do_mmuext_op(struct vcpu *v, const uint32_t *a)
{
    uint32_t ops = a[0], count = a[1] & ~MMU_UPDATE_PREEMPTED, pdone = a[2];
    uint16_t fd = (uint16_t)a[3];
    if (fd != DOMID_SELF && fd != v->d->id)
        return -XEN_ESRCH;
    if (count > MMUEXT_OP_MAX)
        return -XEN_EINVAL;
    long r = 0;
    uint32_t done = 0;
    pv_mmu_lock(v);
    for (; done < count; done++) {
        struct kmv_mmuext_op32 op;
        if (copy_from_guest(v, &op, ops + done * (uint32_t)sizeof(op), sizeof(op))) {
            r = -XEN_EFAULT;
            break;
        }
        if ((r = one_op(v, &op)))
            break;
    }
    pv_mmu_unlock(v);
    if (pdone && copy_to_guest(v, pdone, &done, sizeof(done)))
        return r ? r : -XEN_EFAULT;
    return r;
}
