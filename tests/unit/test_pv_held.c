/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Frames the hypervisor writes through its own mapping (docs/security.md,
 * "Frames the hypervisor writes"): each holds a permanent writable type
 * reference, so no guest call can make it a page table or a descriptor
 * frame.  The tests take the frames from the hypervisor's own pointers
 * (shared_info and every vcpu_info, the console and xenstore rings, the
 * pirq EOI bitmap) and check each is in the held list, then attack every
 * held frame and every grant frame the way the escapes did: drop the
 * guest's writable mapping, then pin it at every level, set_gdt, SET_LDT.
 */
#include "unit.h"
#include <string.h>
#include <xen/physdev.h>
#include <xen/grant_table.h>
#include <kmapvisor/x86_pte.h>
#include "pv_tables.h"
#include "arch/x86_64/pv/page_type.h"

static uint32_t mfn_of_host(const void *p) { return (uint32_t)(virt_to_phys((void *)p) >> PAGE_SHIFT); }

static bool is_held(uint32_t mfn)
{
    for (unsigned i = 0; i < dom.arch->nr_held; i++)
        if (dom.arch->p2m[dom.arch->held[i].pfn] == mfn)
            return true;
    return false;
}



/* The machine address of the guest L1 entry that maps va (the builder's
 * tables map all of the boot region with 4 KiB pages). */
static uint64_t l1e_ma(uint32_t va)
{
    const uint64_t *l3 = fake_phys_to_virt((uint64_t)v0->arch->base_mfn << PAGE_SHIFT);
    const uint64_t *l2 = fake_phys_to_virt(l3[va >> 30] & X86_PTE_ADDR);
    uint64_t l1 = l2[(va >> 21) & 511] & X86_PTE_ADDR;
    ck_assert_uint_ne(l1, 0);
    return l1 + ((va >> 12) & 511) * 8;
}

/* pirq EOI bitmap in highmem frame 3: a frame the guest names at run time. */
static uint32_t register_pirq_eoi(void)
{
    uint32_t mfn = highmem_mfn(3);
    *(uint32_t *)g(SCRATCH + 0x3000) = mfn;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_physdev_op, PHYSDEVOP_pirq_eoi_gmfn_v2, SCRATCH + 0x3000, 0, 0, 0), 0);
    return mfn;
}

/* Every frame the hypervisor keeps a pointer into for its own stores. */
START_TEST(every_hypervisor_written_frame_is_held)
{
    build("mem=64M lowmem=32M vcpus=4");
    ck_assert_msg(is_held(mfn_of_host(dom.shared)), "shared_info not held");
    for (unsigned i = 0; i < dom.nr_vcpus; i++)
        ck_assert_msg(is_held(mfn_of_host(dom.vcpu[i].info)), "vcpu_info of vCPU %u not held", i);
    ck_assert_msg(is_held(mfn_of_host(dom.cons.ring)), "console ring not held");
    ck_assert_msg(is_held(mfn_of_host(dom.store.ring)), "xenstore ring not held");
    ck_assert(is_held(register_pirq_eoi()));
    for (unsigned i = 0; i < dom.arch->nr_held; i++) {
        uint32_t w = dom.arch->pgt[dom.arch->held[i].pfn];
        ck_assert_msg((w & PGT_TYPE) == PGT_WRITABLE && (w & PGT_COUNT) >= 1, "%s: type word %#x",
                      dom.arch->held[i].what, w);
    }
}
END_TEST

/* Pin at every level, set_gdt and SET_LDT: all refused, nothing typed. */
static void attack(uint32_t mfn, uint32_t ro_va, const char *what)
{
    uint32_t before = word(mfn);
    ck_assert_msg(ext(MMUEXT_PIN_L1_TABLE, mfn, 0) == -XEN_EINVAL, "%s: pinned as an L1", what);
    ck_assert_msg(ext(MMUEXT_PIN_L2_TABLE, mfn, 0) == -XEN_EINVAL, "%s: pinned as an L2", what);
    ck_assert_msg(ext(MMUEXT_PIN_L3_TABLE, mfn, 0) == -XEN_EINVAL, "%s: pinned as an L3", what);
    *(uint32_t *)g(SCRATCH + 0x3000) = mfn;
    ck_assert_msg(HC(v0, __HYPERVISOR_set_gdt, SCRATCH + 0x3000, 16, 0, 0, 0) == -XEN_EINVAL, "%s: a GDT frame", what);
    if (ro_va)
        ck_assert_msg(ext(MMUEXT_SET_LDT, ro_va, 16) == -XEN_EINVAL, "%s: an LDT frame", what);
    ck_assert_msg(word(mfn) == before, "%s: type word %#x became %#x", what, before, word(mfn));
}

