/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest descriptor tables on the fake machine: Xen's check_descriptor
 * rules for a compat guest (each kind refused or accepted, and the
 * fix-ups), and set_gdt / update_descriptor / MMUEXT_SET_LDT through the
 * real hypercall table, against the page types of the PV MMU.
 */
#include "unit.h"
#include <kmapvisor/x86_pte.h>
#include "pv_tables.h"
#include "arch/x86_64/pv/page_type.h"
#include "arch/x86_64/pv/desc_check.h"

#define P X86_PTE_P
#define W X86_PTE_W


/* set_gdt of n frames (listed at SCRATCH + 0x3000). */
static long set_gdt(const uint32_t *mfns, unsigned n, uint32_t ents)
{
    if (n)
        memcpy(g(SCRATCH + 0x3000), mfns, n * 4);
    return HC(v0, __HYPERVISOR_set_gdt, SCRATCH + 0x3000, ents, 0, 0, 0);
}
static long update_desc(uint64_t addr, uint64_t d)
{
    return HC(v0, __HYPERVISOR_update_descriptor, (uint32_t)addr, (uint32_t)(addr >> 32), (uint32_t)d,
              (uint32_t)(d >> 32), 0);
}

/* Descriptors: a = low word, b = high word. */
#define DESC(b, a) (((uint64_t)(b) << 32) | (uint32_t)(a))
#define FLAT_DATA(dpl) DESC(0x00cf9200u | (dpl) << 13, 0x0000ffffu)
#define FLAT_CODE(dpl) DESC(0x00cf9a00u | (dpl) << 13, 0x0000ffffu)
/* A call gate to sel:0x12345678 with DPL dpl and param-count byte pc. */
#define GATE(sel, dpl, pc) DESC(0x12340000u | 0x8c00u | (dpl) << 13 | (pc), (uint32_t)(sel) << 16 | 0x5678u)

