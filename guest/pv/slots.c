/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's own kmap slot area, for when there is no kmapvisor window to
 * map into (on Xen), or when asked (slot_area=own on kmapvisor).
 *
 * Detection: kmapvisor's window is used when its start_info extension
 * describes one, or, without the extension, when KMAPOP_query answers
 * with one.  On Xen that query is -ENOSYS: no window, so the own area.
 *
 * Like Linux's fixmap kmap slots: one 2 MiB range just below Xen's
 * HYPERVISOR_VIRT_START (0xF5800000), [0xF5600000, 0xF5800000), one L1
 * page table the guest allocates (mm.c reserves it, cleared and mapped
 * read-only in lowmem) and hooks into the top GiB's L2 (Xen's pae_xen_l2)
 * with mmu_update.  Lowmem must then end at 0xF5600000: it is capped
 * there (pv_slots_plan), before mm.c maps it.
 *
 * Every vCPU runs on the same page tables (one CR3), so each has its own
 * slice of the area: vCPU c's slot i is base + (c * nr_slots + i) * 4096,
 * as Linux's KM_MAX_IDX * smp_processor_id().  Were two vCPUs to share a
 * slot, one's update_va_mapping would replace the other's live mapping
 * (slot_area=shared does exactly that, to show that the stress sees it).
 */
#include "pv.h"
#include <kmapvisor/limits.h>

#define AREA_TOP 0xf5800000u /* Xen's HYPERVISOR_VIRT_START for PAE guests */
#define AREA_BASE (AREA_TOP - (2u << 20))
#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_A 0x20ull
#define PTE_D 0x40ull
#define PTE_ADDR 0x000ffffffffff000ull

bool pv_own_slots; /* the own area, not kmapvisor's window */

bool pv_slots_plan(void)
{
    char how[16] = "";
    boot_arg("slot_area", how, sizeof(how));
    bool own = !plat.window_slots || !strcmp(how, "own") || !strcmp(how, "shared");
    if (!own)
        return false; /* kmapvisor's window */
    plat.window_base = AREA_BASE;
    plat.window_stride = PAGE_SIZE;
    plat.window_slots = KMV_DEFAULT_SLOTS; /* Linux's KM_MAX_IDX per CPU */
    plat.window_flags = 0;
    /* slot_area=shared: every vCPU on slice 0 (deliberately wrong). */
    plat.window_cpu_span = strcmp(how, "shared") ? KMV_DEFAULT_SLOTS * PAGE_SIZE : 0;
    _Static_assert(MAX_CPUS * KMV_DEFAULT_SLOTS * PAGE_SIZE <= AREA_TOP - AREA_BASE, "one L1 for every slice");
    /* Lowmem ends where the area begins. */
    if (plat.virt_base >= AREA_BASE)
        guest_panic("slots: VIRT_BASE %#x leaves no lowmem below the slot area at %#x", plat.virt_base, AREA_BASE);
    uint32_t cap = (AREA_BASE - plat.virt_base) >> PAGE_SHIFT;
    if (plat.lowmem_pages > cap) {
        plat.lowmem_pages = cap;
        plat.first_highmem_pfn = MAX(plat.first_highmem_pfn, cap);
    }
    return true;
}

void pv_slots_hook(uint32_t l1_mfn)
{
    const uint64_t *l3 = (const uint64_t *)start_info->pt_base;
    unsigned g = AREA_BASE >> 30, slot = (AREA_BASE >> 21) & 511;
    if (!(l3[g] & PTE_P))
        guest_panic("slots: no L2 for the top GiB to hook the slot area into");
    struct mmu_update u = {
        .ptr = ((l3[g] & PTE_ADDR) + slot * 8) | MMU_NORMAL_PT_UPDATE,
        .val = ((uint64_t)l1_mfn << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_A | PTE_D,
    };
    unsigned done = 0;
    long r = hypercall5(__HYPERVISOR_mmu_update, (unsigned long)&u, 1, (unsigned long)&done, DOMID_SELF, 0);
    if (r || done != 1)
        guest_panic("slots: hooking the L1 at %#x into the L2: %ld", AREA_BASE, r);
    /* No flush: nothing was mapped there before. */
}

void pv_slots_report(void)
{
    printk("slots: own slot area at %#x, %u slots per vCPU, %s\n", plat.window_base, plat.window_slots,
           plat.window_cpu_span ? "a slice per vCPU" : "every vCPU on slice 0 (slot_area=shared)");
}
