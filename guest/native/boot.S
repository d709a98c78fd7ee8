/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Native boot: QEMU's multiboot loader puts us at 1 MiB in 32-bit
 * protected mode, paging off.  We map the first GiB both at 0 and at
 * 3 GiB with 2 MiB PAE pages (one page directory behind two PDPT
 * entries), turn paging on and jump to native_main at 3 GiB.  The real,
 * per-CPU page tables are built in C (native/mm.c).
 */
#define MB_MAGIC 0x1badb002
#define MB_FLAGS (1 << 1)

    .section .multiboot, "a"
    .balign 4
    .long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

    .section .boot.text, "ax"
    .globl native_start
native_start:
    cli
    mov $boot_pd, %edi
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax
    mov %eax, (%edi,%ecx,8)
    movl $0, 4(%edi,%ecx,8)
    inc %ecx
    cmp $512, %ecx
    jne 1b
    mov $boot_pd + 1, %eax          /* present */
    mov %eax, boot_pdpt             /* 0..1 GiB */
    mov %eax, boot_pdpt + 24        /* 3..4 GiB -> 0..1 GiB */
    mov %cr4, %ecx
    or $(1 << 5), %ecx              /* PAE */
    mov %ecx, %cr4
    mov $boot_pdpt, %ecx
    mov %ecx, %cr3
    mov %cr0, %ecx
    or $0x80010000, %ecx            /* PG, WP */
    mov %ecx, %cr0
    mov $native_boot_stack + 8192, %esp
    mov %ebx, %eax                  /* multiboot info (physical) */
    mov $native_main, %ecx
    jmp *%ecx

    .section .boot.bss, "aw", @nobits
    .balign 4096
boot_pd:   .skip 4096
boot_pdpt: .skip 32
    .globl boot_pdpt

/* The AP trampoline, copied to 0x8000: real mode -> protected mode ->
 * PAE paging on its own page tables -> native_ap_main on its stack. */
#define TRAMP 0x8000
#define REL(x) (TRAMP + (x) - ap_trampoline)
    .section .rodata
    .code16
    .globl ap_trampoline, ap_trampoline_end, ap_tr_cr3, ap_tr_stack, ap_tr_entry
ap_trampoline:
    cli
    xor %ax, %ax
    mov %ax, %ds
    lgdtl REL(ap_tr_gdt_desc)
    mov %cr0, %eax
    or $1, %eax
    mov %eax, %cr0
    ljmpl $0x08, $REL(ap_tr_pm)
    .code32
ap_tr_pm:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %cr4, %eax
    or $(1 << 5), %eax
    mov %eax, %cr4
    mov REL(ap_tr_cr3), %eax
    mov %eax, %cr3
    mov %cr0, %eax
    or $0x80010000, %eax
    mov %eax, %cr0
    mov REL(ap_tr_stack), %esp
    mov REL(ap_tr_entry), %eax
    jmp *%eax
    .balign 8
ap_tr_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff
    .quad 0x00cf92000000ffff
ap_tr_gdt_desc:
    .word 23
    .long REL(ap_tr_gdt)
    .balign 4
ap_tr_cr3:   .long 0
ap_tr_stack: .long 0
ap_tr_entry: .long 0
ap_trampoline_end:
    .section .note.GNU-stack, "", @progbits