START_TEST(descriptor_rules)
{
    static const struct { uint64_t in; bool ok; uint64_t out; const char *what; } c[] = {
        { 0, true, 0, "null" },
        { DESC(0x00cf1a00u, 0xffff), true, DESC(0x00cf1a00u, 0xffff), "not present: anything goes, unchanged" },
        { DESC(0x00af1a00u, 0xffff), true, DESC(0x00af1a00u, 0xffff), "not present 64-bit code" },
        { FLAT_DATA(1), true, FLAT_DATA(1), "ring-1 data" },
        { FLAT_CODE(1), true, FLAT_CODE(1), "ring-1 code" },
        { FLAT_DATA(3), true, FLAT_DATA(3), "ring-3 data" },
        { FLAT_CODE(3), true, FLAT_CODE(3), "ring-3 code" },
        { FLAT_DATA(2), true, FLAT_DATA(2), "ring-2 data" },
        { FLAT_DATA(0), true, FLAT_DATA(1), "DPL 0 data becomes DPL 1" },
        { FLAT_CODE(0), true, FLAT_CODE(1), "DPL 0 code becomes DPL 1" },
        { DESC(0x00af9a00u, 0xffff), false, 0, "64-bit code, DPL 0" },
        { DESC(0x00afba00u, 0xffff), false, 0, "64-bit code, DPL 1" },
        { DESC(0x00affa00u, 0xffff), false, 0, "64-bit code, DPL 3" },
        { DESC(0x00cfb200u, 0x67ff), true, DESC(0x00cfb200u, 0xffff), "flat to 0xf6800000: widened to 4 GiB" },
        { DESC(0x00cfb200u, 0x5807), true, DESC(0x00cfb200u, 0xffff), "flat to 0xf5808000: widened" },
        { DESC(0x00cfb200u, 0x57ff), true, DESC(0x00cfb200u, 0x57ff), "flat to 0xf5800000 exactly: kept" },
        { DESC(0x00c0b200u, 0xffff), true, DESC(0x00c0b200u, 0xffff), "flat, 256 MiB: kept" },
        { DESC(0x10cfb200u, 0xffff), true, DESC(0x10cfb200u, 0xffff), "base 0x10000000, 4 GiB (wraps): kept" },
        { DESC(0x0040b200u, 0x0000ffff), true, DESC(0x0040b200u, 0x0000ffff), "byte-granular 64 KiB" },
        { DESC(0x00008000u, 0), true, DESC(0x00008000u, 0), "present system type 0 (a gate's upper half)" },
        { DESC(0x0000e200u, 0x0fff), false, 0, "LDT descriptor" },
        { DESC(0x0000e900u, 0x0067), false, 0, "available 32-bit TSS" },
        { DESC(0x0000eb00u, 0x0067), false, 0, "busy 32-bit TSS" },
        { DESC(0x0000e100u, 0x0067), false, 0, "16-bit TSS" },
        { DESC(0x0000e500u, 0xe0190000u), false, 0, "task gate" },
        { DESC(0x1234ee00u, 0xe0195678u), false, 0, "interrupt gate" },
        { DESC(0x1234ef00u, 0xe0195678u), false, 0, "trap gate" },
        { DESC(0x1234e400u, 0xe0195678u), false, 0, "16-bit call gate" },
        { GATE(0x0060, 3, 0), true, DESC(0x12348c00u, 0x00635678u), "call gate to a guest GDT code selector: DPL into RPL" },
        { GATE(0x0060, 0, 0), true, DESC(0x12348c00u, 0x00615678u), "call gate DPL 0 -> RPL 1" },
        { GATE(0xe019, 1, 0), true, DESC(0x12348c00u, 0xe0195678u), "call gate to the flat ring-1 code" },
        { GATE(0x0007, 3, 2), true, DESC(0x12348c02u, 0x00075678u), "call gate to an LDT selector, 2 params" },
        { GATE(0xe02b, 3, 0), false, 0, "call gate to the flat ring-3 code (reserved area)" },
        { GATE(0xe021, 1, 0), false, 0, "call gate to the flat ring-1 data" },
        { GATE(0xe018, 1, 0), false, 0, "call gate to 0xe018 (not exactly 0xe019)" },
        { GATE(0xfff8, 1, 0), false, 0, "call gate to the top of the reserved area" },
        { GATE(0xdff8, 1, 0), true, DESC(0x12348c00u, 0xdff95678u), "call gate to the last guest GDT entry" },
        { GATE(0xe000, 1, 0), false, 0, "call gate to the first reserved entry" },
        { GATE(0xe008, 1, 0), false, 0, "call gate to the hypervisor's code (HYP_CS)" },
        { GATE(0xe010, 1, 0), false, 0, "call gate to the hypervisor's data (HYP_DS)" },
        { GATE(0xe040, 1, 0), false, 0, "call gate to the hypervisor's TSS (HYP_TSS)" },
        { GATE(0x0060, 3, 0x20), false, 0, "call gate with a reserved bit (5)" },
        { GATE(0x0060, 3, 0x80), false, 0, "call gate with a reserved bit (7)" },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(c); i++) {
        uint64_t d = c[i].in;
        bool ok = pv_check_descriptor(&d);
        ck_assert_msg(ok == c[i].ok, "%s: %s", c[i].what, ok ? "accepted" : "refused");
        if (ok)
            ck_assert_msg(d == c[i].out, "%s: %#llx, want %#llx", c[i].what, (unsigned long long)d,
                          (unsigned long long)c[i].out);
        else
            ck_assert_msg(d == c[i].in, "%s: changed though refused", c[i].what);
    }
}
END_TEST

