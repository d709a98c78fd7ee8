/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU GDT, TSS and the shared IDT.
 *
 * The GDT is laid out as Xen's (layout.h): entries 0..0x1bff (selectors
 * below 0xe000) are the guest's and are left empty (not present) until
 * the guest's own GDT frames are mapped there; the hypervisor's code,
 * data and TSS descriptors and Xen's flat compat guest selectors live in
 * the reserved area from entry 0x1c00 (selector 0xe000) up.
 */
#include "cpu.h"
#include "arch.h"

struct idt_gate {
    uint16_t off_lo, sel;
    uint8_t ist, type_attr;
    uint16_t off_mid;
    uint32_t off_hi, zero;
} __attribute__((packed));

/* The hypervisor's selectors must never name a guest GDT slot. */
_Static_assert(HYP_CS >= GDT_FIRST_RESERVED_SEL && HYP_DS >= GDT_FIRST_RESERVED_SEL &&
                   HYP_TSS >= GDT_FIRST_RESERVED_SEL,
               "a hypervisor selector in the guest's part of the GDT");
_Static_assert((HYP_TSS >> 3) + 1 < GDT_ENTRIES && (GUEST_RING3_DS >> 3) < GDT_ENTRIES,
               "GDT_ENTRIES does not cover the reserved descriptors");
_Static_assert(((HYP_CS | HYP_DS | HYP_TSS) & 7) == 0, "hypervisor selectors are GDT, RPL 0");

static struct idt_gate idt[256] __attribute__((aligned(16)));
static uint64_t gdts[MAX_PCPUS][GDT_ENTRIES] __attribute__((aligned(16)));
static uint8_t ist_stacks[MAX_PCPUS][3][STACK_SIZE] __attribute__((aligned(STACK_SIZE)));
extern char vector_stubs[];

struct desc_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* A flat 4 GiB descriptor: type, DPL, and whether it is 32-bit code. */
static uint64_t flat_desc(unsigned type, unsigned dpl)
{
    return 0x00cf00000000ffffull | ((uint64_t)(0x90 | (dpl << 5) | type) << 40);
}

static void set_gate(unsigned vec, unsigned dpl, unsigned ist)
{
    uint64_t off = (uint64_t)vector_stubs + vec * 16;
    idt[vec] = (struct idt_gate){
        .off_lo = (uint16_t)off,
        .sel = HYP_CS,
        .ist = (uint8_t)ist,
        .type_attr = (uint8_t)(0x8e | (dpl << 5)), /* interrupt gate: IF cleared */
        .off_mid = (uint16_t)(off >> 16),
        .off_hi = (uint32_t)(off >> 32),
    };
}

void idt_init(void)
{
    for (unsigned v = 0; v < 256; v++)
        set_gate(v, 0, 0);
    set_gate(2, 0, 1);   /* NMI on IST1 */
    set_gate(8, 0, 2);   /* #DF on IST2 */
    set_gate(18, 0, 3);  /* #MC on IST3 */
    /* Xen's 32-bit PV hypercall vector: only ring 1 (the guest kernel)
     * may raise it. */
    set_gate(VEC_HYPERCALL, 1, 0);
}

static void cpu_umip_enable(struct pcpu *p);

void cpu_tables_load(struct pcpu *p)
{
    uint64_t *gdt = gdts[p->id];
    gdt[HYP_CS >> 3] = 0x00af9a000000ffffull; /* 64-bit code, DPL0 */
    gdt[HYP_DS >> 3] = 0x00cf92000000ffffull;
    /* Compat guest segments: 32-bit code (type 0xa) and data (type 0x2). */
    gdt[GUEST_RING1_CS >> 3] = flat_desc(0xa, 1);
    gdt[GUEST_RING1_DS >> 3] = flat_desc(0x2, 1);
    gdt[GUEST_RING3_CS >> 3] = flat_desc(0xa, 3);
    gdt[GUEST_RING3_DS >> 3] = flat_desc(0x2, 3);

    for (unsigned i = 0; i < 3; i++) {
        uint8_t *stack = ist_stacks[p->id][i];
        *(struct pcpu **)stack = p;
        p->tss.ist[i] = (uint64_t)(stack + STACK_SIZE);
    }
    p->tss.rsp[0] = (uint64_t)(pcpu_stacks[p->id] + STACK_SIZE);
    p->tss.iomap_base = sizeof(p->tss); /* no I/O bitmap: guests get no ports */
    uint64_t base = (uint64_t)&p->tss, limit = sizeof(p->tss) - 1;
    gdt[HYP_TSS >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                        (0x89ull << 40) | (((base >> 24) & 0xff) << 56);
    gdt[(HYP_TSS >> 3) + 1] = base >> 32;

    struct desc_ptr gd = { sizeof(gdts[0]) - 1, (uint64_t)gdt };
    struct desc_ptr id = { sizeof(idt) - 1, (uint64_t)idt };
    __asm__ volatile("lgdt %0" : : "m"(gd));
    __asm__ volatile("lidt %0" : : "m"(id));
    /* Reload CS and the data segments from the new GDT. */
    __asm__ volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
                     : : "i"(HYP_CS) : "rax", "memory");
    __asm__ volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss" : : "r"(HYP_DS));
    __asm__ volatile("ltr %w0" : : "r"(HYP_TSS));
    /* No LDT, ever: a null LDTR makes every LDT selector (bit 2) a guest
     * could name fault at once, on any CPU, whatever firmware left. */
    __asm__ volatile("lldt %w0" : : "r"(0));
    cpu_umip_enable(p);
}

/*
 * UMIP (CR4 bit 11): SGDT, SIDT, SLDT, SMSW and STR raise #GP outside
 * ring 0, so the guest (ring 1 and 3) cannot read the addresses of the
 * hypervisor's GDT, IDT and TSS.  Only where CPUID.7.0:ECX[2] says the
 * CPU has it; without it those instructions work in the guest and leak
 * host addresses (docs/security.md).
 */
#define CR4_UMIP (1ull << 11)
static void cpu_umip_enable(struct pcpu *p)
{
    uint32_t a, b, c, d;
    cpuid(0, 0, &a, &b, &c, &d);
    bool has = false;
    if (a >= 7) {
        cpuid(7, 0, &a, &b, &c, &d);
        has = (c >> 2) & 1;
    }
    if (has) {
        uint64_t cr4;
        __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
        __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_UMIP));
    }
    if (p->id == 0) {
        printk("kmapvisor: UMIP %s\n", has ? "enabled" : "not available on this CPU (SGDT/SIDT/SLDT/SMSW/STR work in the guest)");
    }
}
