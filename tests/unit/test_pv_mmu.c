/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PV MMU on the fake machine: the builder's initial tables, entry
 * validation and page-type counting through the real mmu_update /
 * mmuext_op / update_va_mapping, the vCPUs' copies of the guest's L3 and
 * pae_xen_l2, the window against page types, and flush requests.
 */
#include "unit.h"
#include <kmapvisor/x86_pte.h>
#include <xen/vcpu.h>
#include "pv_tables.h"
#include "arch/x86_64/pv/page_type.h"

#define P X86_PTE_P
#define W X86_PTE_W


/* n requests at SCRATCH; the number done comes back at SCRATCH + 0x1000. */
static long mmu_reqs(struct vcpu *v, const struct mmu_update *u, unsigned n, unsigned dom_id)
{
    memcpy(g(SCRATCH), u, n * sizeof(*u));
    return HC(v, __HYPERVISOR_mmu_update, SCRATCH, n, SCRATCH + 0x1000, dom_id, 0);
}

/* The builder's start_info (esi at entry; hypercalls take the registers). */
static uint32_t si_va;
static void setup(const char *cmdline)
{
    build(cmdline);
    si_va = (uint32_t)vregs(v0)->rsi;
}
static struct start_info_x86_32 *si(void) { return fake_guest_ptr(v0, si_va, false); }
static uint32_t l3_mfn(void) { return dom.arch->p2m[(si()->pt_base - dom.arch->virt_base) >> PAGE_SHIFT]; }
static uint32_t xl2_mfn(void) { return (uint32_t)((frame(l3_mfn())[3] & X86_PTE_ADDR) >> PAGE_SHIFT); }

START_TEST(builder_tables)
{
    setup("mem=64M lowmem=32M vcpus=2");
    const struct start_info_x86_32 *s = si();
    ck_assert_uint_ge(s->nr_pt_frames, 3); /* L3, the pae_xen_l2, an L1 at least */
    ck_assert_uint_eq(s->pt_base & (PAGE_SIZE - 1), 0);
    uint32_t l3 = l3_mfn();
    /* Pinned, and one reference per vCPU. */
    ck_assert_uint_eq(type(l3), PGT_L3);
    ck_assert(word(l3) & PGT_PINNED);
    ck_assert_uint_eq(count(l3), 1 + 2);
    ck_assert_uint_eq(v0->arch->base_mfn, l3);
    ck_assert_uint_eq(v1->arch->base_mfn, l3);
    ck_assert_uint_eq(word(xl2_mfn()) & (PGT_TYPE | PGT_XEN_L2), PGT_L2 | PGT_XEN_L2);
    /* Every table frame is typed and mapped read-only; 512 KiB past them is mapped. */
    for (uint32_t i = 0; i < s->nr_pt_frames; i++) {
        uint32_t va = s->pt_base + i * PAGE_SIZE;
        ck_assert_ptr_nonnull(fake_guest_ptr(v0, va, false));
        ck_assert_ptr_null(fake_guest_ptr(v0, va, true));
        uint32_t t = type(dom.arch->p2m[(va - dom.arch->virt_base) >> PAGE_SHIFT]);
        ck_assert(t == PGT_L1 || t == PGT_L2 || t == PGT_L3);
    }
    uint32_t end = s->pt_base + s->nr_pt_frames * PAGE_SIZE;
    ck_assert_ptr_nonnull(fake_guest_ptr(v0, end + 512 * 1024 - 4, true));
    /* The vCPUs' copies: L3 slot 3 of the copy is the hypervisor's shadow,
     * whose guest slots are the pae_xen_l2's. */
    const uint64_t *xl2 = frame(xl2_mfn());
    for (unsigned i = 0; i < PV_XEN_L2_FIRST_HV_SLOT; i++)
        ck_assert_uint_eq(v1->arch->l2s[i], xl2[i]);
    ck_assert_uint_eq(type((uint32_t)(v0->arch->cr3 >> PAGE_SHIFT)), PGT_HYP);
}
END_TEST

