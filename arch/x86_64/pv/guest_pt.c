/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Each vCPU's own address-space frames, beside the guest's page tables.
 * The guest owns its PAE tables (an L3, its L2s and L1s, validated by the
 * PV MMU, page_type.c); the hardware walks them through four frames per
 * vCPU that belong to the hypervisor:
 *   PML4   [0] -> the L3 copy, [256..511] the hypervisor's half;
 *   L3 copy  slots 0-2 mirror the guest L3's (with U, RW and A added, as
 *            Xen's adjust_guest_l3e), slot 3 -> the L2 shadow;
 *   L2 shadow  slots below HYPERVISOR_VIRT_START (0xF5800000) mirror the
 *            guest's pae_xen_l2 (its L3's slot 3); above, the hypervisor's:
 *            the M2P read-only (2 MiB pages) and, at 0xffe00000, the
 *   window page table: this vCPU's kmap window.
 * So the window is at the same address on every vCPU but maps each vCPU's
 * own slots, even when vCPUs share a guest L3.  The guest L2s of slots
 * 0-2 and all guest L1s are walked by the hardware directly; an update of
 * a guest L3 or pae_xen_l2 entry is copied into every vCPU that runs on
 * it (pv_propagate_*), under the domain's MMU lock.
 * The four frames are the domain's top frames, typed PGT_HYP: the guest
 * can neither map, type nor pin them, nor push them into a window.
 */
#include "page_type.h"
#include "kmap_env.h"
#include <asm/mmu.h>

static uint64_t take_hyp_frame(struct domain *d, uint64_t *next_pfn)
{
    struct arch_domain *ad = d->arch;
    uint64_t pfn = (*next_pfn)++;
    ad->pgt[pfn] = PGT_HYP | 1;
    uint64_t ma = (uint64_t)ad->p2m[pfn] << PAGE_SHIFT;
    memset(phys_to_virt(ma), 0, PAGE_SIZE);
    return ma;
}

unsigned guest_pt_frames(const struct domain *d)
{
    return 4 * d->nr_vcpus;
}

int guest_pt_build(struct domain *d, struct vcpu *v, uint64_t *next_pt_pfn)
{
    struct arch_domain *ad = d->arch;
    uint64_t pml4 = take_hyp_frame(d, next_pt_pfn);
    uint64_t l3c = take_hyp_frame(d, next_pt_pfn);
    uint64_t l2s = take_hyp_frame(d, next_pt_pfn);
    uint64_t wpt = take_hyp_frame(d, next_pt_pfn);
    uint64_t *pml4v = phys_to_virt(pml4), *l3cv = phys_to_virt(l3c), *l2sv = phys_to_virt(l2s);
    const uint64_t *kpml4 = phys_to_virt(kernel_cr3);
    /* The hypervisor's half: unreachable from compat mode (32-bit
     * addresses), but present so that traps run on these tables. */
    for (unsigned i = 256; i < 512; i++)
        pml4v[i] = kpml4[i];
    pml4v[0] = l3c | X86_PTE_P | X86_PTE_W | X86_PTE_U;
    l3cv[3] = l2s | X86_PTE_P | X86_PTE_W | X86_PTE_U | X86_PTE_A;
    l2sv[(KMV_WINDOW_BASE >> 21) & 511] = wpt | X86_PTE_P | X86_PTE_W | X86_PTE_U;
    /* The M2P, read-only (no W: ring 1 is a supervisor ring, and CR0.WP
     * holds it to that), as Xen shows it to 32-bit guests: as much as the
     * compat window holds (frames below 16 GiB). */
    uint64_t m2p_ma = virt_to_phys(ad->m2p);
    uint64_t m2p_bytes = MIN(ad->m2p_frames * sizeof(*ad->m2p), (uint64_t)(PV_M2P_VIRT_END - PV_M2P_VIRT_START));
    for (uint64_t off = 0; off < m2p_bytes; off += 2u << 20)
        l2sv[((PV_M2P_VIRT_START + off) >> 21) & 511] =
            (m2p_ma + off) | X86_PTE_P | X86_PTE_PS | X86_PTE_A | X86_PTE_NX;
    v->arch->cr3 = pml4;
    v->arch->l3c = l3cv;
    v->arch->l2s = l2sv;
    v->arch->window_pt = phys_to_virt(wpt);
    return 0;
}

static uint64_t l3c_entry(uint64_t e)
{
    return (e & X86_PTE_P) ? e | X86_PTE_U | X86_PTE_W | X86_PTE_A : 0;
}

void pv_load_base(struct vcpu *v, uint32_t l3_mfn)
{
    struct arch_vcpu *av = v->arch;
    const uint64_t *l3 = phys_to_virt((uint64_t)l3_mfn << PAGE_SHIFT);
    uint32_t l2_mfn = (uint32_t)((l3[3] & X86_PTE_ADDR) >> PAGE_SHIFT);
    const uint64_t *l2 = phys_to_virt((uint64_t)l2_mfn << PAGE_SHIFT);
    av->base_mfn = l3_mfn;
    av->xen_l2_mfn = l2_mfn;
    for (unsigned i = 0; i < 3; i++)
        WRITE_ONCE(av->l3c[i], l3c_entry(l3[i]));
    for (unsigned i = 0; i < PV_XEN_L2_FIRST_HV_SLOT; i++)
        WRITE_ONCE(av->l2s[i], READ_ONCE(l2[i]));
    /* Whatever this vCPU's TLB holds is of its old tables. */
    __atomic_store_n(&av->need_flush, true, __ATOMIC_SEQ_CST);
}

void pv_propagate_l3e(struct domain *d, uint32_t l3_mfn, unsigned slot, uint64_t val)
{
    for (unsigned i = 0; i < d->nr_vcpus; i++)
        if (d->vcpu[i].arch->base_mfn == l3_mfn)
            WRITE_ONCE(d->vcpu[i].arch->l3c[slot], l3c_entry(val));
}

void pv_propagate_l2e(struct domain *d, uint32_t l2_mfn, unsigned slot, uint64_t val)
{
    for (unsigned i = 0; i < d->nr_vcpus; i++)
        if (d->vcpu[i].arch->base_mfn && d->vcpu[i].arch->xen_l2_mfn == l2_mfn)
            WRITE_ONCE(d->vcpu[i].arch->l2s[slot], val);
}

void vcpu_kmap_env(struct vcpu *v, struct kmap_env *env)
{
    *env = (struct kmap_env)PV_KMAP_ENV(v);
}
