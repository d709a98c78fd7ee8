/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Lowmem on the guest's own page tables.  The builder maps only the boot
 * region (the image, start_info, the P2M list, the boot stack, the page
 * tables and some slack), as Xen does; here the guest maps the rest of
 * lowmem at VIRT_BASE itself, through the PV MMU:
 *  - new table frames are the first frames past the boot mapping, cleared
 *    (MMUEXT_CLEAR_PAGE);
 *  - a new L1 is filled with mmu_update requests while it is still an
 *    ordinary frame (Xen stores them as they are), then hooked into its L2
 *    with one more request, which validates it and makes it an L1;
 *  - a GiB without an L2 gets a new one, filled the same way and hooked
 *    into the L3 last (validating it and its L1s in one go);
 *  - every page-table frame (the builder's and ours) is mapped read-only:
 *    the PV MMU refuses a writable mapping of a table.
 */
#include "pv.h"

#define M2P ((const uint32_t *)0xf5800000u)  /* Xen's read-only machine-to-phys table */
#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_US 0x4ull
#define PTE_A 0x20ull
#define PTE_D 0x40ull
#define PTE_ADDR 0x000ffffffffff000ull

static struct mmu_update reqs[512];
static unsigned nreqs;

static void flush_reqs(void)
{
    unsigned done = 0;
    long r = nreqs ? hypercall5(__HYPERVISOR_mmu_update, (unsigned long)reqs, nreqs, (unsigned long)&done, DOMID_SELF, 0)
                   : 0;
    if (r || done != nreqs)
        guest_panic("mm: mmu_update of %u entries: %ld (%u done)", nreqs, r, done);
    nreqs = 0;
}

static void set_entry(uint64_t ma, uint64_t val)
{
    reqs[nreqs++] = (struct mmu_update){ .ptr = ma | MMU_NORMAL_PT_UPDATE, .val = val };
    if (nreqs == ARRAY_SIZE(reqs))
        flush_reqs();
}

static uint32_t mfn_of(uint32_t pfn) { return ((const uint32_t *)start_info->mfn_list)[pfn]; }
static uint64_t ma_of(uint32_t pfn) { return (uint64_t)mfn_of(pfn) << PAGE_SHIFT; }

static void clear_frame(uint32_t pfn)
{
    struct mmuext_op op = { .cmd = MMUEXT_CLEAR_PAGE, .arg1.mfn = mfn_of(pfn) };
    long r = hypercall5(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF, 0);
    if (r)
        guest_panic("mm: clear_page(pfn %u): %ld", pfn, r);
}

/* A table the builder made, read through its read-only boot mapping. */
static const uint64_t *boot_table(uint64_t entry)
{
    return (const uint64_t *)(kmv_ext->virt_base + M2P[(entry & PTE_ADDR) >> PAGE_SHIFT] * PAGE_SIZE);
}

uint32_t pv_mm_init(bool spare_table)
{
    uint32_t vb = plat.virt_base;
    uint32_t top = MIN(plat.lowmem_pages, (uint32_t)start_info->nr_pages); /* frames we map (slots.c may cap) */
    uint32_t pt_first = (start_info->pt_base - vb) >> PAGE_SHIFT, pt_end = pt_first + start_info->nr_pt_frames;
    const uint64_t *l3 = (const uint64_t *)start_info->pt_base;
    uint32_t chunks = (top + 511) / 512, new_tables = 0, first_unmapped = top;
    bool gib_seen[4] = { false };
    /* How many tables are missing: an L2 per GiB without one, an L1 per
     * 2 MiB without one. */
    for (uint32_t c = 0; c < chunks; c++) {
        uint32_t va = vb + c * (2u << 20), g = va >> 30;
        bool has_l2 = l3[g] & PTE_P, has_l1 = has_l2 && (boot_table(l3[g])[(va >> 21) & 511] & PTE_P);
        new_tables += !has_l1 + (!has_l2 && !gib_seen[g]);
        gib_seen[g] |= !has_l2;
        if (!has_l1)
            first_unmapped = MIN(first_unmapped, c * 512);
    }
    new_tables += spare_table;
    /* The new tables: the first frames past the boot mapping. */
    uint32_t first_new = first_unmapped, next = first_new, new_l2[4] = { 0 };
    if (new_tables > top - first_new)
        guest_panic("mm: no room for %u page tables in lowmem", new_tables);
    for (uint32_t c = 0; c < chunks; c++) {
        uint32_t va = vb + c * (2u << 20), g = va >> 30, slot = (va >> 21) & 511;
        if ((l3[g] & PTE_P) && (boot_table(l3[g])[slot] & PTE_P))
            continue; /* the builder's */
        uint32_t l1 = next++;
        clear_frame(l1);
        for (uint32_t i = 0; i < 512 && c * 512 + i < top; i++) {
            uint32_t pfn = c * 512 + i;
            bool table = (pfn >= pt_first && pfn < pt_end) || (pfn >= first_new && pfn < first_new + new_tables);
            set_entry(ma_of(l1) + i * 8, ma_of(pfn) | PTE_P | PTE_A | (table ? 0 : PTE_RW | PTE_D));
        }
        if (l3[g] & PTE_P) {
            /* Into a live L2: this request validates the L1. */
            set_entry((l3[g] & PTE_ADDR) + slot * 8, ma_of(l1) | PTE_P | PTE_RW | PTE_A | PTE_D);
        } else {
            if (!new_l2[g]) {
                new_l2[g] = next++;
                clear_frame(new_l2[g]);
            }
            set_entry(ma_of(new_l2[g]) + slot * 8, ma_of(l1) | PTE_P | PTE_RW | PTE_A | PTE_D);
        }
    }
    flush_reqs();
    uint32_t spare = 0;
    if (spare_table) {
        spare = next++; /* inside [first_new, first_new + new_tables): mapped read-only above */
        clear_frame(spare);
    }
    /* New L2s last: hooking one validates it and its L1s. */
    for (unsigned g = 0; g < 4; g++)
        if (new_l2[g]) {
            set_entry(((uint64_t)mfn_of((start_info->pt_base - vb) >> PAGE_SHIFT) << PAGE_SHIFT) + g * 8,
                      ma_of(new_l2[g]) | PTE_P);
            flush_reqs();
        }
    /* No flush needed: nothing was mapped there before. */
    return spare_table ? mfn_of(spare) : 0;
}