START_TEST(l1_entries)
{
    setup("mem=64M lowmem=32M vcpus=1");
    uint32_t t = highmem_mfn(10), data = highmem_mfn(11);
    struct { uint64_t e; long want; } c[] = {
        { ma(data) | P | W, 0 },
        { ma(l3_mfn()) | P, 0 },                               /* read-only: fine */
        { ma(l3_mfn()) | P | W, -XEN_EBUSY },                  /* a page table, writable */
        { ma((uint32_t)(v0->arch->cr3 >> PAGE_SHIFT)) | P, -XEN_EBUSY }, /* the hypervisor's PML4 */
        { ma((uint32_t)(virt_to_phys(v0->arch->window_pt) >> PAGE_SHIFT)) | P, -XEN_EBUSY },
        { ma((uint32_t)(virt_to_phys(dom.arch->m2p) >> PAGE_SHIFT)) | P, -XEN_EBUSY }, /* the M2P */
        { ma(1) | P, -XEN_EBUSY },                             /* another's RAM */
        { (1ull << 40) | P, -XEN_EPERM },                      /* no RAM */
        { ma(data) | P | X86_PTE_PWT, -XEN_EINVAL },
        { ma(data) | P | X86_PTE_PCD, -XEN_EINVAL },
        { ma(data) | P | X86_PTE_PS, -XEN_EINVAL },            /* PAT */
        { ma(data) | P | (1ull << 55), -XEN_EINVAL },
        { ma(data) | P | X86_PTE_G | X86_PTE_NX | X86_PTE_AVL, 0 },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(c); i++) {
        memset(frame(t), 0, PAGE_SIZE);
        frame(t)[9] = c[i].e;
        ck_assert_msg(ext(MMUEXT_PIN_L1_TABLE, t, 0) == c[i].want, "entry %u", i);
        ck_assert_uint_eq(type(t), c[i].want ? PGT_NONE : PGT_L1);
        if (!c[i].want)
            ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, t, 0), 0);
    }
    /* A writable entry is a writable reference on its frame, dropped when the table goes. */
    memset(frame(t), 0, PAGE_SIZE);
    frame(t)[0] = frame(t)[1] = ma(data) | P | W;
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, t, 0), 0);
    ck_assert_uint_eq(type(data), PGT_WRITABLE);
    ck_assert_uint_eq(count(data), 2);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, data, 0), -XEN_EINVAL); /* mapped writable */
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, t, 0), 0);
    ck_assert_uint_eq(word(data) & (PGT_TYPE | PGT_COUNT), 0);
    ck_assert_uint_eq(type(t), PGT_NONE); /* dying until the call's flush, then none */
}
END_TEST

START_TEST(type_counts_and_pins)
{
    setup("mem=64M lowmem=32M vcpus=2");
    uint32_t l1 = highmem_mfn(20), data = highmem_mfn(21), l2 = xl2_mfn();
    memset(frame(l1), 0, PAGE_SIZE);
    frame(l1)[0] = ma(data) | P | W;
    uint64_t slot = ma(l2) + 400 * 8;
    ck_assert_int_eq(mmu(slot, ma(l1) | P | W), 0);
    ck_assert_uint_eq(type(l1), PGT_L1);
    ck_assert_uint_eq(count(l1), 1);
    ck_assert_uint_eq(v1->arch->l2s[400], ma(l1) | P | W); /* every vCPU on this L3 follows */
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, l1, 0), 0);
    ck_assert_uint_eq(count(l1), 2);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, l1, 0), -XEN_EINVAL); /* already pinned */
    ck_assert_int_eq(ext(MMUEXT_PIN_L2_TABLE, l1, 0), -XEN_EINVAL); /* wrong level */
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, l1, 0), 0);            /* in use: stays an L1 */
    ck_assert_uint_eq(type(l1), PGT_L1);
    ck_assert_uint_eq(count(l1), 1);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, l1, 0), -XEN_EINVAL);
    /* Entry updates move references. */
    ck_assert_int_eq(mmu(ma(l1) + 8, ma(data) | P | W), 0);
    ck_assert_uint_eq(count(data), 2);
    ck_assert_int_eq(mmu(ma(l1) + 8, ma(data) | P), 0);
    ck_assert_uint_eq(count(data), 1);
    ck_assert_int_eq(mmu(ma(l1) + 16, ma(l1) | P | W), -XEN_EBUSY); /* itself, writable */
    ck_assert_int_eq(mmu(ma(l1) + 16, ma(l1) | P), 0);              /* read-only: fine */
    /* The hypervisor's slots, L3 slot 3, hypervisor frames. */
    ck_assert_int_eq(mmu(ma(l2) + PV_XEN_L2_FIRST_HV_SLOT * 8, 0), -XEN_EPERM);
    ck_assert_int_eq(mmu(ma(l2) + 511 * 8, ma(l1) | P), -XEN_EPERM);
    ck_assert_int_eq(mmu(ma(l3_mfn()) + 3 * 8, 0), -XEN_EINVAL);
    ck_assert_int_eq(mmu(v0->arch->cr3, 0), -XEN_EINVAL);
    /* Unhooking the L1 ends it: its references go, the frame is data again. */
    ck_assert_int_eq(mmu(slot, 0), 0);
    ck_assert_uint_eq(type(l1), PGT_NONE);
    ck_assert_uint_eq(word(data) & PGT_COUNT, 0);
    ck_assert_uint_eq(v0->arch->l2s[400], 0);
}
END_TEST

