/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's page tables, built and owned by the hypervisor.  Each vCPU
 * has its own PML4, PDPT and top page directory, so that the 2 MiB at
 * KMV_WINDOW_BASE can be backed by a per-vCPU page table: the kmap
 * window is at the same address on every vCPU but maps different frames.
 * Lowmem is mapped with 2 MiB pages shared by all vCPUs.  The tables live
 * in the domain's own (top) frames, typed FT_PAGETABLE so that the guest
 * can never map them.
 */
#include "pv.h"
#include "kmap_env.h"
#include <asm/mmu.h>
#include <kmapvisor/x86_pte.h>

static uint64_t take_pt_frame(struct domain *d, uint64_t *next_pfn)
{
    struct arch_domain *ad = d->arch;
    uint64_t pfn = (*next_pfn)++;
    ad->frame_type[pfn] = FT_PAGETABLE;
    uint64_t ma = (uint64_t)ad->p2m[pfn] << PAGE_SHIFT;
    memset(phys_to_virt(ma), 0, PAGE_SIZE);
    return ma;
}

/* Page-table frames a domain needs: PML4, PDPT, top page directory and
 * window table per vCPU, and one shared page directory for each GiB below
 * the top that lowmem reaches into. */
unsigned guest_pt_frames(const struct domain *d)
{
    const struct arch_domain *ad = d->arch;
    uint32_t first = ad->virt_base >> 30, last = (ad->virt_base + ad->lowmem_pages * PAGE_SIZE - 1) >> 30;
    return 4 * d->nr_vcpus + (first < 3 ? MIN(last, 2u) - first + 1 : 0);
}

int guest_pt_build(struct domain *d, struct vcpu *v, uint64_t *next_pt_pfn)
{
    struct arch_domain *ad = d->arch;
    uint64_t pml4 = take_pt_frame(d, next_pt_pfn);
    uint64_t pdpt = take_pt_frame(d, next_pt_pfn);
    uint64_t pd_top = take_pt_frame(d, next_pt_pfn);
    uint64_t wpt = take_pt_frame(d, next_pt_pfn);
    uint64_t *pml4v = phys_to_virt(pml4), *pdptv = phys_to_virt(pdpt);
    const uint64_t *kpml4 = phys_to_virt(kernel_cr3);
    /* The hypervisor's half: unreachable from compat mode (32-bit
     * addresses), but present so that traps run on these tables. */
    for (unsigned i = 256; i < 512; i++)
        pml4v[i] = kpml4[i];
    pml4v[0] = pdpt | X86_PTE_P | X86_PTE_W | X86_PTE_U;
    /* The top GiB's directory is this vCPU's own (it holds the window);
     * lowmem below the top GiB goes in directories all vCPUs share. */
    pdptv[3] = pd_top | X86_PTE_P | X86_PTE_W | X86_PTE_U;
    for (uint32_t i = 0; i < ad->lowmem_pages / 512; i++) {
        uint32_t va = ad->virt_base + (i << 21);
        unsigned gib = va >> 30;
        if (gib < 3 && !ad->lowmem_pd[gib])
            ad->lowmem_pd[gib] = take_pt_frame(d, next_pt_pfn);
        uint64_t *pdv = phys_to_virt(gib < 3 ? ad->lowmem_pd[gib] : pd_top);
        /* Lowmem is in 2 MiB-aligned runs of host frames (dom_build.c). */
        pdv[(va >> 21) & 511] = ((uint64_t)ad->p2m[i * 512] << PAGE_SHIFT) | X86_PTE_P | X86_PTE_W | X86_PTE_PS |
                                X86_PTE_A | X86_PTE_D;
    }
    for (unsigned gib = 0; gib < 3; gib++)
        if (ad->lowmem_pd[gib])
            pdptv[gib] = ad->lowmem_pd[gib] | X86_PTE_P | X86_PTE_W | X86_PTE_U;
    uint64_t *topv = phys_to_virt(pd_top);
    topv[(KMV_WINDOW_BASE >> 21) & 511] = wpt | X86_PTE_P | X86_PTE_W | X86_PTE_U;
    /* The M2P, read-only (no W: ring 1 is a supervisor ring, and CR0.WP
     * holds it to that), as Xen shows it to 32-bit guests: as much as the
     * compat window holds (frames below 16 GiB). */
    uint64_t m2p_ma = virt_to_phys(ad->m2p);
    uint64_t m2p_bytes = MIN(ad->m2p_frames * sizeof(*ad->m2p), (uint64_t)(PV_M2P_VIRT_END - PV_M2P_VIRT_START));
    for (uint64_t off = 0; off < m2p_bytes; off += 2u << 20)
        topv[((PV_M2P_VIRT_START + off) >> 21) & 511] =
            (m2p_ma + off) | X86_PTE_P | X86_PTE_PS | X86_PTE_A | X86_PTE_NX;
    v->arch->cr3 = pml4;
    v->arch->window_pt = phys_to_virt(wpt);
    return 0;
}

void vcpu_kmap_env(struct vcpu *v, struct kmap_env *env)
{
    *env = (struct kmap_env)PV_KMAP_ENV(v);
}
