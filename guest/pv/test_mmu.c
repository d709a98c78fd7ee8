/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test=mmu: conformance of the PV MMU (mmu_update, mmuext_op,
 * update_va_mapping) to Xen's rules for a 32-bit PAE guest: every refused
 * entry and page-type rule with Xen's error code, the hypervisor unharmed
 * afterwards, and TLB flushes seen across vCPUs.  Test tables are built
 * in highmem frames (mapped nowhere, so free to type), written through
 * the kmap window while they are ordinary frames.
 */
#include "pv.h"
#include "test_mm.h"
#include <xen/errno.h>
#include <xen/memory.h>

#define E(x) (-XEN_##x)
#define P 0x1ull
#define RW 0x2ull
#define US 0x4ull
#define PWT 0x8ull
#define PCD 0x10ull
#define PSE 0x80ull
#define ADDR 0x000ffffffffff000ull
#define NX (1ull << 63)

static unsigned checks, failures;
static void expect(const char *what, long got, long want)
{
    checks++;
    if (got != want) {
        failures++;
        printk("guest: mmu: FAILED %s: got %ld, want %ld\n", what, got, want);
    } else {
        printk("guest: mmu: %s -> %ld\n", what, got);
    }
}

/* Free highmem frames for test tables (test_kmap uses the first few hundred). */
static uint32_t hm(unsigned i) { return mfn_of(kmv_ext->first_highmem_pfn + 700 + i); }

static long mmu_n(struct mmu_update *u, unsigned n, unsigned dom)
{
    unsigned done = 0;
    return hypercall5(__HYPERVISOR_mmu_update, (unsigned long)u, n, (unsigned long)&done, dom, 0);
}
static long uva(uint32_t va, uint64_t pte, unsigned flags) { return HYPERVISOR_update_va_mapping(va, pte, flags); }

/* An ordinary frame's contents: cleared, then one entry set (a plain store). */
static void table(uint32_t mfn, unsigned idx, uint64_t val)
{
    if (ext(MMUEXT_CLEAR_PAGE, mfn, 0))
        printk("guest: mmu: clear_page failed\n");
    if (val && mmu1(ma(mfn) + idx * 8, val))
        printk("guest: mmu: plain store failed\n");
}

/* One L1 with one entry val, pinned: the error; unpinned again on success. */
static long pin_l1_with(uint64_t val)
{
    table(hm(0), 5, val);
    long r = ext(MMUEXT_PIN_L1_TABLE, hm(0), 0);
    if (!r)
        ext(MMUEXT_UNPIN_TABLE, hm(0), 0);
    return r;
}

static const uint64_t *l3;              /* the boot L3 (read-only boot mapping) */
static uint32_t l3_mfn, xl2_mfn;        /* it, and its pae_xen_l2 */
static uint32_t hyp_mfn;                /* one of the hypervisor's frames above the domain's */
#define TEST_SLOT 400u                  /* a free slot of the pae_xen_l2: va 0xf2000000 */
#define TEST_VA (0xc0000000u + TEST_SLOT * (2u << 20))

