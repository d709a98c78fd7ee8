/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Machine memory and the MMU, as the PV layer sees them: every byte of
 * RAM is mapped at DIRECTMAP_BASE, and the TLB is flushed with invlpg and
 * CR3 loads.  Host builds of the PV layer replace this header with a fake
 * (tests/host/asm/mmu.h): fake RAM and a recording TLB.
 */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include <stdint.h>
#include <asm/layout.h>

static inline void *phys_to_virt(uint64_t pa) { return (void *)(DIRECTMAP_BASE + pa); }
static inline uint64_t virt_to_phys(const void *va)
{
    uint64_t v = (uint64_t)va;
    if (v >= KERNEL_VIRT_OFFSET)
        return v - KERNEL_VIRT_OFFSET;
    return v - DIRECTMAP_BASE;
}

static inline uint64_t read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
/* Loading CR3 flushes every non-global TLB entry of this CPU. */
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }

#endif
