/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PV MMU's page types (Xen's rules for a 32-bit PAE guest, as
 * xen/arch/x86/mm.c applies them): taking a page-table type validates
 * every entry of the table and takes the references its entries need;
 * dropping the last one drops them again.  Entries:
 * - L1: the frame is the domain's (or shared with it) and not the
 *   hypervisor's; a writable one takes a writable reference, so a page
 *   table (or a frame about to become one) is never mapped writable
 *   (-EBUSY); a frame that is no RAM is -EPERM, another's RAM -EBUSY;
 * - L2: an L1 of the domain's; no PSE (no superpages for PV);
 * - L3 (slots 0-2): an L2; slot 3: present, a pae_xen_l2, whose slots from
 *   HYPERVISOR_VIRT_START up are the hypervisor's (not validated, not
 *   writable by the guest: -EPERM);
 * - a wrong type, a frame not the domain's, a reserved or refused bit:
 *   -EINVAL.  Linear (recursive) tables are refused: a table's entries
 *   must be of the level below, and a table being validated already has
 *   its own type, so it cannot appear below itself.
 * Everything here runs under the domain's MMU lock, except the writable
 * references (page_type.h), which are lock-free.
 */
#include "page_type.h"
#include "desc_check.h"
#include <asm/mmu.h>

static uint64_t *frame_of(uint32_t mfn) { return phys_to_virt((uint64_t)mfn << PAGE_SHIFT); }

static const struct { uint32_t mfn; bool writable; } *shared_frame(const struct arch_domain *ad, uint64_t mfn)
{
    for (unsigned i = 0; i < ad->nr_shared; i++)
        if (ad->shared[i].mfn == mfn)
            return (const void *)&ad->shared[i];
    return NULL;
}

int pv_share_frame(struct domain *d, uint64_t mfn, bool writable)
{
    struct arch_domain *ad = d->arch;
    if (pv_mfn_to_pfn(ad, mfn) != M2P_NONE)
        return -XEN_EINVAL; /* its own frames need no sharing */
    if (shared_frame(ad, mfn))
        return 0;
    if (ad->nr_shared == ARRAY_SIZE(ad->shared) || mfn > UINT32_MAX)
        return -XEN_ENOSPC;
    ad->shared[ad->nr_shared].mfn = (uint32_t)mfn;
    ad->shared[ad->nr_shared].writable = writable;
    __atomic_store_n(&ad->nr_shared, ad->nr_shared + 1, __ATOMIC_RELEASE);
    return 0;
}

void *pv_hold_writable(struct arch_domain *ad, uint32_t mfn, const char *what)
{
    uint32_t pfn = pv_mfn_to_pfn(ad, mfn);
    if (pfn == M2P_NONE || ad->nr_held == ARRAY_SIZE(ad->held) || !pgt_get_writable(pgt_word(ad, pfn), false))
        return NULL;
    ad->held[ad->nr_held].pfn = pfn;
    ad->held[ad->nr_held].what = what;
    ad->nr_held++;
    return frame_of(mfn);
}

/* ---- L1 entries ---- */

static void flush_dying(struct vcpu *v);

static int get_l1e(struct vcpu *v, uint64_t e)
{
    const struct arch_domain *ad = v->d->arch;
    if (!(e & X86_PTE_P))
        return 0;
    if (e & PV_L1_BAD)
        return -XEN_EINVAL;
    uint64_t mfn = (e & X86_PTE_ADDR) >> PAGE_SHIFT;
    uint32_t pfn = pv_mfn_to_pfn(ad, mfn);
    if (pfn == M2P_NONE) {
        const typeof(*shared_frame(ad, 0)) *s = shared_frame(ad, mfn);
        if (s)
            return (e & X86_PTE_W) && !s->writable ? -XEN_EBUSY : 0;
        /* Someone else's RAM (the hypervisor's, or free) is Xen's -EBUSY;
         * what is no RAM at all its -EPERM (I/O memory). */
        return host_frame_is_ram(mfn) ? -XEN_EBUSY : -XEN_EPERM;
    }
    uint32_t *w = pgt_word(ad, pfn);
    if ((*w & PGT_TYPE) == PGT_HYP)
        return -XEN_EBUSY;
    if ((e & X86_PTE_W) && (*w & PGT_TYPE) == PGT_DYING)
        flush_dying(v); /* a table that ended in this call: flush now, as Xen would on the type change */
    if ((e & X86_PTE_W) && !pgt_get_writable(w, true))
        return -XEN_EBUSY;
    return 0;
}

