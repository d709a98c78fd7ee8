/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * switch_to(prev, next) [regparm: eax = prev, edx = next]: save the
 * callee-saved registers and esp in prev, load next's, return into next.
 * Returns prev (in eax) to the code that resumes in next.
 */
    .text
    .globl switch_to
switch_to:
    push %ebp
    push %ebx
    push %esi
    push %edi
    mov %esp, (%eax)          /* prev->esp (first member) */
    mov (%edx), %esp          /* next->esp */
    pop %edi
    pop %esi
    pop %ebx
    pop %ebp
    ret

/* A new task starts here (its stack was laid out by task_create). */
    .globl task_start
task_start:
    call task_trampoline
1:  jmp 1b
    .section .note.GNU-stack, "", @progbits
