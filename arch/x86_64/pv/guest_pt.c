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
    uint64_t ma = (ad->base_mfn + pfn) << PAGE_SHIFT;
    memset(phys_to_virt(ma), 0, PAGE_SIZE);
    return ma;
}

int guest_pt_build(struct domain *d, struct vcpu *v, uint64_t *next_pt_pfn)
{
    uint64_t pml4 = take_pt_frame(d, next_pt_pfn);
    uint64_t pdpt = take_pt_frame(d, next_pt_pfn);
    uint64_t pd = take_pt_frame(d, next_pt_pfn);
    uint64_t wpt = take_pt_frame(d, next_pt_pfn);
    uint64_t *pml4v = phys_to_virt(pml4);
    const uint64_t *kpml4 = phys_to_virt(kernel_cr3);
    /* The hypervisor's half: unreachable from compat mode (32-bit
     * addresses), but present so that traps run on these tables. */
    for (unsigned i = 256; i < 512; i++)
        pml4v[i] = kpml4[i];
    pml4v[0] = pdpt | X86_PTE_P | X86_PTE_W | X86_PTE_U;
    ((uint64_t *)phys_to_virt(pdpt))[3] = pd | X86_PTE_P | X86_PTE_W | X86_PTE_U;
    uint64_t *pdv = phys_to_virt(pd);
    uint64_t lowmem_ma = d->arch->base_mfn << PAGE_SHIFT;
    for (uint32_t i = 0; i < d->arch->lowmem_pages / 512; i++)
        pdv[i] = (lowmem_ma + ((uint64_t)i << 21)) | X86_PTE_P | X86_PTE_W | X86_PTE_PS | X86_PTE_A | X86_PTE_D;
    pdv[(KMV_WINDOW_BASE >> 21) & 511] = wpt | X86_PTE_P | X86_PTE_W | X86_PTE_U;
    v->arch->cr3 = pml4;
    v->arch->window_pt = phys_to_virt(wpt);
    return 0;
}

static int env_copy_to_guest(void *ctx, uint32_t gva, const void *src, size_t len)
{
    return copy_to_guest(ctx, gva, src, len);
}

static int env_copy_from_guest(void *ctx, void *dst, uint32_t gva, size_t len)
{
    return copy_from_guest(ctx, dst, gva, len);
}

static const struct kmap_env kmap_env_template = {
    .check_frame = env_check_frame,
    .set_pte = env_set_pte,
    .clear_pte = env_clear_pte,
    .flush_va = env_flush_va,
    .copy_to_guest = env_copy_to_guest,
    .copy_from_guest = env_copy_from_guest,
};

void vcpu_kmap_env(struct vcpu *v, struct kmap_env *env)
{
    *env = kmap_env_template;
    env->ctx = v;
}
