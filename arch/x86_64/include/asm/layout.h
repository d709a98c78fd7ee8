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

/* Host GDT selectors. */
#define HYP_CS      0x08
#define HYP_DS      0x10
#define HYP_TSS     0x18   /* two slots */
/* Xen's compat guest selectors (GDT index 0x1c03..0x1c06; FLAT_RING1_CS
 * etc. in Xen's x86_32 headers, which assembly cannot include). */
#define GUEST_RING1_CS 0xe019
#define GUEST_RING1_DS 0xe021
#define GUEST_RING3_CS 0xe02b
#define GUEST_RING3_DS 0xe033
#define GDT_ENTRIES    (0xe038 / 8)

/* Vectors. */
#define VEC_HYPERCALL  0x82
#define VEC_TIMER      0xf0
#define VEC_KICK       0xf1
#define VEC_SPURIOUS   0xff

#endif