START_TEST(gdt_frames_and_types)
{
    build("mem=64M lowmem=32M vcpus=2");
    uint32_t f = highmem_mfn(20), f2 = highmem_mfn(21), t = highmem_mfn(22), data = highmem_mfn(23);
    memset(frame(f), 0, PAGE_SIZE);
    memset(frame(f2), 0, PAGE_SIZE);
    frame(f)[1] = FLAT_DATA(1);
    frame(f)[2] = FLAT_CODE(0);
    frame(f2)[3] = FLAT_DATA(3);
    uint32_t two[2] = { f, f2 };
    ck_assert_int_eq(set_gdt(two, 2, 512 + 4), 0);
    ck_assert_uint_eq(type(f), PGT_SEGDESC);
    ck_assert_uint_eq(count(f), 1);
    ck_assert_uint_eq(type(f2), PGT_SEGDESC);
    ck_assert_uint_eq(v0->arch->gdt_ents, 516);
    ck_assert_uint_eq(v0->arch->gdt_mfn[1], f2);
    ck_assert_uint_eq(frame(f)[2], FLAT_CODE(1)); /* fixed up in place, as Xen */

    /* A seg-desc frame: never mapped writable, never a table, never in the window. */
    memset(frame(t), 0, PAGE_SIZE);
    frame(t)[9] = ma(f) | P | W;
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, t, 0), -XEN_EBUSY);
    frame(t)[9] = ma(f) | P;
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, t, 0), 0); /* read-only is fine */
    ck_assert_int_eq(mmu(ma(t) + 9 * 8, ma(f) | P | W), -XEN_EBUSY);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, t, 0), 0);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, f, 0), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_PIN_L2_TABLE, f, 0), -XEN_EINVAL);
    ck_assert_int_eq(mmu(ma(f) + 8, FLAT_DATA(1)), -XEN_EINVAL); /* a plain store: no */
    ck_assert_int_eq(ext(MMUEXT_CLEAR_PAGE, f, 0), -XEN_EINVAL);
    ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, KMAPOP_push, f, KMAP_PROT_WRITE, 0, 0), -XEN_EACCES);
    ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, KMAPOP_push, f, 0, 0, 0), -XEN_EACCES);
    ck_assert_uint_eq(frame(f)[1], FLAT_DATA(1));

    /* The other way round: a frame mapped writable cannot become a GDT. */
    memset(frame(t), 0, PAGE_SIZE);
    memset(frame(data), 0, PAGE_SIZE);
    frame(t)[0] = ma(data) | P | W;
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, t, 0), 0);
    ck_assert_int_eq(set_gdt(&data, 1, 8), -XEN_EINVAL);
    ck_assert_uint_eq(type(data), PGT_WRITABLE);
    ck_assert_uint_eq(v0->arch->gdt_ents, 516); /* the old GDT stays */
    ck_assert_uint_eq(count(f), 1);
    /* Nor can a page table. */
    ck_assert_int_eq(set_gdt(&t, 1, 8), -XEN_EINVAL);
    ck_assert_uint_eq(type(t), PGT_L1);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, t, 0), 0);

    /* A bad descriptor anywhere in a frame refuses the frame, and the
     * whole call: the first frame's reference is given back. */
    uint32_t g3 = highmem_mfn(24), g4 = highmem_mfn(25);
    memset(frame(g3), 0, PAGE_SIZE);
    memset(frame(g4), 0, PAGE_SIZE);
    frame(g4)[511] = DESC(0x00af9a00u, 0xffff); /* 64-bit code, past the entries named: still checked */
    uint32_t bad[2] = { g3, g4 };
    ck_assert_int_eq(set_gdt(bad, 2, 513), -XEN_EINVAL);
    ck_assert_uint_eq(type(g3), PGT_NONE);
    ck_assert_uint_eq(count(g3), 0);
    ck_assert_uint_eq(type(g4), PGT_NONE);
    ck_assert_uint_eq(v0->arch->gdt_mfn[0], f);
    /* Arguments. */
    ck_assert_int_eq(set_gdt(two, 2, PV_GDT_MAX_ENTS + 1), -XEN_EINVAL);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_set_gdt, 0x1000, 16, 0, 0, 0), -XEN_EFAULT);
    uint32_t not_ours = 1;
    ck_assert_int_eq(set_gdt(&not_ours, 1, 16), -XEN_EINVAL);
    uint32_t hyp = (uint32_t)(virt_to_phys(v0->arch->window_pt) >> PAGE_SHIFT);
    ck_assert_int_eq(set_gdt(&hyp, 1, 16), -XEN_EINVAL);

    /* The same frame on two vCPUs: two references. */
    memcpy(g(SCRATCH + 0x3000), &f, 4);
    ck_assert_int_eq(HC(v1, __HYPERVISOR_set_gdt, SCRATCH + 0x3000, 8, 0, 0, 0), 0);
    ck_assert_uint_eq(count(f), 2);
    ck_assert_int_eq(HC(v1, __HYPERVISOR_set_gdt, 0, 0, 0, 0, 0), 0);
    ck_assert_uint_eq(count(f), 1);
    /* A new GDT drops the old one's references; 0 entries none at all. */
    ck_assert_int_eq(set_gdt(&f2, 1, 8), 0);
    ck_assert_uint_eq(type(f), PGT_NONE);
    ck_assert_uint_eq(count(f2), 1);
    ck_assert_int_eq(set_gdt(NULL, 0, 0), 0);
    ck_assert_uint_eq(type(f2), PGT_NONE);
    ck_assert_uint_eq(v0->arch->gdt_ents, 0);
    frame(t)[0] = ma(f) | P | W; /* a data frame again: mapped writable */
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, t, 0), 0);
    ck_assert_uint_eq(type(f), PGT_WRITABLE);
}
END_TEST

