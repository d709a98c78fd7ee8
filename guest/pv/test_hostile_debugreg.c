/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Group "debugreg": the guest's own breakpoints (set_debugreg) stay armed
 * while the hypervisor runs, so a #DB taken in ring 0 can be the guest's
 * doing and must not be treated as a fault of the hypervisor's.  Xen
 * (do_debug, !guest_mode): a watchpoint that triggers in Xen is noted in
 * the vCPU's DR6 and ignored.  The ways in:
 *  - a `mov %ss` / `pop %ss` that reads a watched word holding a bad
 *    selector faults (#GP); under TCG the data breakpoint's #DB comes
 *    with it and is taken at the hypervisor's #GP entry, in ring 0;
 *  - XSA-260: `mov %ss` from a watched word (a good selector) shadows
 *    the #DB over the next instruction; if that is `int $0x82`, a real
 *    CPU delivers it in ring 0, at the hypercall entry (TCG does not
 *    hold it back: the guest gets it, in ring 1);
 *  - a watched hypercall buffer that the hypervisor reads or writes.
 * Each attack must give the guest what it gives without a breakpoint,
 * and leave the hypervisor running.  DR7 is disarmed after each.
 */
#include "test_hostile.h"

#define DR7_L0 0x1u
#define DR7_RW0_RW (3u << 16)   /* break on data reads and writes */
#define DR7_LEN0_2 (1u << 18)
#define DR7_LEN0_4 (3u << 18)
#define DR6_B0 0x1u
/* 0xe023: the flat ring-1 data segment at RPL 3, not the CPL: loading it
 * into %ss from ring 1 is #GP (error code the selector). */
#define BAD_SS 0xe023u

static volatile uint16_t watched __attribute__((aligned(4)));
static volatile uint32_t watched_buf[4] __attribute__((aligned(16)));
/* A stack for pop %ss, with room below for the #GP's bounce frame. */
static volatile uint32_t pop_stack[256] __attribute__((aligned(16)));
#define POP_SLOT 200
static volatile long call_result;

static long set_dr(unsigned reg, uint32_t value) { return hypercall2(__HYPERVISOR_set_debugreg, reg, value); }
static uint32_t get_dr(unsigned reg) { return (uint32_t)hypercall1(__HYPERVISOR_get_debugreg, reg); }

/* DR0 on addr with condition dr7; DR6's status cleared first. */
static long arm(volatile void *addr, uint32_t dr7)
{
    hostile_db_count = 0;
    return set_dr(6, 0) | set_dr(0, (uint32_t)(uintptr_t)addr) | set_dr(7, DR7_L0 | dr7);
}

/* Disarmed: DR6 as the hypervisor kept it for us. */
static uint32_t disarm(void)
{
    set_dr(7, 0);
    return get_dr(6);
}

static void mov_ss(void) { __asm__ volatile("mov %0, %%ss" : : "m"(watched) : "memory"); }

static void pop_ss(void)
{
    __asm__ volatile("mov %%esp, %%edx\n\t"
                     "mov %0, %%esp\n\t"
                     "pop %%ss\n\t"
                     "mov %%edx, %%esp"
                     : : "r"(&pop_stack[POP_SLOT]) : "edx", "memory");
}

/* mov %ss then int $0x82 at once: xen_version(XENVER_version). */
static void mov_ss_hypercall(void)
{
    long r;
    __asm__ volatile("mov %1, %%ss\n\t"
                     "int $0x82"
                     : "=a"(r) : "m"(watched), "a"(__HYPERVISOR_xen_version), "b"(XENVER_version), "c"(0)
                     : "memory");
    call_result = r;
}

static const trap_info_t db_table[] = {
    { 1, 0, FLAT_RING1_CS, (unsigned long)hostile_db_handler },
    { 13, 0, FLAT_RING1_CS, (unsigned long)hostile_catch_13 },
    { 0, 0, 0, 0 },
};

/* Is the breakpoint in DR6?  A #DB delivered to the guest fills it (the
 * hypervisor's exit path), one taken in ring 0 must be recorded there.
 * Under TCG the data breakpoint of a faulting mov/pop %ss is delivered
 * (at the hypervisor's #GP entry), so B0 is required; a real CPU drops
 * the breakpoint of an instruction that faults, so elsewhere it is only
 * reported.  firm: the breakpoint fires on any CPU. */
static void report_b0(const char *what, uint32_t dr6, bool firm)
{
    printk("guest: hostile: debugreg: %s: dr6 %#x, %u #DB to the guest\n", what, dr6, hostile_db_count);
    if (firm || kmv_ext->accel == KMV_ACCEL_TCG)
        hostile_reportf(dr6 & DR6_B0, DR6_B0, "debugreg: %s: DR6.B0 recorded", what);
}

static void ss_fault(const char *what, void (*fn)(void), volatile void *addr, uint32_t len)
{
    hostile_reportf(arm(addr, DR7_RW0_RW | len), 0, "debugreg: %s: arm DR0/DR7", what);
    hostile_reportf(hostile_try(fn), CAUGHT(13), "debugreg: %s: #GP to the guest", what);
    report_b0(what, disarm(), false);
}

/* (a), (b): the watched read of a bad selector faults. */
static void attack_mov_ss(void)
{
    watched = BAD_SS;
    ss_fault("mov %ss from a watched bad selector", mov_ss, &watched, DR7_LEN0_2);
}

static void attack_pop_ss(void)
{
    pop_stack[POP_SLOT] = BAD_SS;
    ss_fault("pop %ss from a watched bad selector", pop_ss, &pop_stack[POP_SLOT], DR7_LEN0_2);
}

/* (c) XSA-260: a good selector, the #DB shadowed onto int $0x82.
 * Wherever the CPU delivers it (ring 0 at the hypercall entry, or to us
 * after the mov), the call runs and returns its result. */
static void attack_xsa260(void)
{
    const char *what = "mov %ss (watched) then int $0x82";
    watched = FLAT_RING1_DS;
    call_result = 0;
    hostile_reportf(arm(&watched, DR7_RW0_RW | DR7_LEN0_2), 0, "debugreg: %s: arm DR0/DR7", what);
    hostile_reportf(hostile_try(mov_ss_hypercall), 0, "debugreg: %s: runs to its end", what);
    hostile_reportf(call_result, 0x40011, "debugreg: %s: xen_version's result", what);
    report_b0(what, disarm(), true);
}

/* (e) XSA-260's single-step form: TF set by popf, then `mov %ss`, then
 * int $0x82.  The mov's single-step #DB is held over the int, so a real
 * CPU delivers it at the hypercall entry, in ring 0 (TCG may give it to
 * us in ring 1 instead).  Either way the call runs, its result comes
 * back, and the trap is in DR6 (BS).  Each later instruction until the
 * last popf single-steps into hostile_db_handler, which resumes. */
#define DR6_BS 0x4000u
static void sstep_ss_hypercall(void)
{
    long r;
    __asm__ volatile("pushf\n\t"
                     "orl $0x100, (%%esp)\n\t"
                     "popf\n\t"
                     "mov %1, %%ss\n\t"
                     "int $0x82\n\t"
                     "pushf\n\t"
                     "andl $~0x100, (%%esp)\n\t"
                     "popf"
                     : "=a"(r) : "m"(watched), "a"(__HYPERVISOR_xen_version), "b"(XENVER_version), "c"(0)
                     : "memory", "cc");
    call_result = r;
}

static void attack_sstep_xsa260(void)
{
    const char *what = "TF, mov %ss, int $0x82";
    watched = FLAT_RING1_DS;
    call_result = 0;
    hostile_db_count = 0;
    hostile_reportf(set_dr(6, 0), 0, "debugreg: %s: DR6 cleared", what);
    hostile_reportf(hostile_try(sstep_ss_hypercall), 0, "debugreg: %s: runs to its end", what);
    hostile_reportf(call_result, 0x40011, "debugreg: %s: xen_version's result", what);
    uint32_t dr6 = get_dr(6);
    printk("guest: hostile: debugreg: %s: dr6 %#x, %u #DB to the guest\n", what, dr6, hostile_db_count);
    hostile_reportf(dr6 & DR6_BS, DR6_BS, "debugreg: %s: DR6.BS recorded", what);
}

/* (d) a watched buffer the hypervisor reads (set_trap_table's table) and
 * one it writes (xen_version's extraversion).  kmapvisor touches guest
 * buffers through its direct map, at other addresses, so no #DB is
 * expected here; the calls must work as without a breakpoint. */
static void attack_buffers(void)
{
    trap_info_t table[2] = { db_table[1], { 0, 0, 0, 0 } };
    _Static_assert(sizeof(table) == sizeof(watched_buf), "the watched list");
    memcpy((void *)watched_buf, table, sizeof(table));
    hostile_report("debugreg: arm DR0 on a set_trap_table list", arm(watched_buf, DR7_RW0_RW | DR7_LEN0_4), 0);
    hostile_report("debugreg: set_trap_table from the watched list", HYPERVISOR_set_trap_table((void *)watched_buf), 0);
    printk("guest: hostile: debugreg: set_trap_table: dr6 %#x, %u #DB to the guest\n", disarm(), hostile_db_count);
    HYPERVISOR_set_trap_table(db_table);
    char extra[XEN_EXTRAVERSION_LEN] __attribute__((aligned(4)));
    hostile_report("debugreg: arm DR0 on xen_version's buffer", arm(extra, DR7_RW0_RW | DR7_LEN0_4), 0);
    hostile_report("debugreg: xen_version(extraversion) into the watched buffer",
                   HYPERVISOR_xen_version(XENVER_extraversion, extra), 0);
    printk("guest: hostile: debugreg: xen_version: dr6 %#x, %u #DB to the guest\n", disarm(), hostile_db_count);
}

/* debugreg=N (0-4) runs one attack.  Under TCG each of (a) and (b)
 * alone panics a hypervisor that takes a ring-0 #DB for its own; (c)
 * would on a real CPU. */
void hostile_group_debugreg(void);
void hostile_group_debugreg(void)
{
    static void (*const attacks[])(void) = { attack_mov_ss, attack_pop_ss, attack_xsa260, attack_buffers,
                                             attack_sstep_xsa260 };
    unsigned long only = boot_arg_uint("debugreg", ~0ul);
    HYPERVISOR_set_trap_table(db_table);
    for (unsigned i = 0; i < ARRAY_SIZE(attacks); i++)
        if (only == ~0ul || only == i)
            attacks[i]();
    hostile_report("debugreg: DR7 disarmed", get_dr(7) & 0xff, 0);
    hostile_restore();
}