static void put_l1e(struct vcpu *v, uint64_t e)
{
    const struct arch_domain *ad = v->d->arch;
    if ((e & (X86_PTE_P | X86_PTE_W)) != (X86_PTE_P | X86_PTE_W))
        return;
    uint32_t pfn = pv_mfn_to_pfn(ad, (e & X86_PTE_ADDR) >> PAGE_SHIFT);
    if (pfn != M2P_NONE)
        pgt_put_writable(pgt_word(ad, pfn));
}

/* ---- tables ---- */

static unsigned entries_of(uint32_t type)
{
    switch (type & (PGT_TYPE | PGT_XEN_L2)) {
    case PGT_L1: return 512;
    case PGT_L2: return 512;
    case PGT_L2 | PGT_XEN_L2: return PV_XEN_L2_FIRST_HV_SLOT;
    default: return 4; /* L3: the four PAE slots */
    }
}

static int get_entry(struct vcpu *v, uint32_t type, unsigned i, uint64_t e)
{
    switch (type & PGT_TYPE) {
    case PGT_L1:
        return get_l1e(v, e);
    case PGT_L2:
        if (!(e & X86_PTE_P))
            return 0;
        if (e & PV_L2_BAD)
            return -XEN_EINVAL;
        return pv_get_pt_type(v, (uint32_t)MIN((e & X86_PTE_ADDR) >> PAGE_SHIFT, (uint64_t)UINT32_MAX), PGT_L1);
    default: /* L3 */
        if (!(e & X86_PTE_P))
            return i == 3 ? -XEN_EINVAL : 0; /* slot 3 holds the hypervisor's top GiB */
        if (e & PV_L3_BAD)
            return -XEN_EINVAL;
        return pv_get_pt_type(v, (uint32_t)MIN((e & X86_PTE_ADDR) >> PAGE_SHIFT, (uint64_t)UINT32_MAX),
                              i == 3 ? PGT_L2 | PGT_XEN_L2 : PGT_L2);
    }
}

static void put_entry(struct vcpu *v, uint32_t type, uint64_t e)
{
    if ((type & PGT_TYPE) == PGT_L1)
        put_l1e(v, e);
    else if (e & X86_PTE_P)
        pv_put_pt_type(v, (uint32_t)((e & X86_PTE_ADDR) >> PAGE_SHIFT));
}

/* A frame whose page-table use ended may still be in other CPUs' TLBs
 * (paging-structure caches): it stays DYING, unwritable, until the flush
 * at the end of the call (pv_mmu_unlock) or one now. */
static void flush_dying(struct vcpu *v)
{
    struct arch_domain *ad = v->d->arch;
    if (!ad->nr_dying)
        return;
    pv_flush_all(v);
    for (unsigned i = 0; i < ad->nr_dying; i++)
        __atomic_store_n(pgt_word(ad, ad->dying[i]), *pgt_word(ad, ad->dying[i]) & ~(PGT_TYPE | PGT_COUNT),
                         __ATOMIC_SEQ_CST);
    ad->nr_dying = 0;
}

/* Does any vCPU's kmap window map mfn writable (a live slot, or one a
 * lazy pop left in place)?  The window takes no references (kmap_env.h). */
