/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupt, exception and hypercall entry.  Every vector builds a
 * struct trap_frame (cpu.h) and calls trap_entry(frame).  When the trap
 * came from a guest, trap_entry may replace the frame's contents with
 * another vCPU's state before we return: the frame always sits at the top
 * of this CPU's stack (TSS.RSP0), so the iretq below resumes whichever
 * vCPU the scheduler picked.
 */
#include <asm/layout.h>

.macro VEC_NOERR n
    .balign 16
    pushq $0
    pushq $\n
    jmp trap_common
.endm
.macro VEC_ERR n
    .balign 16
    pushq $\n
    jmp trap_common
.endm

    .text
    .balign 16
    .globl vector_stubs
vector_stubs:
    .set i, 0
    .rept 256
    .if (i == 8) || (i >= 10 && i <= 14) || (i == 17) || (i == 21) || (i == 29) || (i == 30)
        VEC_ERR i
    .else
        VEC_NOERR i
    .endif
    .set i, i + 1
    .endr

trap_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    mov %rsp, %rdi
    call trap_entry
    .globl trap_return
trap_return:
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    add $16, %rsp
    iretq

/* Run fn(arg) on a fresh stack pointer: call_on_stack(arg, sp, fn).
 * The idle loop uses it to run below the frame it will fill in. */
    .globl call_on_stack
call_on_stack:
    mov %rsi, %rsp
    xor %ebp, %ebp
    call *%rdx
    ud2

/* First entry of a pCPU into a guest: rdi = frame at the stack top. */
    .globl enter_frame
enter_frame:
    mov %rdi, %rsp
    jmp trap_return
    .section .note.GNU-stack, "", @progbits
