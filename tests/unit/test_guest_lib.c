/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest kmap_local library on the host, single CPU, with the shipped
 * native backend writing a fake window page table: the per-architecture
 * layer (slot arithmetic with cache colours, PTE encoding, the flushes
 * each arch asks for) for every highmem architecture in the table, and the
 * library's colour-aware push and pop.
 */
#include "unit.h"
#include <stdio.h>
#include <string.h>
#include <kmap_local.h>
#include <kmap_local_hooks.h>
#include <kmap_backends.h>

#define BASE 0xffe00000u
#define WSLOTS 64

static struct kmap_local_cpu cpu;
static struct kmap_local_task task;
static uint64_t pte[WSLOTS];
static unsigned flushes, dflushes, reports;
static uintptr_t last_flush;
static char last_report[200];

static unsigned long irq_save(void) { return 0; }
static void irq_restore(unsigned long flags) { (void)flags; }
static struct kmap_local_cpu *this_cpu(void) { return &cpu; }
static struct kmap_local_task *current_task(void) { return &task; }
static void *lowmem_addr(uint32_t pfn) { (void)pfn; return NULL; }
static void report(const char *msg) { reports++; snprintf(last_report, sizeof(last_report), "%s", msg); }
static struct kmap_local_kernel kernel = {
    irq_save, irq_restore, this_cpu, current_task, lowmem_addr, report, BASE, 4096, WSLOTS, 0, NULL, 0,
};

static void set_pte(unsigned slot, uint64_t v) { ck_assert_uint_lt(slot, WSLOTS); pte[slot] = v; }
static void flush(uintptr_t va) { flushes++; last_flush = va; }
static void flush_dcache(uintptr_t va) { (void)va; dflushes++; }
static const struct kmap_native_ops ops = { set_pte, flush, flush_dcache };

static void reset(const char *arch)
{
    memset(&cpu, 0, sizeof(cpu));
    memset(&task, 0, sizeof(task));
    memset(pte, 0, sizeof(pte));
    flushes = dflushes = reports = 0;
    kernel.nr_slots = WSLOTS;
    kmap_backend_native_register(&ops);
    const struct kmap_arch *a = kmap_arch_find(arch);
    ck_assert_ptr_nonnull(a);
    ck_assert(kmap_local_init(&kernel, &kmap_backend_native, a, false));
}

/* Every arch: a stack index owns `colours` slots of its own, and the slot
 * chosen for a frame has the frame's colour (no alias in a VIPT cache). */
START_TEST(arch_slot_arithmetic)
{
    ck_assert_uint_ge(kmap_nr_arches, 10);
    for (unsigned i = 0; i < kmap_nr_arches; i++) {
        const struct kmap_arch *a = &kmap_arches[i];
        ck_assert_msg(a->colours && !(a->colours & (a->colours - 1)), "%s: colours a power of two", a->name);
        for (unsigned idx = 0; idx < 16; idx++)
            for (uint32_t pfn = 0x12340; pfn < 0x12350; pfn++) {
                unsigned s = kmap_arch_slot(a, idx, pfn);
                ck_assert_msg(s / a->colours == idx, "%s: slot %u outside index %u's", a->name, s, idx);
                ck_assert_msg(s % a->colours == pfn % a->colours, "%s: colour of slot %u != frame %#x", a->name, s,
                              pfn);
            }
    }
}
END_TEST

/* Every arch: the PTE holds the frame where the arch's MMU reads it, the
 * present bit, and the write bit exactly when asked. */