START_TEST(update_descriptor_rules)
{
    build("mem=64M lowmem=32M vcpus=1");
    uint32_t f = highmem_mfn(30), t = highmem_mfn(31), data = highmem_mfn(32);
    memset(frame(f), 0, PAGE_SIZE);
    ck_assert_int_eq(set_gdt(&f, 1, 32), 0);
    ck_assert_int_eq(update_desc(ma(f) + 5 * 8, FLAT_DATA(1)), 0);
    ck_assert_uint_eq(frame(f)[5], FLAT_DATA(1));
    ck_assert_int_eq(update_desc(ma(f) + 6 * 8, FLAT_DATA(0)), 0);
    ck_assert_uint_eq(frame(f)[6], FLAT_DATA(1)); /* fixed up */
    /* Refused descriptors, addresses and frames change nothing. */
    ck_assert_int_eq(update_desc(ma(f) + 5 * 8, DESC(0x00afba00u, 0xffff)), -XEN_EINVAL);
    ck_assert_int_eq(update_desc(ma(f) + 5 * 8, DESC(0x0000e900u, 0x0067)), -XEN_EINVAL);
    ck_assert_int_eq(update_desc(ma(f) + 5 * 8, GATE(0xe02b, 3, 0)), -XEN_EINVAL);
    ck_assert_uint_eq(frame(f)[5], FLAT_DATA(1));
    ck_assert_int_eq(update_desc(ma(f) + 5 * 8 + 4, FLAT_DATA(3)), -XEN_EINVAL); /* misaligned */
    ck_assert_uint_eq(frame(f)[5], FLAT_DATA(1));
    ck_assert_int_eq(update_desc(ma(1) + 8, FLAT_DATA(1)), -XEN_EINVAL);          /* not the domain's */
    ck_assert_int_eq(update_desc((1ull << 44) + 8, FLAT_DATA(1)), -XEN_EINVAL);   /* beyond the machine */
    uint64_t wpt = virt_to_phys(v0->arch->window_pt);
    ck_assert_int_eq(update_desc(wpt, FLAT_DATA(1)), -XEN_EINVAL);                /* the hypervisor's */
    ck_assert_uint_eq(v0->arch->window_pt[0], 0);
    memset(frame(t), 0, PAGE_SIZE);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, t, 0), 0);
    ck_assert_int_eq(update_desc(ma(t) + 8, FLAT_DATA(1)), -XEN_EINVAL);          /* a page table */
    ck_assert_uint_eq(frame(t)[1], 0);
    /* A data frame takes a checked descriptor (Xen's writable case). */
    ck_assert_int_eq(update_desc(ma(data) + 16, FLAT_CODE(3)), 0);
    ck_assert_uint_eq(frame(data)[2], FLAT_CODE(3));
    ck_assert_uint_eq(type(data), PGT_NONE);
    ck_assert_int_eq(update_desc(ma(data) + 24, DESC(0x00af9a00u, 0xffff)), -XEN_EINVAL);
}
END_TEST

