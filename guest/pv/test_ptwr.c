/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test=ptwr: writable page tables (VMASST_TYPE_writable_pagetables), as
 * a Linux PAE guest uses them: it writes the entries of its L1 tables
 * directly, each write faults on the read-only mapping, and the
 * hypervisor emulates it after validating it as mmu_update would.  A
 * test L1 (a highmem frame, pinned, hooked into the pae_xen_l2 at VA)
 * maps data frames at VA + n * 4096 and itself read-only at PT (its entry
 * 1); every instruction form Linux uses writes entry 2, and the result is
 * checked through the entry and through the mapping; bad writes must
 * come back as the guest's #PF with cr2 the entry's address.
 */
#include "pv.h"
#include "test_mm.h"
#include <xen/errno.h>

#define P 0x1ull
#define RW 0x2ull
#define US 0x4ull
#define PCD 0x10ull
#define A 0x20ull
#define NX (1ull << 63)
#define ADDR 0x000ffffffffff000ull
#define SLOT 402u                          /* of the pae_xen_l2: past test=mmu's */
#define VA (0xc0000000u + SLOT * (2u << 20))
#define PT ((volatile uint64_t *)(VA + 4096))
#define E2 ((volatile uint32_t *)&PT[2])   /* entry 2: its low half, [1] its high half */
#define VA2 ((volatile uint32_t *)(VA + 2 * 4096))

extern volatile unsigned long page_faults_fixed;

static unsigned checks, failures;
static void expect(const char *what, uint64_t got, uint64_t want)
{
    checks++;
    if (got != want) {
        failures++;
        printk("guest: ptwr: FAILED %s: got %#llx, want %#llx\n", what, (unsigned long long)got,
               (unsigned long long)want);
    } else {
        printk("guest: ptwr: %s -> %#llx\n", what, (unsigned long long)got);
    }
}

static uint32_t hm(unsigned i) { return mfn_of(kmv_ext->first_highmem_pfn + 760 + i); }

static void invlpg(uint32_t va) { ext(MMUEXT_INVLPG_LOCAL, va, 0); }

