/*
 * test=hostile, the pieces that must be assembly: running an attack with
 * a way back from a trap it provokes (hostile_try and the catchers), a
 * trip to ring 3, and a raw iret hypercall with a forged frame.
 */
#define FLAT_RING1_DS 0xe021

    .text
/* long hostile_try(void (*fn)(void)): 0 when fn returns, 0x10000 | vector
 * when a catcher took a trap on the way, 0x20000 when a forged iret
 * landed back in ring 1. */
    .globl hostile_try
hostile_try:
    push %ebp
    push %ebx
    push %esi
    push %edi
    mov %esp, hostile_saved_esp
    call *%eax
    xor %eax, %eax
hostile_back:
    pop %edi
    pop %esi
    pop %ebx
    pop %ebp
    ret

/* Catchers: trap-table entries for the attacks.  A trap from ring 3 may
 * arrive with null data segments: reload them before touching memory,
 * note the stack selector the hypervisor gave us, and unwind. */
.macro CATCH n
    .globl hostile_catch_\n
hostile_catch_\n:
    mov $FLAT_RING1_DS, %ecx
    mov %ecx, %ds
    mov %ecx, %es
    mov %ecx, %fs
    mov %ecx, %gs
    mov $(0x10000 | \n), %eax
    jmp hostile_unwind
.endm
CATCH 3
CATCH 6
CATCH 13
CATCH 14

/* A #DB that reaches the guest (its own data breakpoint, debugreg group):
 * counted, and the interrupted code resumed through the iret hypercall
 * (a trap: the instruction is done), every register as it was. */
    .globl hostile_db_handler
hostile_db_handler:
    lock incl hostile_db_count
    jmp hypercall_page + 23 * 32    /* iret: pushes eax, restores all */

    .globl hostile_iret_landing
hostile_iret_landing:
    mov $FLAT_RING1_DS, %ecx
    mov %ecx, %ds
    mov %ecx, %es
    mov $0x20000, %eax
hostile_unwind:
    mov %ss, %ecx
    mov %ecx, hostile_caught_ss
    mov %cs, %ecx
    mov %ecx, hostile_caught_cs
    mov hostile_saved_esp, %esp
    jmp hostile_back

/* To ring 3 through the iret hypercall, at an address ring 3 may not
 * fetch (lowmem is supervisor-only): the #PF comes straight back through
 * the kernel stack of stack_switch. */
    .globl hostile_ring3
hostile_ring3:
    mov %esp, %ecx
    push $0xe033            /* ss */
    push %ecx               /* esp */
    push $0x202             /* eflags */
    push $0xe02b            /* cs */
    push $hostile_ring3_target
    push $0                 /* eax */
    mov $23, %eax
    int $0x82
    .globl hostile_ring3_target
hostile_ring3_target:
    ud2

/* hostile_iret_frame(frame): the iret hypercall on a forged frame
 * {eax, eip, cs, eflags [, esp, ss]}. */
    .globl hostile_iret_frame
hostile_iret_frame:
    mov %eax, %esp
    mov $23, %eax
    int $0x82
    ud2

    .data
    .globl hostile_saved_esp, hostile_caught_ss, hostile_caught_cs, hostile_db_count
hostile_db_count: .long 0
hostile_saved_esp: .long 0
hostile_caught_ss: .long 0
hostile_caught_cs: .long 0

    .section .note.GNU-stack, "", @progbits
