/* SPDX-License-Identifier: GPL-2.0-only */
/* Host (hypervisor) virtual memory layout.  Shared by C and assembly. */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#include <kmapvisor/limits.h>

#define KERNEL_PHYS_BASE   0x100000
#define KERNEL_VIRT_OFFSET 0xffffffff80000000
/* Every byte of RAM is mapped here (2 MiB pages). */
#define DIRECTMAP_BASE     0xffff800000000000
/* Per-CPU hypervisor stacks: aligned so that the owning struct pcpu can
 * be found from any stack pointer (see this_pcpu()). */
#define STACK_ORDER        14
#define STACK_SIZE         (1 << STACK_ORDER)
#define MAX_PCPUS          KMV_MAX_PCPUS
/* The AP trampoline is copied here (below 1 MiB, page aligned). */
#define TRAMPOLINE_PHYS    0x8000

/*
 * The per-pCPU GDT, laid out as Xen's: entries below 0x1c00 (selectors
 * below 0xe000, FIRST_RESERVED_GDT_ENTRY) belong to the guest, whose own
 * GDT frames are to be mapped there (issue 18); the hypervisor's own
 * descriptors live in the reserved area above, at Xen's slots.  Nothing
 * of the hypervisor's may ever be below GDT_FIRST_RESERVED_SEL
 * (descriptors.c checks it at build time, unit pv-hostile/hyp_selectors
 * at test time).
 */
#define GDT_FIRST_RESERVED_ENTRY 0x1c00
#define GDT_FIRST_RESERVED_SEL   (GDT_FIRST_RESERVED_ENTRY << 3)   /* 0xe000 */
#define HYP_CS      0xe008   /* Xen's __HYPERVISOR_CS */
#define HYP_DS      0xe010   /* Xen's __HYPERVISOR_DS */
/* Xen's compat guest selectors (GDT index 0x1c03..0x1c06; FLAT_RING1_CS
 * etc. in Xen's x86_32 headers, which assembly cannot include). */
#define GUEST_RING1_CS 0xe019
#define GUEST_RING1_DS 0xe021
#define GUEST_RING3_CS 0xe02b
#define GUEST_RING3_DS 0xe033
#define HYP_TSS     0xe040   /* two slots; Xen's TSS_ENTRY (0x1c08) */
#define GDT_ENTRIES    (0xe050 / 8)

/* The temporary GDTs of the boot path (boot.S) and of the AP start-up
 * code (trampoline.S): small tables of their own, used only until
 * cpu_tables_load() loads the per-pCPU GDT above. */
#define BOOT_CS     0x08     /* 64-bit code */
#define BOOT_DS     0x10

/* Vectors. */
#define VEC_HYPERCALL  0x82
#define VEC_TIMER      0xf0
#define VEC_KICK       0xf1
#define VEC_SPURIOUS   0xff

#endif