START_TEST(ldt_rules)
{
    build("mem=64M lowmem=32M vcpus=1");
    uint32_t va = SCRATCH + 0x10000;
    uint32_t mfn = dom.arch->p2m[(va - dom.arch->virt_base) >> PAGE_SHIFT];
    memset(frame(mfn), 0, PAGE_SIZE);
    frame(mfn)[1] = FLAT_DATA(3);
    /* Mapped writable (lowmem is): not a descriptor frame. */
    ck_assert_int_eq(ext(MMUEXT_SET_LDT, va, 16), -XEN_EINVAL);
    ck_assert_uint_eq(v0->arch->ldt_ents, 0);
    /* Read-only, it may be. */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, va, (uint32_t)(ma(mfn) | P), 0, UVMF_INVLPG, 0), 0);
    ck_assert_int_eq(ext(MMUEXT_SET_LDT, va, 16), 0);
    ck_assert_uint_eq(type(mfn), PGT_SEGDESC);
    ck_assert_uint_eq(v0->arch->ldt_base, va);
    ck_assert_uint_eq(v0->arch->ldt_ents, 16);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, va, (uint32_t)(ma(mfn) | P | W), 0, UVMF_INVLPG, 0),
                     -XEN_EBUSY);
    ck_assert_int_eq(ext(MMUEXT_SET_LDT, va, 16), 0); /* the same: nothing changes */
    ck_assert_uint_eq(count(mfn), 1);
    /* Arguments. */
    ck_assert_int_eq(ext(MMUEXT_SET_LDT, va + 8, 16), -XEN_EINVAL);              /* not page aligned */
    ck_assert_int_eq(ext(MMUEXT_SET_LDT, va, PV_LDT_MAX_ENTS + 1), -XEN_EINVAL);
    ck_assert_int_eq(ext(MMUEXT_SET_LDT, 0xf5800000u, 16), -XEN_EINVAL);         /* the hypervisor's area */
    ck_assert_int_eq(ext(MMUEXT_SET_LDT, 0xf57ff000u, 1024), -XEN_EINVAL);       /* reaches into it */
    ck_assert_int_eq(ext(MMUEXT_SET_LDT, 0x1000, 16), -XEN_EINVAL);              /* unmapped */
    /* A bad descriptor in the page refuses it, and the old LDT stays. */
    uint32_t va2 = va + PAGE_SIZE, mfn2 = dom.arch->p2m[(va2 - dom.arch->virt_base) >> PAGE_SHIFT];
    memset(frame(mfn2), 0, PAGE_SIZE);
    frame(mfn2)[7] = DESC(0x0000e200u, 0x0fff); /* an LDT descriptor inside an LDT */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, va2, (uint32_t)(ma(mfn2) | P), 0, UVMF_INVLPG, 0), 0);
    ck_assert_int_eq(ext(MMUEXT_SET_LDT, va2, 8), -XEN_EINVAL);
    ck_assert_uint_eq(type(mfn2), PGT_NONE);
    ck_assert_uint_eq(v0->arch->ldt_base, va);
    /* 0 entries: no LDT, the frame is data again. */
    ck_assert_int_eq(ext(MMUEXT_SET_LDT, 0, 0), 0);
    ck_assert_uint_eq(type(mfn), PGT_NONE);
    ck_assert_uint_eq(v0->arch->ldt_ents, 0);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, va, (uint32_t)(ma(mfn) | P | W), 0, UVMF_INVLPG, 0), 0);
}
END_TEST

Suite *pv_desc_suite(void)
{
    Suite *s = suite_create("pv-desc");
    TCase *tc = tcase_create("pv-desc");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, descriptor_rules);
    tcase_add_test(tc, gdt_frames_and_types);
    tcase_add_test(tc, update_descriptor_rules);
    tcase_add_test(tc, ldt_rules);
    suite_add_tcase(s, tc);
    return s;
}