START_TEST(requests_and_errors)
{
    setup("mem=64M lowmem=32M vcpus=1");
    uint32_t data = highmem_mfn(30);
    struct mmu_update u[3] = {
        { ma(data), 0x1111 }, { ma(0x100), 0 }, { ma(data) + 8, 0x2222 },
    };
    ck_assert_int_eq(mmu_reqs(v0, u, 3, DOMID_SELF), -XEN_EINVAL);
    ck_assert_uint_eq(*(uint32_t *)g(SCRATCH + 0x1000), 1); /* done */
    ck_assert_uint_eq(frame(data)[0], 0x1111);             /* a plain store into a data frame */
    ck_assert_uint_eq(frame(data)[1], 0);
    ck_assert_int_eq(mmu_reqs(v0, u, 1, 7), -XEN_ESRCH);
    ck_assert_int_eq(mmu_reqs(v0, u, 1, 0), 0);             /* its own id */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_mmu_update, SCRATCH, 70000, 0, DOMID_SELF, 0), -XEN_EINVAL);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_mmu_update, 0x1000, 1, 0, DOMID_SELF, 0), -XEN_EFAULT);
    ck_assert_int_eq(mmu(ma(data) | MMU_PT_UPDATE_PRESERVE_AD, 0), -XEN_ENOSYS);
    ck_assert_int_eq(mmu(ma(data) | 5, 0), -XEN_ENOSYS);
    /* MACHPHYS_UPDATE: the guest's M2P, never the owner table. */
    uint32_t pfn = pv_mfn_to_pfn(dom.arch, data);
    ck_assert_int_eq(mmu(ma(data) | MMU_MACHPHYS_UPDATE, 777), 0);
    ck_assert_uint_eq(dom.arch->m2p[data], 777);
    ck_assert_uint_eq(pv_mfn_to_pfn(dom.arch, data), pfn);
    ck_assert_int_eq(mmu(ma(0x100) | MMU_MACHPHYS_UPDATE, 1), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, data, 0), 0);
    ck_assert_int_eq(ext(MMUEXT_NEW_USER_BASEPTR, data, 0), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_SET_LDT, 0, 0), 0);
    ck_assert_int_eq(ext(MMUEXT_SET_LDT, 0x10000, 1), -XEN_EINVAL); /* unmapped: no frame to check (test_pv_desc.c) */
    ck_assert_int_eq(ext(MMUEXT_FLUSH_CACHE, 0, 0), -XEN_EACCES);
    ck_assert_int_eq(ext(77, 0, 0), -XEN_ENOSYS);
    ck_assert_int_eq(ext(MMUEXT_CLEAR_PAGE, data, 0), 0);
    ck_assert_uint_eq(frame(data)[0], 0);
    ck_assert_int_eq(ext(MMUEXT_CLEAR_PAGE, l3_mfn(), 0), -XEN_EINVAL); /* a table */
    ck_assert_int_eq(ext(MMUEXT_CLEAR_PAGE, 0x100, 0), -XEN_EINVAL);    /* not ours */
}
END_TEST

