/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Page types of a PV domain's frames, as Xen's PV MMU keeps them: per
 * frame a type (none, writable, L1, L2, L3, or the hypervisor's own), a
 * count of the references of that type, a pin flag, and for an L2 whether
 * it is a pae_xen_l2 (the L2 an L3's slot 3 points at).  A frame changes
 * type only when its count is 0; a page-table frame is never mapped
 * writable; every entry of a page table is validated when the table is
 * typed and when it changes (page_type.c).
 *
 * The word is changed with compare-and-swap: writable references are
 * taken without the domain's MMU lock (the kmap window's fast path and
 * copy_to_guest), everything else under it.
 */
#ifndef PV_PAGE_TYPE_H
#define PV_PAGE_TYPE_H

#include "pv.h"
#include <kmapvisor/x86_pte.h>

#define PGT_COUNT     0x000fffffu
#define PGT_TYPE      0x0f000000u
#define PGT_NONE      0x00000000u  /* count 0 */
#define PGT_WRITABLE  0x01000000u  /* count = writable mappings (and transient hypervisor writes) */
#define PGT_L1        0x02000000u
#define PGT_L2        0x03000000u
#define PGT_L3        0x04000000u
#define PGT_SEGDESC   0x05000000u  /* a frame of a vCPU's GDT or LDT (desc_tables.c): count = uses */
#define PGT_DYING     0x06000000u  /* count 0, was a page table: not writable until the TLBs are flushed */
#define PGT_HYP       0x07000000u  /* the hypervisor's (per-vCPU tables): never the guest's to map or type */
/* The data types (none, writable) are the two with no bit of this set:
 * one test on the window's hot path tells data from everything else. */
#define PGT_NOT_DATA  0x0e000000u
_Static_assert((PGT_NONE & PGT_NOT_DATA) == 0 && (PGT_WRITABLE & PGT_NOT_DATA) == 0 && (PGT_L1 & PGT_NOT_DATA) != 0 &&
               (PGT_L2 & PGT_NOT_DATA) != 0 && (PGT_L3 & PGT_NOT_DATA) != 0 &&
               (PGT_SEGDESC & PGT_NOT_DATA) != 0 && (PGT_DYING & PGT_NOT_DATA) != 0 &&
               (PGT_HYP & PGT_NOT_DATA) != 0, "PGT_NOT_DATA");
#define PGT_PINNED    0x10000000u
#define PGT_XEN_L2    0x20000000u  /* with PGT_L2: the pae_xen_l2 */
#define PGT_WAS_WRITABLE 0x40000000u /* mapped writable since the last flush: flush before it becomes a table */

/* Guest L2 slots of a pae_xen_l2: those below HYPERVISOR_VIRT_START (0xF5800000). */
#define PV_XEN_L2_FIRST_HV_SLOT ((PV_M2P_VIRT_START >> 21) & 511)   /* 428 */

/* Entry bits refused, by level (Xen's L1_DISALLOW_MASK etc. for a PV
 * domain without I/O memory; kmapvisor also refuses bits 52-62, which Xen
 * leaves to 64-bit guests' software).  L1: caching attributes (PWT, PCD,
 * PAT); L2: those, PSE (no superpages for PV) and G; L3: those and NX. */
#define PV_HIGH_BITS  0x7ff0000000000000ull
#define PV_L1_BAD     (X86_PTE_PWT | X86_PTE_PCD | X86_PTE_PS | PV_HIGH_BITS)
#define PV_L2_BAD     (X86_PTE_PWT | X86_PTE_PCD | X86_PTE_PS | X86_PTE_G | PV_HIGH_BITS)
#define PV_L3_BAD     (X86_PTE_PWT | X86_PTE_PCD | X86_PTE_PS | X86_PTE_G | PV_HIGH_BITS | X86_PTE_NX)

/* mmu_update / mmuext_op's continuation flag in count (Xen's
 * MMU_UPDATE_PREEMPTED): kmapvisor never preempts, and ignores it. */
#ifndef MMU_UPDATE_PREEMPTED
#define MMU_UPDATE_PREEMPTED (~(~0u >> 1))
#endif

static inline uint32_t *pgt_word(const struct arch_domain *ad, uint32_t pfn) { return &ad->pgt[pfn]; }

/* A writable reference (lock-free): fails when the frame is or is about
 * to be a page table, or the hypervisor's.  mapping: a guest mapping
 * (marks the frame for a flush before it may become a page table). */
static inline bool pgt_get_writable(uint32_t *w, bool mapping)
{
    uint32_t x = __atomic_load_n(w, __ATOMIC_RELAXED), n;
    do {
        uint32_t t = x & PGT_TYPE, c = x & PGT_COUNT;
        if (t == PGT_WRITABLE && c && c < PGT_COUNT)
            n = x + 1;
        else if (t == PGT_NONE && !c)
            n = x | PGT_WRITABLE | 1;
        else
            return false;
        if (mapping)
            n |= PGT_WAS_WRITABLE;
    } while (!__atomic_compare_exchange_n(w, &x, n, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
    return true;
}

static inline void pgt_put_writable(uint32_t *w)
{
    uint32_t x = __atomic_load_n(w, __ATOMIC_RELAXED), n;
    do {
        n = x - 1;
        if (!(n & PGT_COUNT))
            n &= ~PGT_TYPE; /* none */
    } while (!__atomic_compare_exchange_n(w, &x, n, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
}

/* The domain's page-table lock; unlock flushes the TLBs for tables that
 * ended in the meantime (dying frames), before anyone may write them. */
void pv_mmu_lock(struct vcpu *v);
void pv_lock_serving(struct vcpu *v, spinlock_t *l);
void pv_mmu_unlock(struct vcpu *v);

/* Under the lock.  A reference of a page-table type (PGT_L1, PGT_L2,
 * PGT_L2 | PGT_XEN_L2, PGT_L3) on a guest frame, validating the table when
 * it had none; Xen's errors (-EINVAL wrong type or not the domain's;
 * the first bad entry's error). */
int pv_get_pt_type(struct vcpu *v, uint32_t mfn, uint32_t type);
void pv_put_pt_type(struct vcpu *v, uint32_t mfn);
/* Under the lock.  A seg-desc reference (Xen's PGT_seg_desc_page) on a
 * guest frame: when it had none, every one of its 512 descriptors is
 * checked (and fixed up in place) by pv_check_descriptor.  -EINVAL: not
 * the domain's, in use as another type (a table, or mapped writable), or
 * a descriptor refused. */
int pv_get_segdesc_type(struct vcpu *v, uint32_t mfn);
void pv_put_segdesc_type(struct vcpu *v, uint32_t mfn);
/* mod_lN_entry: entry idx of page-table frame pfn (typed, count > 0) to val. */
int pv_mod_entry(struct vcpu *v, uint32_t pfn, unsigned idx, uint64_t val);
/* Under the lock: the same, atomically from *old (compare-and-swap on the
 * entry); -XEN_EAGAIN and *old the entry now when it no longer holds *old
 * (the hardware set A or D), nothing changed.  Validation errors first. */
int pv_cmpxchg_entry(struct vcpu *v, uint32_t pfn, unsigned idx, uint64_t *old, uint64_t val);
/* Under the lock: v's base becomes the L3 mfn (an L3 reference; the old
 * base's dropped; the local TLB flushed).  Xen's errors. */
long pv_new_baseptr(struct vcpu *v, uint32_t mfn);
/* A writable transient reference for a hypervisor store into a guest frame. */
int pv_write_frame(struct vcpu *v, uint64_t ma, uint64_t val);
/* The TLB flush of every vCPU of the domain (tlb.c). */
void pv_flush_all(struct vcpu *v);
/* The vCPUs in mask (bit per vCPU id); va != ~0: only that page on v itself. */
void pv_flush_vcpus(struct vcpu *v, uint64_t mask, uint32_t va);
/* Service a flush request for v (the vCPU this CPU runs) while waiting. */
void pv_flush_service(struct vcpu *v);
/*
 * A domain frame the hypervisor will write through its own mapping from
 * now until the domain dies: take a permanent writable type reference
 * (never dropped), so the frame can never become a page table, a GDT or
 * an LDT frame (take_type needs the count at 0), and record it with its
 * name in ad->held.  Returns the host address, or NULL: not the domain's
 * frame, in use as another type (Xen's get_page_type(PGT_writable_page)
 * failing), or no room.  At run time call it under the MMU lock.
 */
void *pv_hold_writable(struct arch_domain *ad, uint32_t mfn, const char *what);
/* Frame sharing (for grant frames): the domain may map host
 * frame mfn, read-only or writable; it can never become a page table. */
int pv_share_frame(struct domain *d, uint64_t mfn, bool writable);

#endif
