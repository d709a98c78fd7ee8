/* SPDX-License-Identifier: GPL-2.0-only */
/* Guest entry points: boot, secondary vCPUs, event upcall, exceptions. */
#include <xen/elfnote.h>
#include <xen/xen.h>

/* Xen's ELF notes: what a Xen PV loader (kmapvisor's, or Xen's own)
 * needs to place and start this image.  GUEST_BASE is where lowmem is
 * mapped, given by the link (guest.ld: 3 GiB unless --defsym says). */
.macro XEN_NOTE type, desc:vararg
    .balign 4
    .long 4, 2f - 1f, \type
    .asciz "Xen"
1:  \desc
2:  .balign 4
.endm
    .section .note.xen, "a"
    XEN_NOTE XEN_ELFNOTE_GUEST_OS, .asciz "kmapvisor-mini"
    XEN_NOTE XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0"
    XEN_NOTE XEN_ELFNOTE_LOADER, .asciz "generic"
    XEN_NOTE XEN_ELFNOTE_PAE_MODE, .asciz "yes"
    XEN_NOTE XEN_ELFNOTE_VIRT_BASE, .long GUEST_BASE
    XEN_NOTE XEN_ELFNOTE_PADDR_OFFSET, .long GUEST_BASE
    XEN_NOTE XEN_ELFNOTE_HYPERCALL_PAGE, .long hypercall_page
    XEN_NOTE XEN_ELFNOTE_ENTRY, .long _start

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