START_TEST(arch_pte_encoding)
{
    for (unsigned i = 0; i < kmap_nr_arches; i++) {
        const struct kmap_arch *a = &kmap_arches[i];
        uint32_t pfn = 0x2345;
        uint64_t ro = kmap_arch_mk_pte(a, pfn, false), rw = kmap_arch_mk_pte(a, pfn, true);
        ck_assert_msg((ro & a->pte_present) == a->pte_present, "%s: present", a->name);
        ck_assert_msg(((ro >> a->pfn_shift) & 0xfffff) == pfn, "%s: frame", a->name);
        ck_assert_msg((rw & a->pte_write) == a->pte_write && (!a->pte_write || !(ro & a->pte_write)),
                      "%s: write bit", a->name);
        if (a->pte_bytes == 4)
            ck_assert_msg(rw >> 32 == 0, "%s: a 4-byte PTE", a->name);
    }
    /* Two fixed points: x86 PAE and SPARC's SRMMU (frame at bit 8). */
    ck_assert_uint_eq(kmap_arch_mk_pte(kmap_arch_find("x86-32-pae"), 0x1234, true), 0x8000000001234003ull);
    ck_assert_uint_eq(kmap_arch_mk_pte(kmap_arch_find("sparc32"), 0x1234, false) >> 8, 0x1234);
    ck_assert_ptr_null(kmap_arch_find("vax"));
}
END_TEST

/* ARM (4 colours): the library pushes into coloured slots, pops them in
 * order, refuses a wrong-colour or out-of-order address, and flushes the
 * aliasing D-cache before each unmap. */
START_TEST(coloured_window)
{
    reset("arm");
    ck_assert_uint_eq(kmap_local_capacity(), WSLOTS / 4);
    void *a = kmap_local_pfn(0x10005), *b = kmap_local_pfn(0x10006), *c = kmap_local_pfn(0x10007);
    ck_assert_ptr_eq(a, (void *)(uintptr_t)(BASE + 1 * 4096));   /* index 0, colour 1 */
    ck_assert_ptr_eq(b, (void *)(uintptr_t)(BASE + 6 * 4096));   /* index 1, colour 2 */
    ck_assert_ptr_eq(c, (void *)(uintptr_t)(BASE + 11 * 4096));  /* index 2, colour 3 */
    const struct kmap_arch *arm = kmap_arch_find("arm");
    ck_assert_uint_eq(pte[6], kmap_arch_mk_pte(arm, 0x10006, true));
    ck_assert_uint_eq(cpu.idx, 3);
    ck_assert_uint_eq(task.nr, 3);
    kunmap_local(b);
    ck_assert_uint_eq(reports, 1);
    ck_assert(strstr(last_report, "out of order"));
    kunmap_local((void *)(uintptr_t)(BASE + 10 * 4096)); /* index 2, but not c's colour */
    ck_assert(strstr(last_report, "not a live"));
    ck_assert_uint_eq(cpu.idx, 3);
    kunmap_local(c);
    kunmap_local(b);
    kunmap_local(a);
    ck_assert_uint_eq(cpu.idx, 0);
    ck_assert_uint_eq(reports, 2);
    ck_assert_uint_eq(dflushes, 3);
    ck_assert_uint_eq(flushes, 3);
    ck_assert_uint_eq(pte[1] | pte[6] | pte[11], 0);
}
END_TEST

/* MIPS caches invalid entries: a map flushes too. */
START_TEST(flush_on_map)
{
    reset("mips");
    void *a = kmap_local_pfn(0x20001);
    ck_assert_uint_eq(flushes, 1);
    ck_assert_uint_eq(last_flush, (uintptr_t)a);
    kunmap_local(a);
    ck_assert_uint_eq(flushes, 2);
    reset("x86-32-pae");
    a = kmap_local_pfn(0x20001);
    ck_assert_uint_eq(flushes, 0); /* x86: a not-present PTE is never cached */
    kunmap_local(a);
    ck_assert_uint_eq(flushes, 1);
}
END_TEST

