/* Native interrupt and exception entry: the same frames as on PV
 * (pusha, [vector, error,] eip, cs, eflags), returned from with iret. */
.macro EXC_NOERR n
    .globl nexc_\n
nexc_\n:
    push $0
    push $\n
    jmp nexc_common
.endm
.macro EXC_ERR n
    .globl nexc_\n
nexc_\n:
    push $\n
    jmp nexc_common
.endm
    .text
EXC_NOERR 0
EXC_NOERR 1
EXC_NOERR 2
EXC_NOERR 3
EXC_NOERR 4
EXC_NOERR 5
EXC_NOERR 6
EXC_NOERR 7
EXC_ERR 8
EXC_ERR 10
EXC_ERR 11
EXC_ERR 12
EXC_ERR 13
EXC_ERR 14
EXC_NOERR 16
EXC_ERR 17
EXC_NOERR 19

nexc_common:
    pusha
    mov %esp, %eax
    call exception_handler
    popa
    add $8, %esp
    iret

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

    .globl probe_unmapped, probe_unmapped_insn, probe_unmapped_resume
probe_unmapped:
probe_unmapped_insn:
    movl (%eax), %eax
probe_unmapped_resume:
    ret
    .section .note.GNU-stack, "", @progbits
