/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test=desc: the guest's descriptor tables (set_gdt, update_descriptor,
 * MMUEXT_SET_LDT) against Xen 4.17's rules for a 32-bit PV guest, as the
 * hypervisor implements them: a GDT frame is typed (readable, never
 * writable, never a page table), every descriptor is checked (DPL 0 fixed
 * up to 1, 64-bit code, TSS/LDT/interrupt gates and call gates to the
 * hypervisor's selectors refused), and the hypervisor is unharmed after.
 * kmapvisor records and checks the tables but does not load them into
 * the CPU (docs/abi.md): the guest's own selectors are not used here.
 * Frames: highmem, mapped nowhere, written by mmu_update's plain store
 * while they are ordinary frames; read back through a read-only mapping.
 */
#include "pv.h"
#include "test_mm.h"
#include <xen/errno.h>

#define E(x) (-XEN_##x)
#define P 0x1ull
#define RW 0x2ull
#define DESC(b, a) (((uint64_t)(b) << 32) | (uint32_t)(a))
#define FLAT_DATA(dpl) DESC(0x00cf9200u | (dpl) << 13, 0x0000ffffu)
#define FLAT_CODE(dpl) DESC(0x00cf9a00u | (dpl) << 13, 0x0000ffffu)

static unsigned checks, failures;
static void expect(const char *what, long got, long want)
{
    checks++;
    if (got != want) {
        failures++;
        printk("guest: desc: FAILED %s: got %ld, want %ld\n", what, got, want);
    } else {
        printk("guest: desc: %s -> %ld\n", what, got);
    }
}

/* Highmem frames past those test=kmap and test=mmu use. */
static uint32_t hm(unsigned i) { return mfn_of(kmv_ext->first_highmem_pfn + 900 + i); }

static long set_gdt(uint32_t *frames, unsigned ents)
{
    return hypercall2(__HYPERVISOR_set_gdt, frames, ents);
}
static long update_desc(uint64_t addr, uint64_t d)
{
    return hypercall5(__HYPERVISOR_update_descriptor, (uint32_t)addr, (uint32_t)(addr >> 32), (uint32_t)d,
                      (uint32_t)(d >> 32), 0);
}
static long uva(uint32_t va, uint64_t pte) { return HYPERVISOR_update_va_mapping(va, pte, UVMF_INVLPG); }

/* A frame holding descriptors d[0..n) at index first, the rest zero. */
static void fill(uint32_t mfn, unsigned first, const uint64_t *d, unsigned n)
{
    if (ext(MMUEXT_CLEAR_PAGE, mfn, 0))
        printk("guest: desc: clear_page failed\n");
    for (unsigned i = 0; i < n; i++)
        if (mmu1(ma(mfn) + (first + i) * 8, d[i]))
            printk("guest: desc: plain store failed\n");
}

_Noreturn void test_desc(void);
_Noreturn void test_desc(void)
{
    /* Two mapped, unused lowmem pages past the boot region. */
    uint32_t va = kmv_ext->virt_base + (kmv_ext->first_free_pfn + 80) * PAGE_SIZE, va2 = va + PAGE_SIZE;
    uint32_t va_mfn = mfn_of((va - kmv_ext->virt_base) >> PAGE_SHIFT);
    uint32_t va2_mfn = mfn_of((va2 - kmv_ext->virt_base) >> PAGE_SHIFT);
    volatile const uint64_t *view = (const uint64_t *)va;
    uint32_t f = hm(0), bad = hm(1);

    /* A GDT of one frame: a ring-1 data segment of the guest's own at
     * index 1 (written with DPL 0: Xen makes it 1), ring-3 code at 2. */
    const uint64_t mine[] = { FLAT_DATA(0), FLAT_CODE(3) };
    fill(f, 1, mine, 2);
    uint32_t frames[2] = { f, 0 };
    expect("set_gdt, 16 entries, a ring-1 data segment of its own", set_gdt(frames, 16), 0);
    expect("  ... a GDT frame mapped read-only", uva(va, ma(f) | P), 0);
    expect("  ... its DPL 0 data descriptor now DPL 1", view[1] == FLAT_DATA(1), 1);
    expect("  ... its ring-3 code unchanged", view[2] == FLAT_CODE(3), 1);
    expect("  ... mapped writable", uva(va2, ma(f) | P | RW), E(EBUSY));
    expect("  ... pinned as an L1", ext(MMUEXT_PIN_L1_TABLE, f, 0), E(EINVAL));
    expect("  ... a plain store (mmu_update)", mmu1(ma(f) + 8, FLAT_DATA(3)), E(EINVAL));
    expect("  ... cleared (CLEAR_PAGE)", ext(MMUEXT_CLEAR_PAGE, f, 0), E(EINVAL));
    expect("  ... in the kmap window", HYPERVISOR_kmap_op(KMAPOP_push, f, 0, 0, 0), E(EACCES));
    expect("  ... still holds our descriptor", view[1] == FLAT_DATA(1), 1);

    /* update_descriptor */
    expect("update_descriptor: ring-1 code at 3", update_desc(ma(f) + 3 * 8, FLAT_CODE(1)), 0);
    expect("  ... seen through the read-only view", view[3] == FLAT_CODE(1), 1);
    expect("update_descriptor: DPL 0 data at 4", update_desc(ma(f) + 4 * 8, FLAT_DATA(0)), 0);
    expect("  ... stored as DPL 1", view[4] == FLAT_DATA(1), 1);
    expect("update_descriptor: 64-bit code", update_desc(ma(f) + 5 * 8, DESC(0x00afba00u, 0xffff)), E(EINVAL));
    expect("update_descriptor: a TSS", update_desc(ma(f) + 5 * 8, DESC(0x0000e900u, 0x67)), E(EINVAL));
    expect("update_descriptor: an interrupt gate", update_desc(ma(f) + 5 * 8, DESC(0x1234ee00u, 0xe0195678u)),
           E(EINVAL));
    expect("update_descriptor: a call gate to the flat ring-3 code",
           update_desc(ma(f) + 5 * 8, DESC(0x1234ec00u, 0xe02b5678u)), E(EINVAL));
    expect("update_descriptor: misaligned", update_desc(ma(f) + 5 * 8 + 2, FLAT_DATA(1)), E(EINVAL));
    expect("update_descriptor: not our frame", update_desc(ma(hm(0) + 0x100000), FLAT_DATA(1)), E(EINVAL));
    uint32_t l3_mfn = mfn_of((start_info->pt_base - kmv_ext->virt_base) >> PAGE_SHIFT);
    expect("update_descriptor: into our L3", update_desc(ma(l3_mfn) + 8, FLAT_DATA(1)), E(EINVAL));
    expect("  ... nothing written by the refusals", view[5] == 0, 1);

    /* set_gdt refusals: the old GDT stays (its frame still typed). */
    const uint64_t lcode[] = { DESC(0x00af9a00u, 0xffff) };
    fill(bad, 300, lcode, 1);
    frames[0] = bad;
    expect("set_gdt: a frame with 64-bit code (past the entries named)", set_gdt(frames, 8), E(EINVAL));
    expect("  ... that frame stays ordinary (writable mapping)", uva(va2, ma(bad) | P | RW), 0);
    expect("set_gdt: a frame mapped writable", set_gdt(frames, 8), E(EINVAL));
    expect("  ... and unmapped again", uva(va2, 0), 0);
    frames[0] = l3_mfn;
    expect("set_gdt: our L3", set_gdt(frames, 8), E(EINVAL));
    frames[0] = f;
    expect("set_gdt: 0x1c01 entries (into the hypervisor's)", set_gdt(frames, 0x1c01), E(EINVAL));
    expect("set_gdt: unreadable frame list", set_gdt((uint32_t *)0x1000, 8), E(EFAULT));
    expect("  ... the old GDT frame still typed", uva(va2, ma(f) | P | RW), E(EBUSY));

    /* SET_LDT: a read-only page of ours. */
    const uint64_t ldt[] = { FLAT_DATA(3) };
    fill(hm(2), 0, ldt, 1);
    expect("SET_LDT: map a page read-only", uva(va2, ma(hm(2)) | P), 0);
    expect("SET_LDT: 8 entries there", ext(MMUEXT_SET_LDT, va2, 8), 0);
    expect("  ... now unmappable writable", uva(va2, ma(hm(2)) | P | RW), E(EBUSY));
    expect("SET_LDT: not page aligned", ext(MMUEXT_SET_LDT, va2 + 8, 8), E(EINVAL));
    expect("SET_LDT: too many entries", ext(MMUEXT_SET_LDT, va2, 8193), E(EINVAL));
    expect("SET_LDT: the M2P", ext(MMUEXT_SET_LDT, 0xf5800000u, 8), E(EINVAL));
    expect("SET_LDT: a writable page", ext(MMUEXT_SET_LDT, (uint32_t)(unsigned long)&checks & ~0xfffu, 8), E(EINVAL));
    expect("SET_LDT: none", ext(MMUEXT_SET_LDT, 0, 0), 0);
    expect("  ... the page writable again", uva(va2, ma(hm(2)) | P | RW), 0);

    /* Unharmed: the flat selectors still load, hypercalls work, and the
     * GDT frame becomes ordinary when the GDT goes. */
    uint16_t ds;
    __asm__ volatile("mov %1, %%ds; mov %%ds, %0" : "=r"(ds) : "r"((uint16_t)0xe021));
    expect("flat ring-1 data still loads", ds, 0xe021);
    expect("xen_version after it all", HYPERVISOR_xen_version(XENVER_version, NULL), 4 << 16 | 17);
    expect("set_gdt: none", set_gdt(frames, 0), 0);
    expect("  ... its frame writable again", uva(va2, ma(f) | P | RW), 0);
    expect("restore the pages", uva(va, ma(va_mfn) | P | RW) | uva(va2, ma(va2_mfn) | P | RW), 0);
    printk("guest: result: %s (%u checks, %u failures)\n", failures ? "FAIL" : "PASS", checks, failures);
    plat_shutdown(!failures);
}
