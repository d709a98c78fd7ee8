/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Conformance suite of the portable kmap_local library, built for one
 * 32-bit target with its cross compiler and run under qemu-user: the
 * library (guest-patches/lib), the arch table (guest-patches/arch) and
 * the native backend (guest-patches/backends/native.c), over a software
 * MMU that reads the window's PTEs in the arch's own encoding, with a TLB
 * that keeps stale translations until the backend flushes them (and, on
 * an arch that says its MMU caches invalid entries, negative ones too).
 *
 * For the target's own arch (KMV_CONFORM_ARCH; i386 checks both x86-32
 * and x86-32-pae) and then for every arch of the table:
 *
 *  - encoding: fixed PTE values, the frame where the arch's MMU reads it,
 *    present and write bits, a 4-byte PTE fits in 32 bits;
 *  - slots: each stack entry owns `colours` slots and the slot chosen for
 *    a frame has the frame's colour; the address is base + slot * page;
 *  - nesting to the capacity, every level reading its own frame through
 *    the MMU, one more is refused; an out-of-order and a wrong-colour
 *    unmap are refused with a report;
 *  - flushes: a TLB flush after every unmap (and after every map where
 *    the arch asks), a D-cache write-back before the unmap on aliasing
 *    arches; a missing one shows as a stale read through the TLB;
 *  - replay: task A (a mappings) is switched out and task B (b mappings)
 *    in, one entry at a time, with an NMI delivered at every step of the
 *    switch, in turn; the NMI maps two frames, checks them, and unmaps;
 *    it must find free slots and leave every PTE as it found it, and
 *    after the switch every mapping of both tasks must read its own
 *    frame's pattern at the address it had.
 *
 * KMV_CONFORM_LEVEL 1 (make check) sweeps a, b <= 3 for the target's
 * arch and a, b <= 2 for the others; level 2 (make linux-check) every a, b
 * up to the capacity for every arch.  Prints one line per arch and a last
 * line "conform ARCH: N passed, M failed"; the exit status is M != 0.
 */
#include <stdbool.h>
#include <stdint.h>
#include "nolibc.h"
#include <kmap_local.h>
#include <kmap_local_hooks.h>
#include <kmap_backends.h>

#ifndef KMV_CONFORM_ARCH
#error "build with -DKMV_CONFORM_ARCH=\"name\" (an arch of guest-patches/arch/arches.c)"
#endif
#ifndef KMV_CONFORM_LEVEL
#define KMV_CONFORM_LEVEL 1
#endif
/* 1: the TLB flush does nothing; 2: the NMI's slots are not checked free.
 * Fixtures that must FAIL, to show that the suite can. */
#ifndef KMV_CONFORM_BREAK
#define KMV_CONFORM_BREAK 0
#endif

#define BASE 0xffc00000u
#define ENTRIES 16             /* stack entries: Linux's KM_MAX_IDX */
#define MAXSLOTS (ENTRIES * 4) /* up to 4 colours */
#define NFRAMES 192
#define FRAME0 0x12340u        /* odd low bits: every colour gets used */
#define WORDS 8

/* ---- the machine ---- */
static const struct kmap_arch *A;
static uint64_t pte[MAXSLOTS];
static struct {
    bool valid;
    uint64_t pte;
} tlb[MAXSLOTS];
static uint32_t frames[NFRAMES][WORDS];
static unsigned tlb_flushes, dcache_flushes;
static unsigned long masked;
static int ctx; /* 0 task, 1 NMI */
static struct kmap_local_cpu cpu;
static struct kmap_local_task *current, task_a, task_b;
static unsigned reports;
static char last_report[200];
static unsigned step_no, nmi_at;
static bool failed;
static char why[200];
static unsigned checks_passed, checks_failed, switch_runs;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    if (failed)
        return;
    failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
}