START_TEST(base_pointers)
{
    setup("mem=64M lowmem=32M vcpus=2");
    uint32_t l3 = l3_mfn(), copy = highmem_mfn(40), l1 = highmem_mfn(41);
    memset(frame(copy), 0, PAGE_SIZE);
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, copy, 0), -XEN_EINVAL); /* no slot 3 */
    memcpy(frame(copy), frame(l3), 32);
    frame(copy)[0] = ma(copy) | P;                                 /* an L3 in an L3 */
    ck_assert_int_eq(ext(MMUEXT_PIN_L3_TABLE, copy, 0), -XEN_EINVAL);
    frame(copy)[0] = ma(xl2_mfn()) | P;                             /* the pae_xen_l2 twice */
    ck_assert_int_eq(ext(MMUEXT_PIN_L3_TABLE, copy, 0), -XEN_EINVAL);
    frame(copy)[0] = 0;
    memset(frame(l1), 0, PAGE_SIZE);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, l1, 0), 0);
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, l1, 0), -XEN_EINVAL);  /* an L1 */
    /* An unpinned valid L3 is taken, as Xen does; v1 moves, v0 stays. */
    ck_assert_int_eq(ext_on(v1, MMUEXT_NEW_BASEPTR, copy, 0), 0);
    ck_assert_uint_eq(v1->arch->base_mfn, copy);
    ck_assert_uint_eq(count(copy), 1);
    ck_assert_uint_eq(count(l3), 2); /* the pin and v0 */
    ck_assert_uint_eq(count(xl2_mfn()), 2);
    /* An update of the shared pae_xen_l2 reaches both vCPUs' shadows. */
    ck_assert_int_eq(mmu(ma(xl2_mfn()) + 300 * 8, ma(l1) | P), 0);
    ck_assert_uint_eq(v0->arch->l2s[300], ma(l1) | P);
    ck_assert_uint_eq(v1->arch->l2s[300], ma(l1) | P);
    /* An L3 slot update reaches only the vCPUs on that L3 (U, RW, A added). */
    uint32_t l2 = highmem_mfn(42);
    memset(frame(l2), 0, PAGE_SIZE);
    ck_assert_int_eq(mmu(ma(copy) + 8, ma(l2) | P), 0);
    ck_assert_uint_eq(v1->arch->l3c[1], ma(l2) | P | W | X86_PTE_U | X86_PTE_A);
    ck_assert_uint_eq(v0->arch->l3c[1], 0);
    ck_assert_int_eq(mmu(ma(copy) + 8, ma(l2) | P | X86_PTE_NX), -XEN_EINVAL);
    /* Back: the copy's last reference goes, and with it its L2's. */
    ck_assert_int_eq(ext_on(v1, MMUEXT_NEW_BASEPTR, l3, 0), 0);
    ck_assert_uint_eq(type(copy), PGT_NONE);
    ck_assert_uint_eq(type(l2), PGT_NONE);
    ck_assert_uint_eq(v1->arch->l3c[1], 0);
    /* CR3 reads give the base in Xen's compat encoding. */
    ck_assert_uint_eq(pv_cr3_to_mfn(pv_mfn_to_cr3(0x123456)), 0x123456);
}
END_TEST

START_TEST(window_and_types)
{
    setup("mem=64M lowmem=32M vcpus=2 kmap.lazy=1");
    uint32_t f = highmem_mfn(50);
    memset(frame(f), 0, PAGE_SIZE);
    long va = HC(v1, KMV_HYPERVISOR_kmap_op, KMAPOP_push, f, KMAP_PROT_WRITE, 0, 0);
    ck_assert_uint_eq((uint32_t)va, KMV_WINDOW_BASE);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, f, 0), -XEN_EINVAL); /* v1's window maps it writable */
    ck_assert_int_eq(HC(v1, KMV_HYPERVISOR_kmap_op, KMAPOP_pop, (uint32_t)va, 0, 0, 0), 0);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, f, 0), -XEN_EINVAL); /* a lazy pop leaves the PTE */
    /* A push of another frame replaces it; then the frame may be typed. */
    ck_assert_uint_eq((uint32_t)HC(v1, KMV_HYPERVISOR_kmap_op, KMAPOP_push, highmem_mfn(51), KMAP_PROT_WRITE, 0, 0),
                      KMV_WINDOW_BASE);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, f, 0), 0);
    ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, KMAPOP_push, f, KMAP_PROT_WRITE, 0, 0), -XEN_EACCES);
    ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, KMAPOP_push, f, 0, 0, 0), -XEN_EACCES);
    /* Its hypervisor frames: never pinned or mapped. */
    uint32_t wpt = (uint32_t)(virt_to_phys(v0->arch->window_pt) >> PAGE_SHIFT);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, wpt, 0), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, (uint32_t)(v0->arch->cr3 >> PAGE_SHIFT), 0), -XEN_EINVAL);
}
END_TEST

