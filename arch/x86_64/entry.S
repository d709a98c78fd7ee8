/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupt, exception and hypercall entry.  Every vector builds a
 * struct trap_frame (cpu.h) and calls trap_entry(frame), except int $0x82
 * from a guest, which calls pv_hypercall_entry(frame) (pv/exit.c: the
 * window fast path, else trap_entry's dispatch).  When the trap
 * came from a guest, trap_entry may replace the frame's contents with
 * another vCPU's state before we return: the frame always sits at the top
 * of this CPU's stack (TSS.RSP0), so the iretq below resumes whichever
 * vCPU the scheduler picked.
 */
#include <asm/layout.h>

/*
 * The exception-fixup table of the exit path.  Every instruction here that
 * can fault on guest state (the iretq of a guest frame, the loads of guest
 * data selectors) gets an entry { address, kind }.  trap_entry (traps.c)
 * looks a fault taken in ring 0 up in this table before calling it the
 * hypervisor's own: a hit is a fault on guest state, and stops the domain
 * with a diagnostic instead of panicking.  All entries live in this file,
 * in one section whose subsections keep start, entries and end in order.
 * Kinds: see EXFIX_* in traps.c.
 */
#define EXFIX_IRET 1
#define EXFIX_SEG  2
.macro EXFIX insn, kind, seg=0
    .pushsection .rodata.kmv_exfix, 1
    .quad \insn
    .long \kind, \seg
    .popsection
.endm
    .section .rodata.kmv_exfix, "a"
    .previous
    .pushsection .rodata.kmv_exfix, 0
    .balign 8
    .globl exfix_table
exfix_table:
    .popsection
    .pushsection .rodata.kmv_exfix, 2
    .globl exfix_table_end
exfix_table_end:
    .popsection

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
    /* A hypercall from a guest (vector, then CS's RPL, in the frame)
     * goes straight to its own entry (pv/exit.c). */
    cmpq $VEC_HYPERCALL, 15*8(%rsp)
    jne 1f
    testb $3, 18*8(%rsp)
    jz 1f
    call pv_hypercall_entry
    jmp trap_return
1:  call trap_entry
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
    /* A fault here is on the guest frame at the top of this stack (bad
     * CS, SS or EIP): it arrives on this same stack, below that frame,
     * and the table entry makes it the guest's (see traps.c). */
    .globl guest_iretq
guest_iretq:
    iretq
    EXFIX guest_iretq, EXFIX_IRET

/* Run fn(arg) on a fresh stack pointer: call_on_stack(arg, sp, fn).
 * The idle loop uses it to run below the frame it will fill in. */
    .globl call_on_stack
call_on_stack:
    mov %rsi, %rsp
    xor %ebp, %ebp
    call *%rdx
    ud2

/*
 * load_guest_data_segments(ds, es, fs, gs): the exit path's loads of a
 * vCPU's data selectors (vcpu_load).  The CPU checks each selector
 * against the GDT/LDT as it loads it; a fault on any of them is a fault
 * on guest state (table entries below, handled in traps.c).
 */
    .globl load_guest_data_segments
load_guest_data_segments:
1:  mov %edi, %ds
2:  mov %esi, %es
3:  mov %edx, %fs
4:  mov %ecx, %gs
    ret
    EXFIX 1b, EXFIX_SEG, 0
    EXFIX 2b, EXFIX_SEG, 1
    EXFIX 3b, EXFIX_SEG, 2
    EXFIX 4b, EXFIX_SEG, 3

/* First entry of a pCPU into a guest: rdi = frame at the stack top. */
    .globl enter_frame
enter_frame:
    mov %rdi, %rsp
    jmp trap_return
    .section .note.GNU-stack, "", @progbits
