/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Multiboot v1 entry.  QEMU's -kernel loads only 32-bit multiboot images,
 * so the hypervisor is a flat binary with the a.out-kludge header: QEMU
 * copies it to KERNEL_PHYS_BASE and jumps to start32 in 32-bit protected
 * mode, paging off, EAX = multiboot magic, EBX = multiboot info.
 *
 * start32 builds minimal page tables (first GiB identity-mapped, and the
 * same GiB at the kernel's -2 GiB link address and at the direct map),
 * enters long mode and jumps to C.  The APs come through the same tables
 * (see trampoline.S), which is why boot_pml4 stays alive.
 */
#include <asm/layout.h>

#define MB_MAGIC 0x1badb002
#define MB_FLAGS ((1 << 1) | (1 << 16))   /* memory map, address fields */

    .section .multiboot, "a"
    .balign 4
mb_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
    .long mb_header                 /* header_addr */
    .long KERNEL_PHYS_BASE          /* load_addr */
    .long _load_end_phys            /* load_end_addr */
    .long _bss_end_phys             /* bss_end_addr */
    .long start32                   /* entry_addr */

    .section .boot.text, "ax"
    .code32
    .globl start32
start32:
    cli
    mov $boot_stack_top, %esp
    mov %eax, mb_magic_saved
    mov %ebx, mb_info_saved

    /* 512 x 2 MiB pages: identity map of the first GiB. */
    mov $boot_pd, %edi
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax                  /* present, writable, 2 MiB */
    mov %eax, (%edi,%ecx,8)
    movl $0, 4(%edi,%ecx,8)
    inc %ecx
    cmp $512, %ecx
    jne 1b

    mov $boot_pd, %eax
    or $3, %eax
    mov %eax, boot_pdpt             /* pdpt[0]   -> first GiB */
    mov %eax, boot_pdpt_hi + 510*8  /* -2 GiB    -> first GiB */
    mov $boot_pdpt, %eax
    or $3, %eax
    mov %eax, boot_pml4             /* pml4[0]   identity */
    mov %eax, boot_pml4 + 256*8     /* pml4[256] direct map (first GiB) */
    mov $boot_pdpt_hi, %eax
    or $3, %eax
    mov %eax, boot_pml4 + 511*8

    .globl enter_long_mode32
enter_long_mode32:                  /* shared with the AP trampoline */
    mov %cr4, %eax
    or $(1 << 5), %eax              /* PAE */
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx           /* EFER */
    rdmsr
    or $((1 << 8) | (1 << 11)), %eax /* LME, NXE */
    wrmsr
    mov %cr0, %eax
    or $((1 << 31) | (1 << 16) | 1), %eax /* PG, WP, PE */
    mov %eax, %cr0
    lgdt boot_gdt_desc
    ljmp $BOOT_CS, $start64_low

    .code64
start64_low:
    mov $BOOT_DS, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    xor %eax, %eax
    mov %eax, %fs
    mov %eax, %gs
    movabs $start64_high, %rax
    jmp *%rax

    .section .boot.data, "aw"
    .balign 8
/* Used only until cpu_tables_load() loads the per-pCPU GDT, whose
 * hypervisor selectors are in the reserved area (HYP_CS, layout.h). */
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* BOOT_CS 0x08: 64-bit code, DPL0 */
    .quad 0x00cf92000000ffff        /* BOOT_DS 0x10: data, DPL0 */
boot_gdt_end:
    .globl boot_gdt_desc
boot_gdt_desc:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt
    .globl mb_magic_saved, mb_info_saved
mb_magic_saved: .long 0
mb_info_saved:  .long 0

    .section .boot.bss, "aw", @nobits
    .balign 4096
    .globl boot_pml4
boot_pml4:    .skip 4096
boot_pdpt:    .skip 4096
boot_pdpt_hi: .skip 4096
boot_pd:      .skip 4096
    .skip 4096
boot_stack_top:

    .text
    .code64
start64_high:
    /* BSP stack: the first per-CPU stack (aligned, see layout.h). */
    movabs $pcpu_stacks + STACK_SIZE, %rsp
    xor %ebp, %ebp
    call bsp_main
2:  cli
    hlt
    jmp 2b
    .section .note.GNU-stack, "", @progbits