static void entries(void)
{
    uint32_t data = mfn_of(kmv_ext->first_highmem_pfn + 690);
    expect("pin L1 mapping a data frame RW", pin_l1_with(ma(data) | P | RW), 0);
    expect("L1: RW mapping of a page table (the L3)", pin_l1_with(ma(l3_mfn) | P | RW), E(EBUSY));
    expect("L1: read-only mapping of a page table", pin_l1_with(ma(l3_mfn) | P), 0);
    expect("L1: hypervisor text (frame 0x100)", pin_l1_with(ma(0x100) | P), E(EBUSY));
    expect("L1: another's RAM (frame 1)", pin_l1_with(ma(1) | P | RW), E(EBUSY));
    expect("L1: no RAM (frame 0xfee00, the LAPIC)", pin_l1_with(ma(0xfee00) | P | RW), E(EPERM));
    expect("L1: frame beyond 4G of frames", pin_l1_with((1ull << 51) | P), E(EPERM));
    expect("L1: the hypervisor's window/page-table frame", pin_l1_with(ma(hyp_mfn) | P), E(EBUSY));
    struct xen_machphys_mfn_list l = { .max_extents = 1 };
    xen_pfn_t m2p_mfn = 0;
    set_xen_guest_handle(l.extent_start, &m2p_mfn);
    if (!hypercall2(__HYPERVISOR_memory_op, XENMEM_machphys_mfn_list, &l) && l.nr_extents)
        expect("L1: an M2P frame, read-only", pin_l1_with(ma(m2p_mfn) | P), E(EBUSY));
    static const struct { uint64_t bits; const char *what; } bad[] = {
        { PWT, "PWT" }, { PCD, "PCD" }, { PSE, "PAT" }, { 1ull << 52, "bit 52" }, { 1ull << 62, "bit 62" },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        char what[48];
        snprintf(what, sizeof(what), "L1: reserved/refused %s", bad[i].what);
        expect(what, pin_l1_with(ma(data) | P | RW | bad[i].bits), E(EINVAL));
    }
    expect("L1: a non-present entry with junk", pin_l1_with(0xdeadbeef000ull & ~P), 0);

    /* L2: an L1 of ours, nothing else. */
    table(hm(1), 0, ma(data) | P | RW);                  /* a valid L1 */
    table(hm(2), 7, ma(hm(1)) | P | RW | US);
    expect("pin L2 over a valid L1", ext(MMUEXT_PIN_L2_TABLE, hm(2), 0), 0);
    expect("pin it again", ext(MMUEXT_PIN_L2_TABLE, hm(2), 0), E(EINVAL));
    expect("pin that L2 as an L1 (wrong level)", ext(MMUEXT_PIN_L1_TABLE, hm(2), 0), E(EINVAL));
    expect("pin its L1 as an L2 (wrong level)", ext(MMUEXT_PIN_L2_TABLE, hm(1), 0), E(EINVAL));
    expect("unpin the L2", ext(MMUEXT_UNPIN_TABLE, hm(2), 0), 0);
    expect("unpin it again (not pinned)", ext(MMUEXT_UNPIN_TABLE, hm(2), 0), E(EINVAL));
    table(hm(2), 7, ma(hm(1)) | P | RW | PSE);
    expect("L2: PSE (a superpage)", ext(MMUEXT_PIN_L2_TABLE, hm(2), 0), E(EINVAL));
    table(hm(2), 7, ma(hm(2)) | P);
    expect("L2: pointing at itself (linear)", ext(MMUEXT_PIN_L2_TABLE, hm(2), 0), E(EINVAL));
    table(hm(2), 7, ma(l3_mfn) | P);
    expect("L2: pointing at an L3", ext(MMUEXT_PIN_L2_TABLE, hm(2), 0), E(EINVAL));
    table(hm(2), 7, ma(hyp_mfn) | P);
    expect("L2: pointing at a hypervisor frame", ext(MMUEXT_PIN_L2_TABLE, hm(2), 0), E(EINVAL));
    table(hm(2), 7, ma(0x100) | P);
    expect("L2: pointing at hypervisor text", ext(MMUEXT_PIN_L2_TABLE, hm(2), 0), E(EINVAL));
    table(hm(3), 1, ma(hyp_mfn) | P | RW);              /* an L1 with a bad entry */
    table(hm(2), 7, ma(hm(3)) | P);
    expect("L2: over an L1 that does not validate", ext(MMUEXT_PIN_L2_TABLE, hm(2), 0), E(EBUSY));
    expect("  ... which stays untyped (pin as L1 fails the same)", ext(MMUEXT_PIN_L1_TABLE, hm(3), 0), E(EBUSY));

    /* L3: slots 0-2 an L2, slot 3 a pae_xen_l2. */
    table(hm(4), 0, 0);
    expect("L3: slot 3 not present", ext(MMUEXT_PIN_L3_TABLE, hm(4), 0), E(EINVAL));
    table(hm(4), 3, ma(hm(4)) | P);
    expect("L3: slot 3 pointing at itself (recursive)", ext(MMUEXT_PIN_L3_TABLE, hm(4), 0), E(EINVAL));
    table(hm(4), 3, ma(xl2_mfn) | P);
    mmu1(ma(hm(4)) + 0, ma(xl2_mfn) | P);
    expect("L3: the pae_xen_l2 also in slot 0", ext(MMUEXT_PIN_L3_TABLE, hm(4), 0), E(EINVAL));
    table(hm(4), 3, ma(xl2_mfn) | P | NX);
    expect("L3: NX in an entry", ext(MMUEXT_PIN_L3_TABLE, hm(4), 0), E(EINVAL));
    table(hm(2), 0, 0);
    expect("pin an empty L2", ext(MMUEXT_PIN_L2_TABLE, hm(2), 0), 0);
    table(hm(4), 3, ma(hm(2)) | P);
    expect("L3: slot 3 an ordinary L2 in use", ext(MMUEXT_PIN_L3_TABLE, hm(4), 0), E(EINVAL));
    ext(MMUEXT_UNPIN_TABLE, hm(2), 0);
    expect("pin L4 (not a level of ours: ignored, as Xen)", ext(MMUEXT_PIN_L4_TABLE, hm(5), 0), 0);
}