static unsigned long k_irq_save(void)
{
    unsigned long f = masked;
    masked = 1;
    return f;
}
static void k_irq_restore(unsigned long f) { masked = f; }
static struct kmap_local_cpu *k_cpu(void) { return &cpu; }
static struct kmap_local_task *k_task(void) { return ctx ? NULL : current; }
static void *k_lowmem(uint32_t pfn) { (void)pfn; return NULL; }
static void k_report(const char *msg)
{
    reports++;
    memcpy(last_report, msg, strlen(msg) + 1 < sizeof(last_report) ? strlen(msg) + 1 : sizeof(last_report) - 1);
    last_report[sizeof(last_report) - 1] = 0;
}
/* One CPU, its own window at BASE (cpu_span 0: no per-CPU slices). */
static struct kmap_local_kernel kernel = {
    .irq_save = k_irq_save, .irq_restore = k_irq_restore, .cpu_stack = k_cpu, .task_list = k_task,
    .lowmem_addr = k_lowmem, .report = k_report,
    .window_base = BASE, .slot_stride = 4096, .nr_slots = ENTRIES, .cpu_span = 0,
};

static unsigned page_size(void) { return 1u << A->page_shift; }

static bool va_slot(uintptr_t va, unsigned *slot)
{
    if (va < BASE || (va - BASE) % page_size())
        return false;
    *slot = (unsigned)((va - BASE) / page_size());
    return *slot < kernel.nr_slots;
}

static void set_pte(unsigned slot, uint64_t v)
{
    if (slot >= kernel.nr_slots) {
        fail("set_pte: slot %u outside the window of %u", slot, kernel.nr_slots);
        return;
    }
    if (A->pte_bytes == 4 && (v >> 32))
        fail("set_pte: %#llx does not fit a 4-byte PTE", (unsigned long long)v);
    pte[slot] = v;
}
static void flush(uintptr_t va)
{
    unsigned slot;
    tlb_flushes++;
#if KMV_CONFORM_BREAK == 1
    return; /* a backend that forgets the TLB: the suite must fail */
#endif
    if (va_slot(va, &slot))
        tlb[slot].valid = false;
    else
        fail("flush of %#lx, not a slot address", (unsigned long)va);
}
static void flush_dcache(uintptr_t va) { (void)va; dcache_flushes++; }
static const struct kmap_native_ops native_ops = { set_pte, flush, flush_dcache };

/* The MMU: the TLB first, then the PTE, decoded the arch's way. */
static uint32_t *translate(uintptr_t va, bool write)
{
    unsigned slot;
    if (!va_slot(va, &slot)) {
        fail("access to %#lx, outside the window", (unsigned long)va);
        return NULL;
    }
    uint64_t v;
    if (tlb[slot].valid) {
        v = tlb[slot].pte;
    } else {
        v = pte[slot];
        if ((v & A->pte_present) || A->flush_tlb_on_map) /* cache it, or a negative entry */
            tlb[slot].valid = true, tlb[slot].pte = v;
    }
    if (!(v & A->pte_present)) {
        fail("access to %#lx (slot %u): not present%s", (unsigned long)va, slot,
             pte[slot] ? " (a stale negative TLB entry)" : "");
        return NULL;
    }
    if (write && A->pte_write && !(v & A->pte_write)) {
        fail("write to %#lx: read-only", (unsigned long)va);
        return NULL;
    }
    uint32_t pfn = (uint32_t)((v >> A->pfn_shift) & 0xfffffu);
    if (pfn < FRAME0 || pfn >= FRAME0 + NFRAMES) {
        fail("%#lx (slot %u) maps frame %#x, not one of ours", (unsigned long)va, slot, (unsigned)pfn);
        return NULL;
    }
    if (A->colours > 1 && slot % A->colours != pfn % A->colours)
        fail("slot %u has colour %u, frame %#x colour %u", slot, slot % A->colours, (unsigned)pfn,
             (unsigned)(pfn % A->colours));
    return frames[pfn - FRAME0];
}

static void fill(uintptr_t va, uint32_t seed)
{
    uint32_t *p = translate(va, true);
    for (unsigned i = 0; p && i < WORDS; i++)
        p[i] = seed + i;
}

static bool check(uintptr_t va, uint32_t pfn, uint32_t seed, const char *what)
{
    uint32_t *p = translate(va, false);
    if (!p)
        return false;
    if (p != frames[pfn - FRAME0]) {
        fail("%s: %#lx reads another frame than %#x", what, (unsigned long)va, (unsigned)pfn);
        return false;
    }
    for (unsigned i = 0; i < WORDS; i++)
        if (p[i] != seed + i) {
            fail("%s: %#lx word %u is %#x, not %#x", what, (unsigned long)va, i, (unsigned)p[i],
                 (unsigned)(seed + i));
            return false;
        }
    return true;
}

