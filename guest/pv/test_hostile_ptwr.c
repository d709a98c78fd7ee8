/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Group "ptwr": writable page tables (VMASST_TYPE_writable_pagetables)
 * used to smuggle in what mmu_update refuses.  With the assist on, the
 * guest writes the entries of a live L1 (pinned, hooked into the
 * pae_xen_l2, mapped read-only through its own entry 1) directly; each
 * write that would map a page table writable, map a frame of the
 * hypervisor's, set a reserved or caching bit, or write a table that is
 * no L1 (the L3, the pae_xen_l2, the M2P) must come back as the guest's
 * #PF with the entry unchanged -- never be emulated.
 */
#include "test_hostile.h"
#include "test_mm.h"
#include <xen/memory.h>

#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_US 0x4ull
#define PTE_PWT 0x8ull
#define PTE_PCD 0x10ull
#define PTE_PAT 0x80ull
#define PTE_ADDR 0x000ffffffffff000ull
#define SLOT 404u                                   /* of the pae_xen_l2 */
#define VA (0xc0000000u + SLOT * (2u << 20))
#define PT ((volatile uint64_t *)(VA + 4096))       /* the live L1, through its entry 1 */

static const trap_info_t catch_pf[] = {
    { 14, 0, FLAT_RING1_CS, (unsigned long)hostile_catch_14 },
    { 0, 0, 0, 0 },
};

/* What the attack functions write, and where. */
static volatile uint32_t *where;
static uint32_t lo, hi;
static void store32(void) { *where = lo; }
static void store64(void) /* cmpxchg8b against the current entry: the whole entry at once */
{
    uint64_t cur = *(volatile uint64_t *)where;
    uint32_t a = (uint32_t)cur, d = (uint32_t)(cur >> 32);
    __asm__ volatile("lock cmpxchg8b %0" : "+m"(*(volatile uint64_t *)where), "+a"(a), "+d"(d) : "b"(lo), "c"(hi)
                     : "memory", "cc");
}
static void orb_rw(void) { __asm__ volatile("lock orb $2, %0" : "+m"(*(volatile uint8_t *)where) : : "memory", "cc"); }

static void attack(const char *what, void (*fn)(void), volatile uint32_t *at, uint64_t val)
{
    where = at, lo = (uint32_t)val, hi = (uint32_t)(val >> 32);
    volatile uint64_t *entry = (volatile uint64_t *)((uint32_t)at & ~7u);
    uint64_t before = *entry;
    HYPERVISOR_set_trap_table(catch_pf);
    long got = hostile_try(fn);
    hostile_restore();
    hostile_reportf(got, CAUGHT(14), "ptwr: %s", what);
    hostile_reportf((long)(*entry == before), 1, "ptwr: %s: the entry unchanged", what);
}

void hostile_group_ptwr(void);
void hostile_group_ptwr(void)
{
    const uint64_t *l3 = (const uint64_t *)start_info->pt_base;
    uint32_t l3_mfn = hostile_mfn((start_info->pt_base - kmv_ext->virt_base) >> PAGE_SHIFT);
    uint32_t xl2 = (uint32_t)((l3[3] & PTE_ADDR) >> PAGE_SHIFT);
    uint32_t t = hostile_mfn(kmv_ext->first_highmem_pfn + 780), data = hostile_mfn(kmv_ext->first_highmem_pfn + 781);
    uint32_t hyp = hostile_mfn(start_info->nr_pages - 1) + 1; /* the vCPUs' own tables, above the domain's */
    if (kmv_ext->virt_base != 0xc0000000u || kmv_ext->lowmem_pages > SLOT * 512) {
        printk("guest: hostile: ptwr: lowmem not at 0xc0000000 below %#x: skipped\n", VA);
        return;
    }
    ext(MMUEXT_CLEAR_PAGE, t, 0);
    mmu1(ma(t) + 8, ma(t) | PTE_P);                    /* entry 1: itself, read-only */
    mmu1(ma(t) + 16, ma(data) | PTE_P | PTE_RW);       /* entry 2: a data frame */
    hostile_report("ptwr: pin the test L1", ext(MMUEXT_PIN_L1_TABLE, t, 0), 0);
    hostile_report("ptwr: hook it", mmu1(ma(xl2) + SLOT * 8, ma(t) | PTE_P | PTE_RW | PTE_US), 0);
    hostile_report("ptwr: vm_assist(enable, writable_pagetables)",
                   hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
    volatile uint32_t *e2 = (volatile uint32_t *)&PT[2];

    attack("mov: the L1 itself, writable", store32, e2, ma(t) | PTE_P | PTE_RW);
    attack("mov: the boot L3, writable", store32, e2, ma(l3_mfn) | PTE_P | PTE_RW);
    attack("mov: the pae_xen_l2, writable", store32, e2, ma(xl2) | PTE_P | PTE_RW);
    attack("cmpxchg8b: the L1 itself, writable", store64, e2, ma(t) | PTE_P | PTE_RW);
    attack("mov: a hypervisor frame (a vCPU's tables), read-only", store32, e2, ma(hyp) | PTE_P);
    attack("mov: hypervisor text (frame 0x100), read-only", store32, e2, ma(0x100) | PTE_P);
    attack("mov: another's RAM (frame 1), writable", store32, e2, ma(1) | PTE_P | PTE_RW);
    attack("mov: the LAPIC (no RAM)", store32, e2, ma(0xfee00) | PTE_P | PTE_RW);
    struct xen_machphys_mfn_list l = { .max_extents = 1 };
    xen_pfn_t m2p_mfn = 0;
    set_xen_guest_handle(l.extent_start, &m2p_mfn);
    if (!hypercall2(__HYPERVISOR_memory_op, XENMEM_machphys_mfn_list, &l) && l.nr_extents)
        attack("mov: an M2P frame, writable", store32, e2, ma(m2p_mfn) | PTE_P | PTE_RW);
    attack("mov: PWT", store32, e2, ma(data) | PTE_P | PTE_RW | PTE_PWT);
    attack("mov: PCD", store32, e2, ma(data) | PTE_P | PTE_RW | PTE_PCD);
    attack("mov: PAT (the superpage bit of an L2)", store32, e2, ma(data) | PTE_P | PTE_RW | PTE_PAT);
    attack("cmpxchg8b: bit 52 (reserved)", store64, e2, ma(data) | PTE_P | (1ull << 52));
    attack("cmpxchg8b: bit 62", store64, e2, ma(data) | PTE_P | (1ull << 62));
    attack("cmpxchg8b: a frame beyond RAM", store64, e2, (1ull << 40) | PTE_P);
    /* RW onto a read-only mapping of a table: entry 1 (itself). */
    attack("lock orb $RW: the L1's read-only self-mapping made writable", orb_rw, (volatile uint32_t *)&PT[1], 0);
    /* Tables that are no L1: never emulated (Xen's ptwr is for L1s only). */
    attack("mov: the boot L3 (slot 1), directly", store32, (volatile uint32_t *)(l3 + 1), 0);
    attack("mov: the M2P", store32, (volatile uint32_t *)MACH2PHYS_VIRT_START, 0);
    /* The same with the assist off: nothing is emulated. */
    hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_disable, VMASST_TYPE_writable_pagetables);
    attack("assist off: mov: a data frame, read-only", store32, e2, ma(data) | PTE_P);
    hostile_report("ptwr: unhook", mmu1(ma(xl2) + SLOT * 8, 0), 0);
    hostile_report("ptwr: unpin", ext(MMUEXT_UNPIN_TABLE, t, 0), 0);
    ext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0);
}
