/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Native page tables (PAE) and descriptor tables.  Every CPU has its own
 * PDPT and top page directory, so that the kmap window at 0xffe00000 is
 * backed by a per-CPU page table, as kmapvisor does for vCPUs: a task's
 * kmap addresses stay valid when it migrates.  Lowmem is mapped with
 * 2 MiB pages at 3 GiB; the first 2 MiB stay identity-mapped for the AP
 * trampoline.
 */
#include "native.h"
#include <kmapvisor/x86_pte.h>

#define KOFF 0xc0000000u
#define P X86_PTE_P
#define W X86_PTE_W
#define PS X86_PTE_PS
#define PCD X86_PTE_PCD
#define PWT X86_PTE_PWT
#define NX X86_PTE_NX

static uint64_t pdpt[MAX_CPUS][4] __attribute__((aligned(32)));
static uint64_t pd0[512] __attribute__((aligned(4096)));
static uint64_t pd3[MAX_CPUS][512] __attribute__((aligned(4096)));
static uint64_t wpt[MAX_CPUS][512] __attribute__((aligned(4096)));
static uint64_t gdt[3] __attribute__((aligned(8))) = { 0, 0x00cf9a000000ffffull, 0x00cf92000000ffffull };

struct idt_gate {
    uint16_t off_lo, sel;
    uint8_t zero, type;
    uint16_t off_hi;
} __attribute__((packed));
static struct idt_gate idt[256] __attribute__((aligned(8)));

static inline uint32_t pa(const void *va) { return (uint32_t)va - KOFF; }

#define X(n) extern char exc_##n[];
X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(10) X(11) X(12) X(13) X(14) X(16) X(17) X(19)
extern char nirq_timer[], nirq_ipi[], nirq_spurious[];

static void set_gate(unsigned v, void *handler)
{
    uint32_t a = (uint32_t)handler;
    idt[v] = (struct idt_gate){ (uint16_t)a, 0x08, 0, 0x8e, (uint16_t)(a >> 16) };
}

void native_mm_init(void)
{
    pd0[0] = 0 | P | W | PS; /* identity: the first 2 MiB */
    for (unsigned cpu = 0; cpu < plat.nr_cpus; cpu++) {
        for (uint32_t i = 0; i < plat.lowmem_pages / 512; i++)
            pd3[cpu][i] = ((uint64_t)i << 21) | P | W | PS;
        pd3[cpu][(0xfee00000u - KOFF) >> 21] = 0xfee00000ull | P | W | PS | PCD | PWT | NX;
        pd3[cpu][(KMV_WINDOW_BASE - KOFF) >> 21] = pa(wpt[cpu]) | P | W;
        pdpt[cpu][0] = pa(pd0) | P;
        pdpt[cpu][3] = pa(pd3[cpu]) | P;
    }
    void *exc[20] = { exc_0, exc_1, exc_2, exc_3, exc_4, exc_5, exc_6, exc_7, exc_8, 0,
                      exc_10, exc_11, exc_12, exc_13, exc_14, 0, exc_16, exc_17, 0, exc_19 };
    for (unsigned v = 0; v < 20; v++)
        if (exc[v])
            set_gate(v, exc[v]);
    set_gate(0xf0, nirq_timer);
    set_gate(0xf1, nirq_ipi);
    set_gate(0xff, nirq_spurious);
}

uint32_t native_cr3(unsigned cpu)
{
    return pa(pdpt[cpu]);
}

void native_cpu_tables(unsigned cpu)
{
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) g = { sizeof(gdt) - 1, (uint32_t)gdt },
                                                                           i = { sizeof(idt) - 1, (uint32_t)idt };
    __asm__ volatile("lgdt %0; lidt %1" : : "m"(g), "m"(i));
    __asm__ volatile("ljmp $0x08, $1f; 1: mov %0, %%ds; mov %0, %%es; mov %0, %%ss; mov %0, %%fs; mov %0, %%gs"
                     : : "r"(0x10) : "memory");
    /* Turn on NX (EFER.NXE) where the CPU has it: window PTEs set it. */
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000001u), "c"(0));
    if (d & (1u << 20)) {
        uint32_t lo, hi;
        __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000080u));
        __asm__ volatile("wrmsr" : : "a"(lo | (1u << 11)), "d"(hi), "c"(0xc0000080u));
    }
    __asm__ volatile("mov %0, %%cr3" : : "r"(native_cr3(cpu)) : "memory");
    native_cr3_loads++;
}

/* The native kmap backend's view of this CPU's window. */
uint32_t native_pte_writes, native_flushes, native_cr3_loads;
static void set_pte(unsigned slot, uint64_t pte)
{
    wpt[smp_processor_id()][slot] = pte;
    native_pte_writes++;
}
static void flush(uintptr_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
    native_flushes++;
}
const struct kmap_native_ops native_kmap_ops = { .set_pte = set_pte, .flush = flush };