/* ---- NMI at a given step ---- */
static void deliver_nmi(void)
{
    static uint64_t before[MAXSLOTS];
    unsigned idx = cpu.idx;
    memcpy(before, pte, sizeof(pte));
    ctx = 1;
    uint32_t f0 = FRAME0 + NFRAMES - 2, f1 = FRAME0 + NFRAMES - 1;
    uintptr_t a = (uintptr_t)kmap_local_pfn(f0), b = (uintptr_t)kmap_local_pfn(f1);
    unsigned sa, sb;
    if (!a || !b || !va_slot(a, &sa) || !va_slot(b, &sb)) {
        fail("NMI at step %u: no slot (depth %u)", nmi_at, idx);
    } else {
        if (before[sa] || before[sb])
            fail("NMI at step %u: mapped over a live slot (%u or %u)", nmi_at, sa, sb);
        fill(a, 0x4e000000u);
        fill(b, 0x4e100000u);
        check(a, f0, 0x4e000000u, "NMI");
        check(b, f1, 0x4e100000u, "NMI");
    }
    if (b)
        kunmap_local((void *)b);
    if (a)
        kunmap_local((void *)a);
    ctx = 0;
    if (cpu.idx != idx)
        fail("NMI at step %u: depth %u after, %u before", nmi_at, cpu.idx, idx);
    for (unsigned s = 0; s < kernel.nr_slots; s++)
        if (pte[s] != before[s]) {
            fail("NMI at step %u: slot %u changed", nmi_at, s);
            break;
        }
}

void conform_step(const char *what);
void conform_step(const char *what)
{
    (void)what;
    if (ctx == 0 && ++step_no == nmi_at)
        deliver_nmi();
}

/* ---- set-up ---- */
static bool reset(const struct kmap_arch *a)
{
    A = a;
    memset(pte, 0, sizeof(pte));
    memset(tlb, 0, sizeof(tlb));
    memset(&cpu, 0, sizeof(cpu));
    memset(&task_a, 0, sizeof(task_a));
    memset(&task_b, 0, sizeof(task_b));
    tlb_flushes = dcache_flushes = reports = 0;
    masked = 0;
    ctx = 0;
    current = &task_a;
    kernel.slot_stride = page_size();
    kernel.nr_slots = ENTRIES * a->colours;
    kmap_backend_native_register(&native_ops);
    return kmap_local_init(&kernel, &kmap_backend_native, a, false);
}

static void result(const char *arch, const char *name)
{
    if (failed) {
        checks_failed++;
        nl_printf("FAIL  %s: %s: %s\n", arch, name, why);
    } else {
        checks_passed++;
    }
    failed = false;
}

/* ---- the checks ---- */
static void t_encoding(void)
{
    const uint32_t pfn = 0x2345;
    uint64_t ro = kmap_arch_mk_pte(A, pfn, false), rw = kmap_arch_mk_pte(A, pfn, true);
    if (!(ro & A->pte_present))
        fail("no present bit");
    if (((ro >> A->pfn_shift) & 0xfffff) != pfn)
        fail("frame not at bit %u", A->pfn_shift);
    if (A->pte_write && ((rw & A->pte_write) != A->pte_write || (ro & A->pte_write)))
        fail("write bit");
    if (A->pte_bytes == 4 && (rw >> 32))
        fail("a 4-byte PTE with high bits");
    /* Fixed points of the table's encoding of a RW kernel page, so that
     * a change to an arch's row is a deliberate one. */
    static const struct {
        const char *arch;
        uint64_t rw;
    } fixed[] = {
        { "x86-32-pae", 0x8000000002345003ull }, { "x86-32", 0x02345003ull }, { "arm", 0x02345003ull },
        { "mips", 0x02345005ull },               { "powerpc", 0x02345003ull }, { "sparc32", 0x00234505ull },
        { "xtensa", 0x02345005ull },             { "arc", 0x0468a003ull },     { "csky", 0x02345003ull },
        { "microblaze", 0x02345003ull },
    };
    for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        if (!strcmp(fixed[i].arch, A->name) && rw != fixed[i].rw)
            fail("RW PTE of frame %#x is %#llx, expected %#llx", (unsigned)pfn, (unsigned long long)rw,
                 (unsigned long long)fixed[i].rw);
}