static void live_tables(void)
{
    uint64_t l2ma = ma(xl2_mfn);
    expect("write a hypervisor slot of the pae_xen_l2 (M2P)", mmu1(l2ma + 428 * 8, 0), E(EPERM));
    expect("write a hypervisor slot of the pae_xen_l2 (window)", mmu1(l2ma + 511 * 8, ma(hm(1)) | P), E(EPERM));
    expect("write L3 slot 3", mmu1(ma(l3_mfn) + 3 * 8, ma(xl2_mfn) | P), E(EINVAL));
    expect("mmu_update into a hypervisor frame", mmu1(ma(hyp_mfn), 0), E(EINVAL));
    expect("mmu_update into another's frame", mmu1(ma(0x100), 0), E(EINVAL));
    expect("mmu_update, unknown command 2 (PRESERVE_AD)", mmu1(ma(hm(6)) | 2, 0), E(ENOSYS));
    struct mmu_update u = { ma(hm(6)), 0 };
    expect("mmu_update with a foreign domain", mmu_n(&u, 1, 3), E(ESRCH));
    expect("MACHPHYS_UPDATE of another's frame", mmu1(ma(0x100) | MMU_MACHPHYS_UPDATE, 5), E(EINVAL));
    uint32_t pfn6 = kmv_ext->first_highmem_pfn + 706;
    expect("MACHPHYS_UPDATE of our frame", mmu1(ma(hm(6)) | MMU_MACHPHYS_UPDATE, 12345), 0);
    expect("  ... the M2P shows it", ((const uint32_t *)0xf5800000u)[hm(6)], 12345);
    mmu1(ma(hm(6)) | MMU_MACHPHYS_UPDATE, pfn6);

    /* A test L1 hooked into the live pae_xen_l2 at TEST_VA. */
    uint32_t l1 = hm(1), data = mfn_of(kmv_ext->first_highmem_pfn + 690);
    table(l1, 0, ma(data) | P | RW);
    expect("hook an L1 into the pae_xen_l2", mmu1(l2ma + TEST_SLOT * 8, ma(l1) | P | RW | US), 0);
    *(volatile uint32_t *)TEST_VA = 0x1234;
    expect("  ... the mapping works", *(volatile uint32_t *)TEST_VA, 0x1234);
    expect("map the live L1 writable (update_va_mapping)", uva(TEST_VA + 4096, ma(l1) | P | RW, UVMF_INVLPG), E(EBUSY));
    expect("map the L3 writable (update_va_mapping)", uva(TEST_VA + 4096, ma(l3_mfn) | P | RW, UVMF_INVLPG), E(EBUSY));
    expect("map the L3 read-only (update_va_mapping)", uva(TEST_VA + 4096, ma(l3_mfn) | P, UVMF_INVLPG), 0);
    expect("  ... and read it", (long)(*(volatile uint64_t *)(TEST_VA + 4096 + 24) == l3[3]), 1);
    expect("map a hypervisor frame read-only", uva(TEST_VA + 8192, ma(hyp_mfn) | P, UVMF_INVLPG), E(EBUSY));
    expect("push the live L1 into the kmap window", HYPERVISOR_kmap_op(KMAPOP_push, l1, KMAP_PROT_WRITE, 0, 0), E(EACCES));
    expect("pin the live L1", ext(MMUEXT_PIN_L1_TABLE, l1, 0), 0);
    expect("unpin it while it is in use", ext(MMUEXT_UNPIN_TABLE, l1, 0), 0);
    expect("  ... it is still an L1: RW mapping refused", uva(TEST_VA + 8192, ma(l1) | P | RW, UVMF_INVLPG), E(EBUSY));
    expect("update_va_mapping where no L1 is", uva(TEST_VA + (2u << 20), ma(data) | P, UVMF_INVLPG), E(EINVAL));
    expect("update_va_mapping at HYPERVISOR_VIRT_START", uva(0xf5800000u, 0, 0), E(EINVAL));
    expect("update_va_mapping, reserved bit", uva(TEST_VA, ma(data) | P | RW | PCD, UVMF_INVLPG), E(EINVAL));
    expect("update_va_mapping, bad vcpumask pointer", uva(TEST_VA, ma(data) | P | RW, UVMF_INVLPG | 0xfffff000u), E(EFAULT));
    expect("unhook the L1", mmu1(l2ma + TEST_SLOT * 8, 0), 0);
    ext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0);
    expect("  ... now an ordinary frame: RW mapping allowed", pin_l1_with(ma(l1) | P | RW), 0);

    /* NEW_BASEPTR: an L3 type reference (Xen validates an unpinned one). */
    uint32_t lowmem_data = mfn_of((uint32_t)((uintptr_t)&checks - kmv_ext->virt_base) >> PAGE_SHIFT);
    expect("NEW_BASEPTR to a frame mapped writable", ext(MMUEXT_NEW_BASEPTR, lowmem_data, 0), E(EINVAL));
    table(hm(5), 5, ma(data) | P);
    ext(MMUEXT_PIN_L1_TABLE, hm(5), 0);
    expect("NEW_BASEPTR to an L1", ext(MMUEXT_NEW_BASEPTR, hm(5), 0), E(EINVAL));
    ext(MMUEXT_UNPIN_TABLE, hm(5), 0);
    table(hm(4), 0, 0);
    expect("NEW_BASEPTR to an unpinned L3 without slot 3", ext(MMUEXT_NEW_BASEPTR, hm(4), 0), E(EINVAL));
    for (unsigned i = 0; i < 4; i++)
        mmu1(ma(hm(4)) + i * 8, l3[i]);
    expect("pin a copy of the boot L3", ext(MMUEXT_PIN_L3_TABLE, hm(4), 0), 0);
    expect("NEW_BASEPTR to it", ext(MMUEXT_NEW_BASEPTR, hm(4), 0), 0);
    expect("  ... still running, lowmem still there", *(volatile uint32_t *)&checks != 0, 1);
    uint32_t cr3;
    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    expect("  ... cr3 names it", (long)((cr3 >> 12 | cr3 << 20) == hm(4)), 1);
    expect("unpin the L3 in use as our base", ext(MMUEXT_UNPIN_TABLE, hm(4), 0), 0);
    uint32_t slack_va = kmv_ext->virt_base + (kmv_ext->first_free_pfn + 64) * PAGE_SIZE; /* mapped, unused */
    expect("  ... still an L3: RW mapping refused", uva(slack_va, ma(hm(4)) | P | RW, UVMF_INVLPG), E(EBUSY));
    uint32_t want = l3_mfn << 12 | l3_mfn >> 20; /* xen_pfn_to_cr3 */
    __asm__ volatile("mov %0, %%cr3" : : "r"(want) : "memory");
    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    expect("mov to cr3: back on the boot L3 (Xen's new_guest_cr3)", cr3 == want, 1);
    expect("NEW_BASEPTR to the boot L3 again", ext(MMUEXT_NEW_BASEPTR, l3_mfn, 0), 0);
    expect("NEW_USER_BASEPTR (64-bit only)", ext(MMUEXT_NEW_USER_BASEPTR, l3_mfn, 0), E(EINVAL));
    expect("SET_LDT on unmapped memory", ext(MMUEXT_SET_LDT, 0x10000, 3), E(EINVAL));
    expect("unknown mmuext_op", ext(99, 0, 0), E(ENOSYS));
}