static bool window_maps_writable(const struct domain *d, uint32_t mfn)
{
    for (unsigned i = 0; i < d->nr_vcpus; i++) {
        const struct vcpu *t = &d->vcpu[i];
        unsigned n = MIN(t->win.nslots * t->win.stride_pages, 512u);
        for (unsigned s = 0; s < n; s++) {
            uint64_t e = READ_ONCE(t->arch->window_pt[s]);
            if ((e & (X86_PTE_P | X86_PTE_W)) == (X86_PTE_P | X86_PTE_W) && (e & X86_PTE_ADDR) >> PAGE_SHIFT == mfn)
                return true;
        }
    }
    return false;
}

/* Take one use of a frame as `type` (a table type, with PGT_XEN_L2 for a
 * pae_xen_l2, or PGT_SEGDESC): a frame in use gains a count if it has the
 * same type; an unused data frame takes the type, unless a window maps it
 * writable, with the TLBs flushed first if it was mapped writable since
 * the last flush.  Returns 1 when the type was newly taken (the caller
 * then validates the contents and clears *w on failure), 0 when only the
 * count grew, or -EINVAL. */
static int take_type(struct vcpu *v, uint32_t mfn, uint32_t type, uint32_t **wp)
{
    struct arch_domain *ad = v->d->arch;
    uint32_t pfn = pv_mfn_to_pfn(ad, mfn);
    if (pfn == M2P_NONE)
        return -XEN_EINVAL;
    uint32_t *w = pgt_word(ad, pfn), x = __atomic_load_n(w, __ATOMIC_SEQ_CST);
    *wp = w;
    if ((x & PGT_TYPE) == PGT_DYING) {
        flush_dying(v);
        x = __atomic_load_n(w, __ATOMIC_SEQ_CST);
    }
    if (x & PGT_COUNT) {
        /* In use: only as the same type (a pae_xen_l2 only as one). */
        if ((x & (PGT_TYPE | PGT_XEN_L2)) != type || (x & PGT_COUNT) == PGT_COUNT)
            return -XEN_EINVAL;
        __atomic_fetch_add(w, 1, __ATOMIC_SEQ_CST);
        return 0;
    }
    /* Unused: take the type (racing only with a writable reference,
     * which wins or loses the swap), then validate. */
    uint32_t n = (x & PGT_WAS_WRITABLE) | type | 1;
    if ((x & PGT_TYPE) != PGT_NONE || !__atomic_compare_exchange_n(w, &x, n, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
        return -XEN_EINVAL;
    /* After the swap (a full barrier): a window mapping it writable keeps it
     * a data frame, as a writable L1 entry does. */
    if (window_maps_writable(v->d, mfn)) {
        __atomic_store_n(w, x, __ATOMIC_SEQ_CST);
        return -XEN_EINVAL;
    }
    if (n & PGT_WAS_WRITABLE) {
        /* It was mapped writable: no TLB may keep that mapping once it is
         * a table (Xen's tlbflush_timestamp check, always taken here). */
        pv_flush_all(v);
        __atomic_fetch_and(w, ~PGT_WAS_WRITABLE, __ATOMIC_SEQ_CST);
    }
    return 1;
}

int pv_get_pt_type(struct vcpu *v, uint32_t mfn, uint32_t type)
{
    uint32_t *w;
    int r = take_type(v, mfn, type, &w);
    if (r <= 0)
        return r;
    const uint64_t *t = frame_of(mfn);
    unsigned nr = entries_of(type);
    for (unsigned i = 0; i < nr; i++) {
        int r = get_entry(v, type, i, READ_ONCE(t[i]));
        if (r) {
            while (i--)
                put_entry(v, type, READ_ONCE(t[i]));
            __atomic_store_n(w, 0, __ATOMIC_SEQ_CST);
            return r;
        }
    }
    return 0;
}

void pv_put_pt_type(struct vcpu *v, uint32_t mfn)
{
    struct arch_domain *ad = v->d->arch;
    uint32_t pfn = pv_mfn_to_pfn(ad, mfn);
    uint32_t *w = pgt_word(ad, pfn), x = *w;
    if ((x & PGT_COUNT) > 1) {
        __atomic_fetch_sub(w, 1, __ATOMIC_SEQ_CST);
        return;
    }
    /* The last reference: drop what its entries hold, then wait for the
     * flush before the frame may be written (the count 0 with a table
     * type already refuses writable references). */
    __atomic_store_n(w, x & (PGT_TYPE | PGT_XEN_L2), __ATOMIC_SEQ_CST);
    const uint64_t *t = frame_of(mfn);
    unsigned nr = entries_of(x);
    for (unsigned i = 0; i < nr; i++)
        put_entry(v, x, READ_ONCE(t[i]));
    if (ad->nr_dying == ARRAY_SIZE(ad->dying))
        flush_dying(v);
    __atomic_store_n(w, PGT_DYING, __ATOMIC_SEQ_CST);
    ad->dying[ad->nr_dying++] = pfn;
}

/* ---- descriptor-table frames ---- */

/* The frame becomes PGT_SEGDESC like a table becomes one: from count 0,
 * never while mapped writable (an L1 entry or a window slot), with the
 * TLBs flushed first if it was mapped writable since the last flush; then
 * its descriptors are checked.  It is no paging structure: dropping the
 * last use makes it a data frame again at once (no DYING state). */
int pv_get_segdesc_type(struct vcpu *v, uint32_t mfn)
{
    uint32_t *w;
    int r = take_type(v, mfn, PGT_SEGDESC, &w);
    if (r <= 0)
        return r;
    uint64_t *t = frame_of(mfn);
    for (unsigned i = 0; i < PV_DESCS_PER_FRAME; i++) {
        uint64_t d = READ_ONCE(t[i]), fixed = d;
        if (!pv_check_descriptor(&fixed)) {
            __atomic_store_n(w, 0, __ATOMIC_SEQ_CST);
            return -XEN_EINVAL;
        }
        if (fixed != d)
            WRITE_ONCE(t[i], fixed); /* Xen's fix-ups are written back, as alloc_segdesc_page does */
    }
    return 0;
}

void pv_put_segdesc_type(struct vcpu *v, uint32_t mfn)
{
    uint32_t *w = pgt_word(v->d->arch, pv_mfn_to_pfn(v->d->arch, mfn)), x = __atomic_load_n(w, __ATOMIC_SEQ_CST), n;
    do {
        n = x - 1;
        if (!(n & PGT_COUNT))
            n &= ~(PGT_TYPE | PGT_PINNED);
    } while (!__atomic_compare_exchange_n(w, &x, n, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
}

/* ---- entry updates (mod_l1_entry, mod_l2_entry, mod_l3_entry) ---- */

/* The one update of a table entry, mmu_update's and the emulated direct
 * writes' (ptwr.c): validate val, take what it references, swap it in if
 * the entry still holds *old, drop what the old one referenced.  Only
 * the hardware changes an entry of a table in use without the MMU lock,
 * and only its A and D bits (no reference depends on them); a swap that
 * loses to it gives -XEN_EAGAIN with *old the entry now, nothing done. */
int pv_cmpxchg_entry(struct vcpu *v, uint32_t pfn, unsigned idx, uint64_t *old, uint64_t val)
{
    struct domain *d = v->d;
    const struct arch_domain *ad = d->arch;
    uint32_t x = *pgt_word(ad, pfn), type = x & PGT_TYPE;
    uint32_t mfn = ad->p2m[pfn];
    uint64_t *t = frame_of(mfn), cur = READ_ONCE(t[idx]);
    if (type == PGT_L2 && (x & PGT_XEN_L2) && idx >= PV_XEN_L2_FIRST_HV_SLOT)
        return -XEN_EPERM; /* the hypervisor's slots */
    if (type == PGT_L3 && idx >= 3)
        return -XEN_EINVAL; /* slot 3 is fixed for the L3's life (as Xen); 4+ are not PAE slots */
    uint64_t bad = type == PGT_L1 ? PV_L1_BAD : type == PGT_L2 ? PV_L2_BAD : PV_L3_BAD;
    if ((val & X86_PTE_P) && (val & bad))
        return -XEN_EINVAL;
    if (cur != *old) {
        *old = cur;
        return -XEN_EAGAIN;
    }
    /* The same frame, present and (for an L1) as writable as before:
     * no reference changes, only flags. */
    uint64_t same = X86_PTE_ADDR | X86_PTE_P | (type == PGT_L1 ? X86_PTE_W : 0);
    bool refs = !((val & X86_PTE_P) && ((cur ^ val) & same) == 0);
    uint32_t vtype = type == PGT_L2 ? (x & (PGT_TYPE | PGT_XEN_L2)) : type;
    if (refs) {
        int r = get_entry(v, vtype, idx, val);
        if (r)
            return r;
    }
    if (!__atomic_compare_exchange_n(&t[idx], old, val, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        if (refs)
            put_entry(v, type, val); /* *old: the entry now */
        return -XEN_EAGAIN;
    }
    if (refs)
        put_entry(v, type, cur);
    if (type == PGT_L3)
        pv_propagate_l3e(d, mfn, idx, val);
    else if (type == PGT_L2 && (x & PGT_XEN_L2))
        pv_propagate_l2e(d, mfn, idx, val);
    return 0;
}

int pv_mod_entry(struct vcpu *v, uint32_t pfn, unsigned idx, uint64_t val)
{
    const struct arch_domain *ad = v->d->arch;
    uint64_t old = READ_ONCE(((uint64_t *)frame_of(ad->p2m[pfn]))[idx]);
    int r;
    /* A whole-entry store: whatever A/D bits the hardware set meanwhile
     * are overwritten, as a plain store would (Xen's mmu_update without
     * MMU_PT_UPDATE_PRESERVE_AD); the hardware sets each at most once
     * between two stores, so this ends. */
    while ((r = pv_cmpxchg_entry(v, pfn, idx, &old, val)) == -XEN_EAGAIN)
        ;
    return r;
}

/* A store into a guest frame that is no page table in use (Xen's
 * mmu_update of a writable page): a transient writable reference. */
int pv_write_frame(struct vcpu *v, uint64_t ma, uint64_t val)
{
    const struct arch_domain *ad = v->d->arch;
    uint32_t pfn = pv_mfn_to_pfn(ad, ma >> PAGE_SHIFT);
    uint32_t *w = pgt_word(ad, pfn);
    if ((*w & PGT_TYPE) == PGT_DYING)
        flush_dying(v);
    if (!pgt_get_writable(w, false))
        return -XEN_EINVAL;
    WRITE_ONCE(*(uint64_t *)phys_to_virt(ma), val);
    pgt_put_writable(w);
    return 0;
}

/* NEW_BASEPTR (and a CR3 write): v runs on the L3 mfn from now on. */
long pv_new_baseptr(struct vcpu *v, uint32_t mfn)
{
    uint32_t old = v->arch->base_mfn;
    long r = pv_get_pt_type(v, mfn, PGT_L3);
    if (r)
        return r;
    pv_load_base(v, mfn);
    if (old)
        pv_put_pt_type(v, old);
    pv_flush_service(v); /* the local flush (pv_load_base asked for it) */
    return 0;
}

/* ---- the lock ---- */

/* While spinning, this CPU answers flush requests for the vCPU it runs:
 * the holder may be waiting for exactly that (tlb.c).  Every lock that is
 * held while the MMU lock is taken (d->lock in vcpu_op) is taken so too. */
void pv_lock_serving(struct vcpu *v, spinlock_t *l)
{
    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
        while (l->locked) {
            pv_flush_service(v);
            cpu_relax();
        }
}

void pv_mmu_lock(struct vcpu *v)
{
    pv_lock_serving(v, &v->d->arch->mmu_lock);
}

void pv_mmu_unlock(struct vcpu *v)
{
    flush_dying(v);
    spin_unlock(&v->d->arch->mmu_lock);
}
