/* SPDX-License-Identifier: GPL-2.0-only */
/* Secondary vCPUs: VCPUOP_initialise with a context, then VCPUOP_up. */
#include "pv.h"


extern char secondary_entry[];
static uint8_t cpu_stacks[MAX_CPUS][STACK_SIZE] __attribute__((aligned(STACK_SIZE)));
static void (*secondary_fn)(void);
static vcpu_guest_context_t ctx;

void secondary_main(void);
void secondary_main(void)
{
    plat_traps_init();
    secondary_fn();
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

void plat_start_secondaries(void (*fn)(void))
{
    secondary_fn = fn;
    for (unsigned cpu = 1; cpu < plat.nr_cpus; cpu++) {
        cpu_set_thread_info(cpu_stacks[cpu], cpu);
        memset(&ctx, 0, sizeof(ctx));
        ctx.user_regs.eip = (unsigned long)secondary_entry;
        ctx.user_regs.esp = (unsigned long)(cpu_stacks[cpu] + STACK_SIZE);
        ctx.user_regs.cs = FLAT_RING1_CS;
        ctx.user_regs.ss = FLAT_RING1_DS;
        ctx.user_regs.ds = ctx.user_regs.es = FLAT_RING1_DS;
        ctx.user_regs.eflags = 1 << 9;
        ctx.kernel_ss = FLAT_RING1_DS;
        ctx.kernel_sp = ctx.user_regs.esp;
        long r = HYPERVISOR_vcpu_op(VCPUOP_initialise, cpu, &ctx);
        if (r)
            guest_panic("VCPUOP_initialise(%u): %ld", cpu, r);
        r = HYPERVISOR_vcpu_op(VCPUOP_up, cpu, NULL);
        if (r)
            guest_panic("VCPUOP_up(%u): %ld", cpu, r);
    }
}
