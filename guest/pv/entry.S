/* SPDX-License-Identifier: GPL-2.0-only */
/* Guest entry points: boot, secondary vCPUs, event upcall, exceptions. */
#include <xen/elfnote.h>
#include <xen/xen.h>

    .section .note.xen, "a"
    .balign 4
    .long 4, 4, XEN_ELFNOTE_HYPERCALL_PAGE
    .asciz "Xen"
    .long hypercall_page

    .section .text.entry, "ax"
    .globl _start
_start:
    /* esi = start_info, as in Xen. */
    mov $boot_thread_stack + 8192, %esp
    mov %esi, %eax              /* -mregparm=3: first argument in eax */
    call kernel_main
1:  jmp 1b

    .text
/* A secondary vCPU starts here with esp set by the boot vCPU. */
    .globl secondary_entry
secondary_entry:
    call secondary_main
1:  jmp 1b

/* Event upcall: the hypervisor pushed eip, cs, eflags (same ring). */
    .globl upcall_entry
upcall_entry:
    pusha
    mov %esp, %eax
    call upcall_handler
    popa
    jmp hypercall_page + __HYPERVISOR_iret * 32   /* iret: pushes eax, restores all */

#define GUEST_IRET jmp hypercall_page + __HYPERVISOR_iret * 32   /* pushes eax, restores all */
#include "exceptions.inc"

    .section .data.page_aligned, "aw"
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .skip 4096

    .section .note.GNU-stack, "", @progbits