/* A store that must fault: true when the #PF reached us (and cr2 is addr). */
#define FAULTING(name, insn)                                                               \
    extern char name##_at[], name##_out[];                                                 \
    static __attribute__((noinline, noclone)) bool name(volatile uint32_t *p, uint32_t v) \
    {                                                                                      \
        unsigned long before = page_faults_fixed;                                          \
        set_fault_fixup((uint32_t)name##_at, (uint32_t)name##_out);                        \
        __asm__ volatile(".globl " #name "_at, " #name "_out\n" #name "_at: " insn "\n"    \
                         #name "_out:" : : "r"(p), "r"(v) : "memory");                     \
        set_fault_fixup(0, 0);                                                             \
        return page_faults_fixed == before + 1 && plat_fault_address() == (uint32_t)p;     \
    }
FAULTING(faulting_mov, "movl %1, (%0)")
FAULTING(faulting_mov_fs, "movl %1, %%fs:(%0)")
FAULTING(faulting_mov16, "movw %w1, (%0)")

static uint32_t zf_cmpxchg8b(volatile uint64_t *p, uint64_t *expect_old, uint64_t new)
{
    uint32_t lo = (uint32_t)*expect_old, hi = (uint32_t)(*expect_old >> 32);
    uint8_t zf;
    __asm__ volatile("lock cmpxchg8b %1; setz %0"
                     : "=q"(zf), "+m"(*p), "+a"(lo), "+d"(hi)
                     : "b"((uint32_t)new), "c"((uint32_t)(new >> 32))
                     : "memory", "cc");
    *expect_old = lo | (uint64_t)hi << 32;
    return zf;
}
static uint32_t zf_cmpxchg(volatile uint32_t *p, uint32_t *expect_old, uint32_t new)
{
    uint8_t zf;
    __asm__ volatile("lock cmpxchgl %3, %1; setz %0" : "=q"(zf), "+m"(*p), "+a"(*expect_old) : "r"(new) : "memory", "cc");
    return zf;
}

static void forms(uint32_t d1, uint32_t d2)
{
    /* mov: high half, then low half (Linux's set_pte order). */
    E2[1] = 0;
    E2[0] = (uint32_t)(ma(d1) | P | RW);
    expect("mov: entry 2 maps d1", PT[2] & ~A, ma(d1) | P | RW);
    expect("  ... read through it", *VA2, 0x1111);
    /* cmpxchg8b (ptep_get_and_clear, set_pte_atomic): to d2. */
    uint64_t old = PT[2];
    expect("lock cmpxchg8b: ZF", zf_cmpxchg8b(&PT[2], &old, ma(d2) | P | RW), 1);
    invlpg((uint32_t)VA2);
    expect("  ... read through it (d2)", *VA2, 0x2222);
    uint64_t wrong = 0;
    expect("lock cmpxchg8b, compare fails: ZF", zf_cmpxchg8b(&PT[2], &wrong, 0), 0);
    expect("  ... edx:eax the entry", wrong & ~(A | 0x40ull), ma(d2) | P | RW);
    expect("  ... entry unchanged", PT[2] & ADDR, ma(d2));
    /* cmpxchg on the low half: back to d1. */
    uint32_t lo = E2[0];
    expect("lock cmpxchg: ZF", zf_cmpxchg(E2, &lo, (uint32_t)(ma(d1) | P | RW)), 1);
    invlpg((uint32_t)VA2);
    expect("  ... read through it (d1)", *VA2, 0x1111);
    uint32_t bad = 5;
    expect("lock cmpxchg, compare fails: ZF", zf_cmpxchg(E2, &bad, 0), 0);
    expect("  ... eax the low half", bad & ~(uint32_t)(A | 0x40), (uint32_t)(ma(d1) | P | RW));
    /* lock andb $~RW (ptep_set_wrprotect): read-only, a store faults. */
    __asm__ volatile("lock andb $0xfd, %0" : "+m"(*(volatile uint8_t *)E2) : : "memory", "cc");
    invlpg((uint32_t)VA2);
    expect("lock andb $~RW: RW gone", PT[2] & RW, 0);
    expect("  ... a store through it faults (a data page, read-only)", faulting_mov(VA2, 7), 1);
    __asm__ volatile("lock orb $2, %0" : "+m"(*(volatile uint8_t *)E2) : : "memory", "cc");
    invlpg((uint32_t)VA2);
    *VA2 = 0x1112;
    expect("lock orb $RW: writable again", *VA2, 0x1112);
    /* lock andl / orl with an immediate and a register. */
    __asm__ volatile("lock andl $~2, %0" : "+m"(*E2) : : "memory", "cc");
    expect("lock andl $~RW", PT[2] & RW, 0);
    uint32_t rw = RW;
    __asm__ volatile("lock orl %1, %0" : "+m"(*E2) : "r"(rw) : "memory", "cc");
    expect("lock orl %reg, RW", PT[2] & RW, RW);
    /* btr/bts $5 (ptep_test_and_clear_young), with CF the old bit. */
    E2[0] |= (uint32_t)A;
    uint8_t cf;
    __asm__ volatile("lock btrl $5, %0; setc %1" : "+m"(*E2), "=q"(cf) : : "memory", "cc");
    expect("lock btrl $5: CF (A was set)", cf, 1);
    expect("  ... A clear", PT[2] & A, 0);
    __asm__ volatile("lock btsl $5, %0; setc %1" : "+m"(*E2), "=q"(cf) : : "memory", "cc");
    expect("lock btsl $5: CF (A was clear)", cf, 0);
    expect("  ... A set", PT[2] & A, A);
    uint32_t bit = 63; /* from the low half's address: the high half's bit 31, NX */
    __asm__ volatile("lock btsl %1, %0" : "+m"(*E2) : "r"(bit) : "memory", "cc");
    expect("lock bts %reg=63: NX", PT[2] & NX, NX);
    __asm__ volatile("lock btrl %1, %0" : "+m"(*E2) : "r"(bit) : "memory", "cc");
    expect("lock btr %reg=63: NX clear", PT[2] & NX, 0);
    /* xchg (implicitly locked): the old low half back. */
    uint32_t x = (uint32_t)(ma(d2) | P | RW);
    __asm__ volatile("xchgl %1, %0" : "+m"(*E2), "+r"(x) : : "memory");
    invlpg((uint32_t)VA2);
    expect("xchg: old low half", x & (uint32_t)ADDR, (uint32_t)ma(d1));
    expect("  ... read through it (d2)", *VA2, 0x2222);
    /* movl $imm: not present. */
    __asm__ volatile("movl $0, %0" : "=m"(*E2) : : "memory");
    invlpg((uint32_t)VA2);
    expect("movl $0: not present", PT[2], 0);
}

static void refusals(uint32_t t, uint32_t d1)
{
    uint64_t before = PT[2];
    expect("bad: map the L1 itself writable -> #PF", faulting_mov(E2, (uint32_t)(ma(t) | P | RW)), 1);
    expect("bad: PCD -> #PF", faulting_mov(E2, (uint32_t)(ma(d1) | P | RW | PCD)), 1);
    expect("bad: hypervisor text (frame 0x100) -> #PF", faulting_mov(E2, (uint32_t)(ma(0x100) | P)), 1);
    expect("bad: through %fs -> #PF", faulting_mov_fs(E2, (uint32_t)(ma(d1) | P)), 1);
    expect("bad: 16-bit store -> #PF", faulting_mov16(E2, (uint32_t)(ma(d1) | P)), 1);
    expect("  ... entry unchanged", PT[2], before);
}

_Noreturn void test_ptwr(void);
_Noreturn void test_ptwr(void)
{
    const uint64_t *l3 = (const uint64_t *)start_info->pt_base;
    uint32_t xl2 = (uint32_t)((l3[3] & ADDR) >> PAGE_SHIFT);
    uint32_t t = hm(0), d1 = hm(1), d2 = hm(2);
    if (kmv_ext->virt_base != 0xc0000000u || kmv_ext->lowmem_pages > SLOT * 512)
        guest_panic("test=ptwr wants lowmem at 0xc0000000 below %#x", VA);
    /* Before the assist: a direct write is the guest's #PF. */
    ext(MMUEXT_CLEAR_PAGE, t, 0);
    ext(MMUEXT_CLEAR_PAGE, d1, 0);
    ext(MMUEXT_CLEAR_PAGE, d2, 0);
    mmu1(ma(d1), 0x1111); /* plain stores into data frames */
    mmu1(ma(d2), 0x2222);
    mmu1(ma(t) + 8, ma(t) | P); /* entry 1: itself, read-only */
    expect("pin the test L1", ext(MMUEXT_PIN_L1_TABLE, t, 0), 0);
    expect("hook it at VA", mmu1(ma(xl2) + SLOT * 8, ma(t) | P | RW | US), 0);
    expect("its self-mapping reads entry 1", PT[1] & ADDR, ma(t));
    expect("without the assist: a direct write -> #PF", faulting_mov(E2, 0), 1);
    expect("vm_assist(enable, writable_pagetables)",
           (uint64_t)hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
    forms(d1, d2);
    refusals(t, d1);
    /* The L3 is not emulated (L2/L3 writes go through mmu_update). */
    expect("a direct write to the L3 -> #PF", faulting_mov((volatile uint32_t *)(l3 + 1), 0), 1);
    expect("unhook", mmu1(ma(xl2) + SLOT * 8, 0), 0);
    expect("unpin", ext(MMUEXT_UNPIN_TABLE, t, 0), 0);
    ext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0);
    printk("guest: result: %s (%u checks, %u failures)\n", failures ? "FAIL" : "PASS", checks, failures);
    plat_shutdown(!failures);
}
