/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AP start-up code, copied to TRAMPOLINE_PHYS (a SIPI starts an AP in
 * real mode at a page below 1 MiB).  It goes real -> protected -> long
 * mode on the boot page tables (which identity-map this page) and jumps
 * to ap_entry on the stack that the BSP left in tr_stack.
 */
#include <asm/layout.h>

#define REL(x) (TRAMPOLINE_PHYS + (x) - trampoline_start)

    .section .rodata
    .balign 16
    .globl trampoline_start, trampoline_end, tr_cr3, tr_stack, tr_entry
    .code16
trampoline_start:
    cli
    xor %ax, %ax
    mov %ax, %ds
    lgdtl REL(tr_gdt_desc)
    mov %cr0, %eax
    or $1, %eax
    mov %eax, %cr0
    ljmpl $0x08, $REL(tr_pm32)

    .code32
tr_pm32:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %cr4, %eax
    or $(1 << 5), %eax
    mov %eax, %cr4
    mov REL(tr_cr3), %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx
    rdmsr
    or $((1 << 8) | (1 << 11)), %eax
    wrmsr
    mov %cr0, %eax
    or $((1 << 31) | (1 << 16)), %eax
    mov %eax, %cr0
    ljmpl $0x18, $REL(tr_lm64)

    .code64
tr_lm64:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    movq REL(tr_stack), %rsp
    movq REL(tr_entry), %rax
    jmp *%rax

    .balign 8
/* A temporary GDT of its own (selectors 0x08-0x18), used only until
 * ap_entry() calls cpu_tables_load(), which loads the per-pCPU GDT with
 * the hypervisor's selectors in the reserved area (layout.h). */
tr_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff /* 0x08: 32-bit code */
    .quad 0x00cf92000000ffff /* 0x10: data */
    .quad 0x00af9a000000ffff /* 0x18: 64-bit code */
tr_gdt_desc:
    .word 31
    .long REL(tr_gdt)
    .balign 8
tr_cr3:   .quad 0
tr_stack: .quad 0
tr_entry: .quad 0
trampoline_end:
    .section .note.GNU-stack, "", @progbits