START_TEST(flush_requests)
{
    setup("mem=64M lowmem=32M vcpus=3");
    uint32_t l1 = highmem_mfn(60), data = highmem_mfn(61);
    memset(frame(l1), 0, PAGE_SIZE);
    ck_assert_int_eq(mmu(ma(xl2_mfn()) + 400 * 8, ma(l1) | P | W), 0);
    uint32_t va = 0xc0000000u + 400 * (2u << 20);
    for (unsigned i = 0; i < 3; i++)
        dom.vcpu[i].arch->need_flush = false;
    uint64_t inv = fake_tlb.invlpg, cr3 = fake_tlb.cr3_loads;
    uint32_t lo = (uint32_t)(ma(data) | P | W);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, va, lo, 0, UVMF_INVLPG | UVMF_LOCAL, 0), 0);
    ck_assert_uint_eq(fake_tlb.invlpg, inv + 1);
    ck_assert_uint_eq(fake_tlb.last_invlpg, va);
    ck_assert(!v1->arch->need_flush && !dom.vcpu[2].arch->need_flush);
    ck_assert_ptr_eq(fake_guest_ptr(v0, va, false), fake_phys_to_virt(ma(data)));
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, va, lo, 0, UVMF_TLB_FLUSH | UVMF_ALL, 0), 0);
    ck_assert(v1->arch->need_flush && dom.vcpu[2].arch->need_flush);
    ck_assert_uint_eq(fake_tlb.cr3_loads, cr3 + 1); /* its own, at once */
    v1->arch->need_flush = dom.vcpu[2].arch->need_flush = false;
    *(uint32_t *)g(SCRATCH + 0x3000) = 1u << 2; /* vCPU 2 */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, va, lo, 0, UVMF_INVLPG | (SCRATCH + 0x3000), 0), 0);
    ck_assert(!v1->arch->need_flush && dom.vcpu[2].arch->need_flush);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, va, lo, 0, UVMF_INVLPG | 0x1000, 0), -XEN_EFAULT);
    dom.vcpu[2].arch->need_flush = false;
    ck_assert_int_eq(ext(MMUEXT_TLB_FLUSH_MULTI, 0, SCRATCH + 0x3000), 0);
    ck_assert(!v1->arch->need_flush && dom.vcpu[2].arch->need_flush);
    ck_assert_int_eq(ext(MMUEXT_INVLPG_ALL, va, 0), 0);
    ck_assert(v1->arch->need_flush);
    ck_assert_int_eq(ext(MMUEXT_TLB_FLUSH_MULTI, 0, 0x1000), -XEN_EFAULT);
    /* An ended table may still sit in other CPUs' TLBs: unhooking it flushes everyone. */
    v1->arch->need_flush = dom.vcpu[2].arch->need_flush = false;
    ck_assert_int_eq(mmu(ma(xl2_mfn()) + 400 * 8, 0), 0);
    ck_assert(v1->arch->need_flush && dom.vcpu[2].arch->need_flush);
}
END_TEST

/* Xen flushes and goes on where a table that just ended is used again in
 * the same call: a plain store into it, a writable mapping of it. */