/* ---- TLB flushes seen across vCPUs ---- */
static volatile uint32_t phase, seen, readers_ready;
static uint32_t frame_a, frame_b;
#define FLUSH_VA (TEST_VA + 16 * 4096)

static void reader(void)
{
    if (smp_processor_id() != 1)
        return;
    __atomic_fetch_add(&readers_ready, 1, __ATOMIC_SEQ_CST);
    uint32_t last = 0;
    while (READ_ONCE(phase) != 99) {
        uint32_t p = READ_ONCE(phase);
        uint32_t v = *(volatile uint32_t *)FLUSH_VA; /* keeps the translation warm in this CPU's TLB */
        if (p != last) {
            WRITE_ONCE(seen, v | p << 24);
            last = p;
        }
    }
}

static void tlb_round(const char *what, uint32_t p, uint32_t expect_val, void (*change)(void))
{
    change();
    WRITE_ONCE(seen, 0);
    WRITE_ONCE(phase, p);
    for (unsigned spins = 0; !(READ_ONCE(seen) >> 24 == p) && spins < 100000000u; spins++)
        __asm__ volatile("pause");
    expect(what, (long)(READ_ONCE(seen) & 0xffffff), (long)expect_val);
}

static uint32_t target;
static void to_a_all(void) { uva(FLUSH_VA, ma(target) | P | RW, UVMF_INVLPG | UVMF_ALL); }
static void to_b_flush_all(void)
{
    uva(FLUSH_VA, ma(target) | P | RW, UVMF_NONE);
    ext(MMUEXT_TLB_FLUSH_ALL, 0, 0);
}
static uint32_t mask = 2; /* vCPU 1 */
static void to_a_invlpg_multi(void)
{
    uva(FLUSH_VA, ma(target) | P | RW, UVMF_NONE);
    struct mmuext_op op = { .cmd = MMUEXT_INVLPG_MULTI };
    op.arg1.linear_addr = FLUSH_VA;
    set_xen_guest_handle(op.arg2.vcpumask, &mask);
    hypercall5(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF, 0);
}
static void to_b_uvmf_multi(void) { uva(FLUSH_VA, ma(target) | P | RW, UVMF_INVLPG | (uint32_t)(uintptr_t)&mask); }