static void t_slots(void)
{
    if (!A->colours || (A->colours & (A->colours - 1)))
        fail("colours %u not a power of two", A->colours);
    for (unsigned idx = 0; idx < ENTRIES; idx++)
        for (uint32_t pfn = FRAME0; pfn < FRAME0 + 8; pfn++) {
            unsigned s = kmap_local_slot_of(idx, pfn);
            if (s / A->colours != idx || s % A->colours != pfn % A->colours)
                fail("entry %u, frame %#x: slot %u", idx, (unsigned)pfn, s);
            if (kmap_local_slot_addr(s) != BASE + (uintptr_t)s * page_size())
                fail("slot %u at %#lx", s, (unsigned long)kmap_local_slot_addr(s));
        }
}

static void t_nesting(void)
{
    uintptr_t va[ENTRIES];
    unsigned cap = kmap_local_capacity();
    if (cap != ENTRIES)
        fail("capacity %u, expected %u", cap, ENTRIES);
    for (unsigned i = 0; i < cap; i++) {
        va[i] = (uintptr_t)kmap_local_pfn(FRAME0 + i);
        if (!va[i]) {
            fail("map %u refused", i);
            return;
        }
        fill(va[i], 0x6e000000u + (i << 8));
        if (A->flush_tlb_on_map && tlb_flushes != i + 1)
            fail("map %u: %u TLB flushes, the arch wants one per map", i, tlb_flushes);
    }
    for (unsigned i = 0; i < cap; i++)
        check(va[i], FRAME0 + i, 0x6e000000u + (i << 8), "nesting");
    if (kmap_local_pfn(FRAME0 + cap) || !strstr(last_report, "overflow"))
        fail("a map past the capacity was not refused");
    unsigned r = reports;
    kunmap_local((void *)va[0]);
    if (reports != r + 1 || !strstr(last_report, "out of order") || cpu.idx != cap)
        fail("an out-of-order unmap was not refused");
    if (A->colours > 1) {
        uintptr_t wrong = va[cap - 1] ^ page_size(); /* same entry, another colour */
        kunmap_local((void *)wrong);
        if (!strstr(last_report, "not a live") || cpu.idx != cap)
            fail("an unmap at the wrong colour was not refused");
    }
    unsigned f0 = tlb_flushes, d0 = dcache_flushes;
    for (unsigned i = cap; i-- > 0;)
        kunmap_local((void *)va[i]);
    if (tlb_flushes - f0 != cap)
        fail("%u TLB flushes for %u unmaps", tlb_flushes - f0, cap);
    if (A->flush_dcache_on_unmap && dcache_flushes - d0 != cap)
        fail("%u D-cache write-backs for %u unmaps", dcache_flushes - d0, cap);
    if (!A->flush_dcache_on_unmap && dcache_flushes != d0)
        fail("D-cache write-backs on an arch without aliases");
    if (cpu.idx)
        fail("depth %u after unmapping everything", cpu.idx);
    for (unsigned s = 0; s < kernel.nr_slots; s++)
        if (pte[s])
            fail("slot %u still mapped", s);
    /* A stale translation would show here: the slot is reused for
     * another frame, and must read that frame. */
    uintptr_t v = (uintptr_t)kmap_local_pfn(FRAME0 + 100);
    fill(v, 0x77000000u);
    check(v, FRAME0 + 100, 0x77000000u, "reuse");
    kunmap_local((void *)v);
}

/* A holds a mappings and is switched out for B, which holds b; an NMI at
 * step `at` of the switch (0: none).  Returns the number of steps. */
