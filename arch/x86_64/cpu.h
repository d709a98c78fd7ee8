/* SPDX-License-Identifier: GPL-2.0-only */
/* x86-64 instruction wrappers and per-CPU state of the host. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <kmvlib.h>
#include <asm/layout.h>
#include <asm/regs.h>
#include <asm/mmu.h>
#include <asm/spinlock.h>
#include <asm/page.h>
#include "hypervisor/sched.h"

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
/* The low half: enough for intervals below 2^32 ticks, one instruction less. */
static inline uint32_t rdtsc_lo(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return lo;
}
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}
static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void halt(void) { __asm__ volatile("hlt" ::: "memory"); }
/* sti takes effect after the next instruction, so no interrupt can be
 * lost between the check that decided to idle and the hlt. */
static inline void safe_halt(void) { __asm__ volatile("sti; hlt; cli" ::: "memory"); }

#define MSR_EFER 0xc0000080

struct tss64 {
    uint32_t rsvd0;
    uint64_t rsp[3];
    uint64_t rsvd1;
    uint64_t ist[7];
    uint64_t rsvd2;
    uint16_t rsvd3, iomap_base;
} __attribute__((packed));

struct vcpu;

struct pcpu {
    struct pcpu *self;
    unsigned id;               /* dense index 0..nr_pcpus-1 (== sched.id) */
    uint32_t apic_id;
    struct sched_cpu sched;    /* the scheduler's view: online, curr, ticks */
    struct vcpu *last_loaded;  /* whose CR3 and segments are in the CPU */
    bool dr7_live;             /* a vCPU's breakpoints are armed in DR7 */
    uint32_t hv_t0;            /* TSC (low half) at the last entry from a guest, or the end of an idle wait */
    struct tss64 tss __attribute__((aligned(16)));
};

extern struct pcpu pcpus[MAX_PCPUS];
extern unsigned nr_pcpus;
extern uint8_t pcpu_stacks[MAX_PCPUS][STACK_SIZE];

/* Every hypervisor stack starts (at its lowest address) with a pointer to
 * its struct pcpu; the stacks are STACK_SIZE aligned, so any stack pointer
 * leads to it.  Guests can load any segment, so %gs is no use for this. */
static inline struct pcpu *this_pcpu(void)
{
    uint64_t sp;
    __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
    return *(struct pcpu **)(sp & ~(uint64_t)(STACK_SIZE - 1));
}

#endif
