/* SPDX-License-Identifier: GPL-2.0-only */
/* Native interrupt and exception entry: the same frames as on PV
 * (pusha, [vector, error,] eip, cs, eflags), returned from with iret. */
#define GUEST_IRET iret
#include "exceptions.inc"

.macro IRQ name, vec
    .globl \name
\name:
    pusha
    mov %esp, %eax
    mov $\vec, %edx
    call native_irq
    popa
    iret
.endm
IRQ nirq_timer, 0xf0
IRQ nirq_ipi, 0xf1
    .globl nirq_spurious
nirq_spurious:
    iret

    .section .note.GNU-stack, "", @progbits
