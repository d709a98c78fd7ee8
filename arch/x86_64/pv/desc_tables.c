/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A 32-bit PV guest's descriptor tables, by Xen 4.17's rules
 * (compat_set_gdt / pv_set_gdt, do_update_descriptor, MMUEXT_SET_LDT):
 * - set_gdt(frame_list, entries): entries <= 0x1c00 (the guest's part of
 *   the GDT, below the hypervisor's reserved entries); each of the
 *   ceil(entries / 512) frames takes a seg-desc type reference, which
 *   checks its 512 descriptors (desc_check.c); any failure is -EINVAL and
 *   changes nothing; then the old GDT's references are dropped.
 * - update_descriptor(ma_lo, ma_hi, lo, hi): an 8-byte aligned machine
 *   address in a frame of the domain's, the descriptor checked first;
 *   written when the frame is a seg-desc frame, or a data frame (a
 *   transient writable reference); a page table or the hypervisor's frame
 *   is -EINVAL.
 * - SET_LDT(linear, ents): ents <= 8192, linear page aligned and the
 *   table below 0xF5800000; the frames behind it take seg-desc
 *   references now (Xen does it at the first use, on a #PF), so an
 *   unmapped or invalid page is -EINVAL here.  0 entries: no LDT.
 * The tables are recorded per vCPU with their references; kmapvisor does
 * not load them into the CPU (docs/abi.md): what matters for safety is
 * that a frame with descriptors is never writable by the guest, never a
 * page table, and only ever holds checked descriptors.
 */
#include "page_type.h"
#include "desc_check.h"
#include <asm/mmu.h>

/* Seg-desc references on n frames, all or none. */
static long take_frames(struct vcpu *v, const uint32_t *mfn, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (pv_get_segdesc_type(v, mfn[i])) {
            while (i--)
                pv_put_segdesc_type(v, mfn[i]);
            return -XEN_EINVAL;
        }
    return 0;
}

static void drop_frames(struct vcpu *v, const uint32_t *mfn, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        pv_put_segdesc_type(v, mfn[i]);
}

static unsigned frames_for(uint32_t ents)
{
    return (ents + PV_DESCS_PER_FRAME - 1) / PV_DESCS_PER_FRAME;
}

long do_set_gdt(struct vcpu *v, const uint32_t *a)
{
    struct arch_vcpu *av = v->arch;
    uint32_t list = a[0], ents = a[1];
    uint32_t mfn[PV_GDT_MAX_FRAMES];
    _Static_assert(ARRAY_SIZE(mfn) == ARRAY_SIZE(av->gdt_mfn), "GDT frames");
    if (ents > PV_GDT_MAX_ENTS)
        return -XEN_EINVAL;
    unsigned n = frames_for(ents);
    if (n && copy_from_guest(v, mfn, list, n * sizeof(mfn[0])))
        return -XEN_EFAULT;
    pv_mmu_lock(v);
    long r = take_frames(v, mfn, n);
    if (!r) {
        drop_frames(v, av->gdt_mfn, frames_for(av->gdt_ents));
        memcpy(av->gdt_mfn, mfn, n * sizeof(mfn[0]));
        av->gdt_ents = ents;
    }
    pv_mmu_unlock(v);
    return r;
}

long do_update_descriptor(struct vcpu *v, const uint32_t *a)
{
    const struct arch_domain *ad = v->d->arch;
    uint64_t ma = a[0] | (uint64_t)a[1] << 32, d = a[2] | (uint64_t)a[3] << 32;
    if ((ma & 7) || !pv_check_descriptor(&d))
        return -XEN_EINVAL;
    uint32_t pfn = pv_mfn_to_pfn(ad, ma >> PAGE_SHIFT);
    if (pfn == M2P_NONE)
        return -XEN_EINVAL;
    pv_mmu_lock(v);
    uint32_t x = *pgt_word(ad, pfn);
    long r;
    if ((x & PGT_TYPE) == PGT_SEGDESC && (x & PGT_COUNT)) {
        /* Under the lock no reference can go: the frame stays seg-desc. */
        WRITE_ONCE(*(uint64_t *)phys_to_virt(ma), d);
        r = 0;
    } else if ((x & PGT_TYPE) == PGT_HYP) {
        r = -XEN_EINVAL;
    } else {
        r = pv_write_frame(v, ma, d); /* a data frame; a page table refuses (-EINVAL) */
    }
    pv_mmu_unlock(v);
    return r;
}

long pv_set_ldt(struct vcpu *v, uint32_t linear, uint32_t ents)
{
    struct arch_vcpu *av = v->arch;
    if (!ents)
        linear = 0;
    if ((linear & (PAGE_SIZE - 1)) || ents > PV_LDT_MAX_ENTS ||
        (uint64_t)linear + (uint64_t)ents * 8 > PV_COMPAT_VIRT_START)
        return -XEN_EINVAL;
    if (ents == av->ldt_ents && linear == av->ldt_base)
        return 0;
    uint32_t mfn[PV_LDT_MAX_FRAMES];
    _Static_assert(ARRAY_SIZE(mfn) == ARRAY_SIZE(av->ldt_mfn), "LDT frames");
    unsigned n = frames_for(ents);
    for (unsigned i = 0; i < n; i++) {
        uint64_t ma = guest_translate(v, linear + i * PAGE_SIZE, false);
        if (!ma || (ma >> PAGE_SHIFT) > UINT32_MAX)
            return -XEN_EINVAL;
        mfn[i] = (uint32_t)(ma >> PAGE_SHIFT);
    }
    long r = take_frames(v, mfn, n);
    if (r)
        return r;
    drop_frames(v, av->ldt_mfn, frames_for(av->ldt_ents));
    memcpy(av->ldt_mfn, mfn, n * sizeof(mfn[0]));
    av->ldt_base = linear;
    av->ldt_ents = ents;
    return 0;
}