/* The stack is as deep as the window allows, and no deeper. */
START_TEST(capacity_and_overflow)
{
    reset("xtensa");
    kernel.nr_slots = 7; /* 3 entries of 2 colours; the odd slot is unusable */
    ck_assert_uint_eq(kmap_local_capacity(), 3);
    void *v[3];
    for (unsigned i = 0; i < 3; i++)
        ck_assert_ptr_nonnull(v[i] = kmap_local_pfn(0x30000 + i));
    ck_assert_ptr_null(kmap_local_pfn(0x30003));
    ck_assert(strstr(last_report, "overflow"));
    for (unsigned i = 3; i-- > 0;)
        kunmap_local(v[i]);
    ck_assert_uint_eq(cpu.idx, 0);
    /* A window larger than the build's stacks, and batched replay with
     * colours, are refused at init with a report, not silently capped. */
    kernel.nr_slots = KMAP_LOCAL_MAX + 1;
    ck_assert(!kmap_local_init(&kernel, &kmap_backend_native, kmap_arch_find("x86-32-pae"), false));
    ck_assert(strstr(last_report, "more than"));
    kernel.nr_slots = WSLOTS;
    static const struct kmap_local_backend fake = { "fake", false, NULL, NULL, (void *)1 };
    ck_assert(!kmap_local_init(&kernel, &fake, kmap_arch_find("arm"), true));
    ck_assert(strstr(last_report, "batched"));
}
END_TEST

/* One range shared by every CPU, a slice each (the PV guest's own slot
 * area on Xen): CPU c's slot i is at BASE + c * span + i * 4096; an unmap
 * of another CPU's slot is not live here, and is reported. */
static unsigned fake_cpu;
static struct kmap_local_cpu slice_cpus[4];
static struct kmap_local_cpu *slice_this_cpu(void) { return &slice_cpus[fake_cpu]; }
static unsigned slice_cpu_id(void) { return fake_cpu; }
static struct kmap_local_task *no_task(void) { return NULL; }

START_TEST(per_cpu_slices)
{
    static struct kmap_local_kernel k = {
        irq_save, irq_restore, slice_this_cpu, no_task, lowmem_addr, report, BASE, 4096, 16, 16 * 4096, slice_cpu_id, 4,
    };
    memset(slice_cpus, 0, sizeof(slice_cpus));
    reports = 0;
    last_flush = 0;
    kmap_backend_native_register(&ops);
    ck_assert(kmap_local_init(&k, &kmap_backend_native, kmap_arch_find("x86-32-pae"), false));
    void *va[4][2];
    for (fake_cpu = 0; fake_cpu < 4; fake_cpu++)
        for (unsigned i = 0; i < 2; i++) {
            va[fake_cpu][i] = kmap_local_pfn(0x5000 + fake_cpu * 2 + i);
            ck_assert_ptr_eq(va[fake_cpu][i], (void *)(uintptr_t)(BASE + (fake_cpu * 16 + i) * 4096));
            ck_assert_uint_eq(last_flush, 0); /* the native backend flushes on unmap only */
        }
    fake_cpu = 1;
    kunmap_local(va[2][1]); /* CPU 2's slot, from CPU 1 */
    ck_assert_uint_eq(reports, 1);
    ck_assert_msg(strstr(last_report, "not a live"), "%s", last_report);
    ck_assert_uint_eq(slice_cpus[2].idx, 2);
    for (fake_cpu = 0; fake_cpu < 4; fake_cpu++) {
        kunmap_local(va[fake_cpu][1]);
        kunmap_local(va[fake_cpu][0]);
        ck_assert_uint_eq(slice_cpus[fake_cpu].idx, 0);
        ck_assert_uint_eq(last_flush, BASE + fake_cpu * 16 * 4096);
    }
    ck_assert_uint_eq(reports, 1);
    fake_cpu = 0;
}
END_TEST

Suite *guest_lib_suite(void)
{
    Suite *s = suite_create("guest-lib");
    TCase *tc = tcase_create("arch");
    tcase_add_test(tc, arch_slot_arithmetic);
    tcase_add_test(tc, arch_pte_encoding);
    tcase_add_test(tc, coloured_window);
    tcase_add_test(tc, flush_on_map);
    tcase_add_test(tc, capacity_and_overflow);
    tcase_add_test(tc, per_cpu_slices);
    suite_add_tcase(s, tc);
    return s;
}
