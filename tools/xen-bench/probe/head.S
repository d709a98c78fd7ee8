/* SPDX-License-Identifier: GPL-2.0-only */
/* xen-probe: the entry and the ELF notes a 32-bit PAE PV loader (Xen's,
 * or kmapvisor's) reads. */
#include <xen/elfnote.h>

.macro NOTE type, desc:vararg
    .balign 4
    .long 2f - 1f          /* name size */
    .long 4f - 3f          /* desc size */
    .long \type
1:  .asciz "Xen"
2:  .balign 4
3:  \desc
4:  .balign 4
.endm

.section .note.xen, "a", @note
    NOTE XEN_ELFNOTE_GUEST_OS, .asciz "kmv-xen-probe"
    NOTE XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0"
    NOTE XEN_ELFNOTE_LOADER, .asciz "generic"
    NOTE XEN_ELFNOTE_PAE_MODE, .asciz "yes"
    NOTE XEN_ELFNOTE_VIRT_BASE, .long PROBE_BASE
    NOTE XEN_ELFNOTE_PADDR_OFFSET, .long PROBE_BASE
    NOTE XEN_ELFNOTE_ENTRY, .long _start
    NOTE XEN_ELFNOTE_HYPERCALL_PAGE, .long hypercall_page

.section .text.entry, "ax"
.globl _start
_start:
    cld
    lea stack_top, %esp
    push %esi              /* start_info */
    call probe_main
1:  hlt                    /* not reached: probe_main shuts down */
    jmp 1b

.section .data.page_aligned, "aw"
.balign 4096
.globl hypercall_page
hypercall_page:
    .fill 4096, 1, 0xcc

.section .bss
.balign 16
    .skip 16384
stack_top:

.section .note.GNU-stack, "", @progbits
