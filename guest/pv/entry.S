/* Guest entry points: boot, secondary vCPUs, event upcall, exceptions. */
#include <xen/elfnote.h>

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
    jmp hypercall_page + 23 * 32   /* iret: pushes eax, restores all */

/* Exceptions: a common frame {regs (pusha), vector, error, eip, cs, eflags}. */
.macro EXC_NOERR n
    .globl exc_\n
exc_\n:
    push $0
    push $\n
    jmp exc_common
.endm
.macro EXC_ERR n
    .globl exc_\n
exc_\n:
    push $\n
    jmp exc_common
.endm
EXC_NOERR 0
EXC_NOERR 1
EXC_NOERR 3
EXC_NOERR 4
EXC_NOERR 5
EXC_NOERR 6
EXC_NOERR 7
EXC_ERR 10
EXC_ERR 11
EXC_ERR 12
EXC_ERR 13
EXC_ERR 14
EXC_NOERR 16
EXC_ERR 17
EXC_NOERR 19

exc_common:
    pusha
    mov %esp, %eax
    call exception_handler
    popa
    add $8, %esp
    jmp hypercall_page + 23 * 32

    .section .data.page_aligned, "aw"
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .skip 4096

    .section .note.GNU-stack, "", @progbits

/* probe_unmapped(addr): a load that faults; the #PF hook resumes it at
 * probe_unmapped_resume with eax = what the handler chose. */
    .text
    .globl probe_unmapped, probe_unmapped_insn, probe_unmapped_resume
probe_unmapped:
probe_unmapped_insn:
    movl (%eax), %eax
probe_unmapped_resume:
    ret
    .section .note.GNU-stack, "", @progbits
