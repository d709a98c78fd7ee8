/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's initial page tables, in its own frames, as Xen's domain
 * builders lay them out for a 32-bit PAE guest: right after the boot
 * data (image, start_info, shared_info, the P2M list, the boot stack, the
 * module) an L3, the L2s the boot region needs (always the pae_xen_l2 of
 * the top GiB), and L1s mapping with 4 KiB pages everything from
 * VIRT_BASE to past the tables themselves plus 512 KiB of slack, rounded
 * up to 4 MiB (or to the end of lowmem).  The tables are mapped
 * read-only, everything else writable.  start_info's pt_base is the L3's
 * address, nr_pt_frames their number.  The L3 is then typed through the
 * PV MMU's own validation (so the builder obeys the rules it enforces),
 * pinned, and every vCPU starts on it.
 */
#include "page_type.h"
#include <asm/mmu.h>

#define MiB(n) ((uint64_t)(n) << 20)

static unsigned l2_count(uint32_t virt_base, uint64_t map_end)
{
    unsigned n = 1; /* the top GiB's, always */
    for (uint64_t g = virt_base >> 30; g < 3 && (g << 30) < map_end; g++)
        n++;
    return n;
}

int boot_pt_layout(const struct arch_domain *ad, uint32_t pt_va, struct boot_pt *bp)
{
    uint64_t lowmem_end = ad->virt_base + (uint64_t)ad->lowmem_pages * PAGE_SIZE;
    uint32_t n = 1, need;
    uint64_t map_end;
    for (;;) {
        map_end = MIN(ALIGN_UP(pt_va + (uint64_t)n * PAGE_SIZE + 512 * 1024, MiB(4)), lowmem_end);
        need = 1 + l2_count(ad->virt_base, map_end) + (uint32_t)((map_end - ad->virt_base + MiB(2) - 1) / MiB(2));
        if (need <= n)
            break;
        n = need;
    }
    if (pt_va + (uint64_t)need * PAGE_SIZE > lowmem_end)
        return -XEN_ENOMEM;
    *bp = (struct boot_pt){ .pt_va = pt_va, .nr_frames = need, .map_end = map_end };
    return 0;
}

static uint64_t *frame_at(const struct arch_domain *ad, uint32_t pfn, uint64_t *ma)
{
    *ma = (uint64_t)ad->p2m[pfn] << PAGE_SHIFT;
    return phys_to_virt(*ma);
}

void boot_pt_fill(const struct arch_domain *ad, struct boot_pt *bp)
{
    uint32_t first = (bp->pt_va - ad->virt_base) >> PAGE_SHIFT, next = first;
    uint64_t ma, l2ma[4] = { 0 };
    uint64_t *l3 = frame_at(ad, next++, &ma), *l2[4] = { 0 };
    bp->l3_mfn = (uint32_t)(ma >> PAGE_SHIFT);
    memset(l3, 0, PAGE_SIZE);
    for (unsigned g = 0; g < 4; g++) {
        bool needed = g == 3 || (g >= ad->virt_base >> 30 && ((uint64_t)g << 30) < bp->map_end);
        if (!needed)
            continue;
        l2[g] = frame_at(ad, next++, &l2ma[g]);
        memset(l2[g], 0, PAGE_SIZE);
        l3[g] = l2ma[g] | X86_PTE_P;
    }
    uint32_t end_pfn = (uint32_t)((bp->map_end - ad->virt_base) >> PAGE_SHIFT);
    for (uint32_t pfn = 0; pfn < end_pfn; pfn += 512) {
        uint32_t va = ad->virt_base + (pfn << PAGE_SHIFT);
        uint64_t *l1 = frame_at(ad, next++, &ma);
        memset(l1, 0, PAGE_SIZE);
        l2[va >> 30][(va >> 21) & 511] = ma | X86_PTE_P | X86_PTE_W | X86_PTE_U | X86_PTE_A | X86_PTE_D;
        for (uint32_t i = 0; i < 512 && pfn + i < end_pfn; i++) {
            bool table = pfn + i >= first && pfn + i < first + bp->nr_frames;
            l1[i] = ((uint64_t)ad->p2m[pfn + i] << PAGE_SHIFT) | X86_PTE_P | X86_PTE_A |
                    (table ? 0 : X86_PTE_W | X86_PTE_D);
        }
    }
}

int boot_pt_install(struct domain *d, const struct boot_pt *bp)
{
    struct vcpu *v0 = &d->vcpu[0];
    int r = 0;
    pv_mmu_lock(v0);
    /* The pin's reference (validating everything below), then one per vCPU. */
    r = pv_get_pt_type(v0, bp->l3_mfn, PGT_L3);
    if (!r) {
        __atomic_fetch_or(pgt_word(d->arch, pv_mfn_to_pfn(d->arch, bp->l3_mfn)), PGT_PINNED, __ATOMIC_SEQ_CST);
        for (unsigned i = 0; i < d->nr_vcpus && !r; i++)
            if (!(r = pv_get_pt_type(v0, bp->l3_mfn, PGT_L3)))
                pv_load_base(&d->vcpu[i], bp->l3_mfn);
    }
    pv_mmu_unlock(v0);
    return r;
}
