/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fake machine's <asm/mmu.h> for host builds of the PV layer: "RAM"
 * is a host buffer (fake_ram), and the TLB operations are counted instead
 * of executed.  Same interface as arch/x86_64/include/asm/mmu.h.
 */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include <stdint.h>

extern uint8_t *fake_ram;
extern uint64_t fake_ram_bytes;
struct fake_tlb_counts {
    uint64_t invlpg, cr3_loads, last_invlpg;
};
extern struct fake_tlb_counts fake_tlb;

void *fake_phys_to_virt(uint64_t pa);   /* aborts outside fake RAM: a hypervisor bug */
static inline void *phys_to_virt(uint64_t pa) { return fake_phys_to_virt(pa); }
static inline uint64_t virt_to_phys(const void *va) { return (uint64_t)((const uint8_t *)va - fake_ram); }
static inline uint64_t read_cr2(void) { return 0; }
static inline void write_cr3(uint64_t v) { (void)v; fake_tlb.cr3_loads++; }
static inline void invlpg(uint64_t va) { fake_tlb.invlpg++; fake_tlb.last_invlpg = va; }

#endif