START_TEST(ended_table_reused_in_one_call)
{
    setup("mem=64M lowmem=32M vcpus=2");
    uint32_t l1 = highmem_mfn(70), l1b = highmem_mfn(71);
    memset(frame(l1), 0, PAGE_SIZE);
    memset(frame(l1b), 0, PAGE_SIZE);
    uint64_t slot = ma(xl2_mfn()) + 400 * 8;
    ck_assert_int_eq(mmu(slot, ma(l1) | P | W), 0);
    struct mmu_update u[3] = {
        { slot, ma(l1b) | P | W },       /* l1 ends */
        { ma(l1) + 8, 0x5000 },          /* a plain store into it */
        { ma(l1b) + 0, ma(l1) | P | W }, /* and a writable mapping of it */
    };
    v1->arch->need_flush = false;
    ck_assert_int_eq(mmu_reqs(v0, u, 3, DOMID_SELF), 0);
    ck_assert_uint_eq(*(uint32_t *)g(SCRATCH + 0x1000), 3);
    ck_assert_uint_eq(frame(l1)[1], 0x5000);
    ck_assert_uint_eq(type(l1), PGT_WRITABLE);
    ck_assert(v1->arch->need_flush); /* the other vCPU was flushed first */
}
END_TEST

/* VCPUOP_initialise: ctrlreg[3] names an L3 (compat encoding), 0 the caller's. */
START_TEST(initialise_takes_an_l3)
{
    setup("mem=64M lowmem=32M vcpus=3");
    struct vcpu_guest_context_x86_32 *ctx = g(SCRATCH + 0x4000);
    memset(ctx, 0, sizeof(*ctx));
    ctx->user_regs.cs = GUEST_RING1_CS;
    ctx->user_regs.ss = ctx->kernel_ss = GUEST_RING1_DS;
    uint32_t l3 = l3_mfn(), bad = highmem_mfn(80);
    memset(frame(bad), 0, PAGE_SIZE);
    ctx->ctrlreg[3] = pv_mfn_to_cr3(bad);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, SCRATCH + 0x4000, 0, 0), -XEN_EINVAL);
    ck_assert(!v1->initialised);
    ck_assert_uint_eq(count(l3), 1 + 3);
    ctx->ctrlreg[3] = pv_mfn_to_cr3(l3);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, SCRATCH + 0x4000, 0, 0), 0);
    ck_assert_uint_eq(v1->arch->base_mfn, l3);
    ck_assert_uint_eq(count(l3), 1 + 3); /* its old reference (the same L3) went */
    ctx->ctrlreg[3] = 0;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 2, SCRATCH + 0x4000, 0, 0), 0);
    ck_assert_uint_eq(dom.vcpu[2].arch->base_mfn, l3);
}
END_TEST

/* Frames the hypervisor shares (shared_info, grant frames): mappable as
 * shared, never a table, never the domain's own. */
START_TEST(shared_frames)
{
    setup("mem=64M lowmem=32M vcpus=1");
    int64_t ro = fa_alloc(&host_frames, 1, 1), rw = fa_alloc(&host_frames, 1, 1);
    ck_assert(ro > 0 && rw > 0);
    ck_assert_int_eq(pv_share_frame(&dom, (uint64_t)ro, false), 0);
    ck_assert_int_eq(pv_share_frame(&dom, (uint64_t)rw, true), 0);
    ck_assert_int_eq(pv_share_frame(&dom, highmem_mfn(0), true), -XEN_EINVAL); /* its own */
    uint32_t t = highmem_mfn(90);
    memset(frame(t), 0, PAGE_SIZE);
    frame(t)[0] = ma((uint32_t)ro) | P;
    frame(t)[1] = ma((uint32_t)rw) | P | W;
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, t, 0), 0);
    ck_assert_int_eq(mmu(ma(t) + 16, ma((uint32_t)ro) | P | W), -XEN_EBUSY); /* read-only share */
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, (uint32_t)rw, 0), -XEN_EINVAL);  /* never a table */
    ck_assert_int_eq(mmu(ma((uint32_t)rw), 0), -XEN_EINVAL);                  /* not the domain's frame */
}
END_TEST

Suite *pv_mmu_suite(void)
{
    Suite *s = suite_create("pv-mmu");
    TCase *tc = tcase_create("pv-mmu");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, builder_tables);
    tcase_add_test(tc, l1_entries);
    tcase_add_test(tc, type_counts_and_pins);
    tcase_add_test(tc, requests_and_errors);
    tcase_add_test(tc, base_pointers);
    tcase_add_test(tc, window_and_types);
    tcase_add_test(tc, flush_requests);
    tcase_add_test(tc, ended_table_reused_in_one_call);
    tcase_add_test(tc, initialise_takes_an_l3);
    tcase_add_test(tc, shared_frames);
    suite_add_tcase(s, tc);
    return s;
}