START_TEST(held_frames_never_become_tables)
{
    build("mem=64M lowmem=32M vcpus=2");
    register_pirq_eoi();
    for (unsigned i = 0; i < dom.arch->nr_held; i++) {
        uint32_t pfn = dom.arch->held[i].pfn, mfn = dom.arch->p2m[pfn];
        const char *what = dom.arch->held[i].what;
        uint32_t va = pfn < dom.arch->lowmem_pages ? dom.arch->virt_base + pfn * PAGE_SIZE : 0;
        uint64_t pte = 0, ptr = 0;
        if (va) {
            /* The escape's first step: no writable mapping of it left. */
            ptr = l1e_ma(va);
            pte = *(uint64_t *)fake_phys_to_virt(ptr);
            ck_assert_int_eq(mmu(ptr, pte & ~X86_PTE_W), 0);
        }
        ck_assert_msg((word(mfn) & PGT_COUNT) == 1, "%s: count %u with no writable mapping", what,
                      word(mfn) & PGT_COUNT);
        attack(mfn, va, what);
        if (va)
            ck_assert_int_eq(mmu(ptr, pte), 0); /* and it is still the guest's to map writable */
    }
}
END_TEST

/* Grant frames are the hypervisor's own, shared: no domain RAM to type. */
START_TEST(grant_frames_never_become_tables)
{
    build("mem=64M lowmem=32M vcpus=1");
    struct kmv_gnttab_setup_table32 *st = g(SCRATCH + 0x4000);
    *st = (struct kmv_gnttab_setup_table32){ .dom = DOMID_SELF, .nr_frames = KMV_GRANT_FRAMES,
                                             .frame_list = SCRATCH + 0x4100 };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, SCRATCH + 0x4000, 1, 0, 0), 0);
    ck_assert_int_eq(st->status, GNTST_okay);
    for (unsigned i = 0; i < KMV_GRANT_FRAMES; i++) {
        uint32_t mfn = ((uint32_t *)g(SCRATCH + 0x4100))[i];
        ck_assert_uint_eq(pv_mfn_to_pfn(dom.arch, mfn), M2P_NONE);
        ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, mfn, 0), -XEN_EINVAL);
        ck_assert_int_eq(ext(MMUEXT_PIN_L2_TABLE, mfn, 0), -XEN_EINVAL);
        ck_assert_int_eq(ext(MMUEXT_PIN_L3_TABLE, mfn, 0), -XEN_EINVAL);
        *(uint32_t *)g(SCRATCH + 0x3000) = mfn;
        ck_assert_int_eq(HC(v0, __HYPERVISOR_set_gdt, SCRATCH + 0x3000, 16, 0, 0, 0), -XEN_EINVAL);
    }
}
END_TEST

/* The pirq EOI bitmap is named at run time: a frame in use as a table, or
 * not the domain's, is refused and may be named again; once held, the
 * frame is held for good. */
START_TEST(pirq_eoi_frame_held_at_registration)
{
    build("mem=64M lowmem=32M vcpus=1");
    uint32_t *arg = g(SCRATCH + 0x3000);
    *arg = v0->arch->base_mfn; /* the L3 in use */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_physdev_op, PHYSDEVOP_pirq_eoi_gmfn_v2, SCRATCH + 0x3000, 0, 0, 0),
                     -XEN_EINVAL);
    *arg = 0xfffffff0u;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_physdev_op, PHYSDEVOP_pirq_eoi_gmfn_v1, SCRATCH + 0x3000, 0, 0, 0),
                     -XEN_EINVAL);
    unsigned held = dom.arch->nr_held;
    uint32_t mfn = register_pirq_eoi();
    ck_assert_uint_eq(dom.arch->nr_held, held + 1);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, mfn, 0), -XEN_EINVAL);
    ck_assert_uint_eq(word(mfn) & (PGT_TYPE | PGT_COUNT), PGT_WRITABLE | 1);
}
END_TEST

Suite *pv_held_suite(void)
{
    Suite *s = suite_create("pv-held");
    TCase *tc = tcase_create("held");
    tcase_add_test(tc, every_hypervisor_written_frame_is_held);
    tcase_add_test(tc, held_frames_never_become_tables);
    tcase_add_test(tc, grant_frames_never_become_tables);
    tcase_add_test(tc, pirq_eoi_frame_held_at_registration);
    suite_add_tcase(s, tc);
    return s;
}