static void tlb_across_vcpus(void)
{
    uint64_t l2ma = ma(xl2_mfn);
    uint32_t l1 = hm(8);
    frame_a = mfn_of(kmv_ext->first_highmem_pfn + 691);
    frame_b = mfn_of(kmv_ext->first_highmem_pfn + 692);
    table(l1, 16, ma(frame_a) | P | RW);
    mmu1(l2ma + TEST_SLOT * 8, ma(l1) | P | RW);
    *(volatile uint32_t *)FLUSH_VA = 0xa;
    uva(FLUSH_VA, ma(frame_b) | P | RW, UVMF_INVLPG);
    *(volatile uint32_t *)FLUSH_VA = 0xb;
    uva(FLUSH_VA, ma(frame_a) | P | RW, UVMF_INVLPG);
    plat_start_secondaries(reader);
    while (!READ_ONCE(readers_ready))
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    target = frame_a;
    tlb_round("vCPU 1 reads frame A", 1, 0xa, to_a_all);
    target = frame_b;
    tlb_round("after MMUEXT_TLB_FLUSH_ALL vCPU 1 sees B", 2, 0xb, to_b_flush_all);
    target = frame_a;
    tlb_round("after INVLPG_MULTI {1} vCPU 1 sees A", 3, 0xa, to_a_invlpg_multi);
    target = frame_b;
    tlb_round("after update_va_mapping UVMF_MULTI {1} vCPU 1 sees B", 4, 0xb, to_b_uvmf_multi);
    target = frame_a;
    tlb_round("after update_va_mapping UVMF_ALL vCPU 1 sees A", 5, 0xa, to_a_all);
    WRITE_ONCE(phase, 99);
}

_Noreturn void test_mmu(void);
_Noreturn void test_mmu(void)
{
    l3 = (const uint64_t *)start_info->pt_base;
    l3_mfn = mfn_of((start_info->pt_base - kmv_ext->virt_base) >> PAGE_SHIFT);
    xl2_mfn = (uint32_t)((l3[3] & ADDR) >> PAGE_SHIFT);
    hyp_mfn = mfn_of(start_info->nr_pages - 1) + 1; /* the domain's top frames: its vCPUs' tables */
    printk("guest: mmu: L3 %#x, pae_xen_l2 %#x, %u page-table frames at %#lx\n", l3_mfn, xl2_mfn,
           (unsigned)start_info->nr_pt_frames, (unsigned long)start_info->pt_base);
    if (kmv_ext->virt_base != 0xc0000000u || kmv_ext->lowmem_pages > TEST_SLOT * 512)
        guest_panic("test=mmu wants lowmem at 0xc0000000 below %#x", TEST_VA);
    entries();
    live_tables();
    if (plat.nr_cpus >= 2)
        tlb_across_vcpus();
    /* Unharmed: the window still works. */
    long va = HYPERVISOR_kmap_op(KMAPOP_push, hm(9), KMAP_PROT_WRITE, 0, 0);
    *(volatile uint32_t *)va = 7;
    expect("the kmap window after it all", HYPERVISOR_kmap_op(KMAPOP_pop, (unsigned long)va, 0, 0, 0), 0);
    printk("guest: result: %s (%u checks, %u failures)\n", failures ? "FAIL" : "PASS", checks, failures);
    plat_shutdown(!failures);
}
