/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the guest learns at boot, and from where.  kmapvisor's start_info
 * extension (struct kmv_start_ext at offset 2048) says everything at
 * once; without it (on Xen, or with the guest argument noext=1) the
 * guest derives the same from Xen's standard sources: the vCPU count
 * from VCPUOP_is_up, memory from start_info, the TSC rate from its
 * vcpu_time_info, the window (if any) from KMAPOP_query, and lowmem from
 * the guest argument lowmem_mb (default KMV_DEFAULT_LOWMEM_MB, capped by
 * memory).  shared_info is mapped with update_va_mapping at a page of the
 * image set aside for it, as on Xen (which keeps it outside guest memory);
 * only if that fails is it looked for in the P2M.
 */
#include "pv.h"
#include <kmapvisor/x86_pte.h>

extern char GUEST_BASE[];
static uint8_t shared_info_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
bool shared_info_mapped; /* by update_va_mapping (else found in the P2M) */

shared_info_t *find_shared_info(const start_info_t *si)
{
    /* Xen's way: map it, at a page of our own image, whatever frame it is. */
    uint64_t pte = (uint64_t)si->shared_info | X86_PTE_P | X86_PTE_W | X86_PTE_A | X86_PTE_D | X86_PTE_NX;
    if (!HYPERVISOR_update_va_mapping((uint32_t)shared_info_page, pte, UVMF_INVLPG | UVMF_LOCAL)) {
        shared_info_mapped = true;
        return (shared_info_t *)shared_info_page;
    }
    /* A hypervisor without update_va_mapping outside its window (kmapvisor
     * before the PV MMU) placed it in guest memory: find it in the P2M. */
    const uint32_t *p2m = (const uint32_t *)si->mfn_list;
    uint32_t mfn = si->shared_info >> PAGE_SHIFT;
    for (uint32_t pfn = 0; pfn < si->nr_pages; pfn++)
        if (p2m[pfn] == mfn)
            return (shared_info_t *)((uint32_t)GUEST_BASE + pfn * PAGE_SIZE);
    return NULL;
}

bool plat_info_from_ext(const start_info_t *si, struct platform_info *p)
{
    const struct kmv_start_ext *ext = (const void *)((const char *)si + KMV_START_EXT_OFFSET);
    if (ext->magic != KMV_START_EXT_MAGIC || boot_arg_uint("noext", 0))
        return false;
    kmv_ext = ext;
    *p = (struct platform_info){
        .name = "pv",
        .nr_cpus = ext->nr_vcpus,
        .virt_base = ext->virt_base,
        .lowmem_pages = ext->lowmem_pages,
        .first_highmem_pfn = ext->first_highmem_pfn,
        .nr_usable_pages = ext->nr_usable_pages,
        .window_base = ext->window.base,
        .window_stride = ext->window.stride,
        .window_slots = ext->window.nslots,
        .window_flags = ext->window.flags,
        .tsc_khz = ext->tsc_khz,
    };
    return true;
}

/* Xen's time scale backwards: the TSC's kHz from tsc_to_system_mul and
 * tsc_shift (ns = ((tsc << shift) * mul) >> 32). */
static uint32_t tsc_khz_of(const vcpu_time_info_t *t)
{
    if (!t->tsc_to_system_mul)
        return 0;
    uint64_t khz = kmv_div_u64(1000000ull << 32, t->tsc_to_system_mul, NULL);
    return (uint32_t)(t->tsc_shift >= 0 ? khz >> t->tsc_shift : khz << -t->tsc_shift);
}

void plat_info_from_xen(const start_info_t *si, struct platform_info *p)
{
    static struct kmv_start_ext derived;
    unsigned cpus = 1;
    while (cpus < MAX_CPUS && HYPERVISOR_vcpu_op(VCPUOP_is_up, cpus, NULL) >= 0)
        cpus++;
    uint32_t lowmem = (uint32_t)boot_arg_uint("lowmem_mb", KMV_DEFAULT_LOWMEM_MB) << (20 - PAGE_SHIFT);
    lowmem = MIN(lowmem, si->nr_pages);
    struct kmap_window_info w = { 0 };
    if (HYPERVISOR_kmap_op(KMAPOP_query, (unsigned long)&w, 0, 0, 0))
        w = (struct kmap_window_info){ 0 }; /* not kmapvisor: no window */
    /* The boot region ends at pt_base plus the page tables (Xen's layout). */
    uint32_t first_free = (si->pt_base + si->nr_pt_frames * PAGE_SIZE - (uint32_t)GUEST_BASE) >> PAGE_SHIFT;
    derived = (struct kmv_start_ext){
        .magic = 0, .nr_vcpus = cpus, .lowmem_pages = lowmem, .virt_base = (uint32_t)GUEST_BASE,
        .first_highmem_pfn = lowmem, .nr_usable_pages = si->nr_pages, .first_free_pfn = first_free,
        .tsc_khz = tsc_khz_of(&shared->vcpu_info[0].time), .window = w,
    };
    kmv_ext = &derived;
    *p = (struct platform_info){
        .name = "pv",
        .nr_cpus = cpus,
        .virt_base = (uint32_t)GUEST_BASE,
        .lowmem_pages = lowmem,
        .first_highmem_pfn = lowmem,
        .nr_usable_pages = si->nr_pages,
        .window_base = w.base,
        .window_stride = w.stride,
        .window_slots = w.nslots,
        .window_flags = w.flags,
        .tsc_khz = derived.tsc_khz,
    };
}
