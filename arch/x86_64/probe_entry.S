/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Can this accelerator run a 32-bit compat-mode guest in ring 1 and take
 * its int $0x82?  Some nested KVMs cannot (they fail to emulate the
 * gate); finding out here, a second into boot, lets the runner fall back
 * to TCG at once.  probe_compat_ring1(eip, esp) enters ring 1 at eip; the
 * hypercall vector comes back through trap_entry, which calls
 * probe_resume(), and we return 1 to the caller.
 */
#include <asm/layout.h>

    .text
    .globl probe_compat_ring1
probe_compat_ring1:
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, probe_saved_rsp(%rip)
    pushq $GUEST_RING1_DS           /* ss */
    mov %esi, %esi
    pushq %rsi                      /* esp */
    pushq $0x2                      /* eflags: interrupts off */
    pushq $GUEST_RING1_CS           /* cs */
    mov %edi, %edi
    pushq %rdi                      /* eip */
    iretq

    .globl probe_resume
probe_resume:
    mov probe_saved_rsp(%rip), %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    mov $1, %eax
    ret

/* The 32-bit probe guest, copied below 1 MiB (identity-mapped at boot). */
    .globl probe_stub, probe_stub_end
    .code32
probe_stub:
    mov $0x6b6d7670, %eax           /* "kmvp" */
    int $0x82
1:  jmp 1b
probe_stub_end:
    .code64

    .bss
    .balign 8
    .globl probe_saved_rsp
probe_saved_rsp: .quad 0
    .section .note.GNU-stack, "", @progbits
