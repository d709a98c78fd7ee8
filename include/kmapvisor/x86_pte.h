/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86 page-table entry bits (PAE and long mode share them).  Xen's
 * public headers leave these to the hypervisor, but they are ABI: a PV
 * guest hands update_va_mapping a PAE PTE.  Used by the hypervisor's
 * page tables, its update_va_mapping decoder, and the x86 guests.
 */
#ifndef KMAPVISOR_X86_PTE_H
#define KMAPVISOR_X86_PTE_H

#define X86_PTE_P     (1ull << 0)   /* present */
#define X86_PTE_W     (1ull << 1)   /* writable */
#define X86_PTE_U     (1ull << 2)   /* user (ring 3) */
#define X86_PTE_PWT   (1ull << 3)
#define X86_PTE_PCD   (1ull << 4)
#define X86_PTE_A     (1ull << 5)   /* accessed */
#define X86_PTE_D     (1ull << 6)   /* dirty */
#define X86_PTE_PS    (1ull << 7)   /* large page (in a directory) / PAT (in a PTE) */
#define X86_PTE_G     (1ull << 8)   /* global */
#define X86_PTE_AVL   (7ull << 9)   /* available to software */
#define X86_PTE_NX    (1ull << 63)
#define X86_PTE_ADDR  0x000ffffffffff000ull /* machine address bits (52-bit) */

#endif