static unsigned switch_run(unsigned a, unsigned b, unsigned at)
{
    uintptr_t va_a[ENTRIES], va_b[ENTRIES];
    if (!reset(A))
        fail("init");
    /* B maps first, then is switched out; A maps. */
    current = &task_b;
    for (unsigned i = 0; i < b; i++) {
        va_b[i] = (uintptr_t)kmap_local_pfn(FRAME0 + 40 + i);
        fill(va_b[i], 0x42000000u + (i << 8));
    }
    kmap_local_sched_out(&task_b);
    current = &task_a;
    kmap_local_sched_in(&task_a);
    for (unsigned i = 0; i < a; i++) {
        va_a[i] = (uintptr_t)kmap_local_pfn(FRAME0 + 20 + i);
        fill(va_a[i], 0x41000000u + (i << 8));
    }
    /* The switch under test, with the NMI. */
    step_no = 0;
    nmi_at = at;
    kmap_local_sched_out(&task_a);
    conform_step("current = B");
    current = &task_b;
    kmap_local_sched_in(&task_b);
    unsigned steps = step_no;
    nmi_at = 0;
    if (cpu.idx != b)
        fail("depth %u after switching to B, which holds %u", cpu.idx, b);
    for (unsigned i = 0; i < b; i++)
        check(va_b[i], FRAME0 + 40 + i, 0x42000000u + (i << 8), "B after the switch");
    for (unsigned i = b; i-- > 0;)
        kunmap_local((void *)va_b[i]);
    kmap_local_sched_out(&task_b);
    current = &task_a;
    kmap_local_sched_in(&task_a);
    for (unsigned i = 0; i < a; i++)
        check(va_a[i], FRAME0 + 20 + i, 0x41000000u + (i << 8), "A switched back in");
    for (unsigned i = a; i-- > 0;)
        kunmap_local((void *)va_a[i]);
    if (cpu.idx || task_a.nr || task_b.nr)
        fail("depth %u, lists %u and %u at the end", cpu.idx, task_a.nr, task_b.nr);
    if (reports)
        fail("the library reported: %s", last_report);
    return steps;
}

static void t_replay(unsigned max)
{
    unsigned runs = 0;
    for (unsigned a = 0; a <= max && !failed; a++)
        for (unsigned b = 0; b <= max && !failed; b++) {
            unsigned steps = switch_run(a, b, 0);
            for (unsigned at = 1; at <= steps && !failed; at++, runs++)
                switch_run(a, b, at);
            if (failed)
                nl_printf("      (A holds %u, B holds %u)\n", a, b);
        }
    switch_runs += runs;
}

static void run_arch(const struct kmap_arch *a, unsigned replay_max)
{
    unsigned p0 = checks_passed, f0 = checks_failed, r0 = switch_runs;
    if (!reset(a)) {
        fail("kmap_local_init refused: %s", last_report);
        result(a->name, "init");
        return;
    }
    t_encoding();
    result(a->name, "PTE encoding");
    t_slots();
    result(a->name, "slot addresses and colours");
    reset(a);
    t_nesting();
    result(a->name, "nesting, refusals and flushes");
    t_replay(replay_max);
    result(a->name, "replay with an NMI at every step");
    nl_printf("%s  %s: %u checks, %u switches with an NMI (%u colour%s, %u-byte PTE, a,b <= %u)\n",
              checks_failed == f0 ? "ok  " : "FAIL", a->name, checks_passed + checks_failed - p0 - f0,
              switch_runs - r0, a->colours, a->colours > 1 ? "s" : "", a->pte_bytes, replay_max);
}

int main(void)
{
    const char *own = KMV_CONFORM_ARCH;
    unsigned own_max = KMV_CONFORM_LEVEL >= 2 ? ENTRIES - 2 : 3;
    unsigned other_max = KMV_CONFORM_LEVEL >= 2 ? ENTRIES - 2 : 2;
    union {
        uint32_t w;
        uint8_t b[4];
    } e = { 0x01020304u };
    nl_printf("kmap_local conformance on %s: %u-bit pointers, %s-endian, level %d\n", own,
              (unsigned)(sizeof(void *) * 8), e.b[0] == 1 ? "big" : "little", KMV_CONFORM_LEVEL);
    const struct kmap_arch *mine = kmap_arch_find(own);
    if (!mine) {
        nl_printf("FAIL  no arch %s in the table\n", own);
        return 1;
    }
    run_arch(mine, own_max);
    if (!strcmp(own, "x86-32"))
        run_arch(kmap_arch_find("x86-32-pae"), own_max);
    for (unsigned i = 0; i < kmap_nr_arches; i++)
        if (&kmap_arches[i] != mine && !(strcmp(own, "x86-32") == 0 && !strcmp(kmap_arches[i].name, "x86-32-pae")))
            run_arch(&kmap_arches[i], other_max);
    nl_printf("conform %s: %u passed, %u failed\n", own, checks_passed, checks_failed);
    return checks_failed != 0;
}
