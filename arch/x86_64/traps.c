/* SPDX-License-Identifier: GPL-2.0-only */
/* Trap dispatch: exceptions, interrupts and hypercalls of host and guest. */
#include "arch.h"
#include "hypervisor/domain.h"

static volatile bool panicking;

void dump_frame(const struct trap_frame *f)
{
    printk("  rip %016llx  cs %04llx  rflags %08llx  rsp %016llx  ss %04llx\n",
           (unsigned long long)f->rip, (unsigned long long)f->cs, (unsigned long long)f->rflags,
           (unsigned long long)f->rsp, (unsigned long long)f->ss);
    printk("  rax %016llx  rbx %016llx  rcx %016llx  rdx %016llx\n",
           (unsigned long long)f->rax, (unsigned long long)f->rbx, (unsigned long long)f->rcx,
           (unsigned long long)f->rdx);
    printk("  rsi %016llx  rdi %016llx  rbp %016llx  vec %llu err %llx cr2 %llx\n",
           (unsigned long long)f->rsi, (unsigned long long)f->rdi, (unsigned long long)f->rbp,
           (unsigned long long)f->vector, (unsigned long long)f->error_code,
           (unsigned long long)read_cr2());
}

_Noreturn void hypervisor_panic_exit(void)
{
    stop_other_cpus();
    machine_exit(KMV_EXIT_PANIC);
}

/* The platform's stop_other_cpus: an NMI to every other CPU, which
 * halts there (trap_entry) once panicking is set. */
void stop_other_cpus(void)
{
    panicking = true;
    for (unsigned i = 0; i < nr_pcpus; i++)
        if (&pcpus[i] != this_pcpu() && pcpus[i].sched.online)
            lapic_send_nmi(pcpus[i].apic_id);
}

static _Noreturn void host_fault(struct trap_frame *f)
{
    printk("\n*** kmapvisor PANIC: %s (vector %llu) in the hypervisor on CPU %u\n",
           exception_name((unsigned)f->vector),
           (unsigned long long)f->vector, this_pcpu()->id);
    dump_frame(f);
    hypervisor_panic_exit();
}

/*
 * Faults on guest state in the exit path (entry.S's fixup table).  The
 * exit path is the only hypervisor code that hands guest-chosen values to
 * the hardware's own checks: the iretq into the guest (CS, SS, EIP, ESP
 * of the frame) and the data-segment loads.  Everything else reads guest
 * memory through a software page walk (guest_mem.c), which cannot fault.
 * A hit stops the domain of the vCPU being entered, never the machine.
 */
#define EXFIX_IRET 1
#define EXFIX_SEG  2
struct exfix {
    uint64_t insn;
    uint32_t kind, seg;
};
extern const struct exfix exfix_table[], exfix_table_end[];

static const struct exfix *exfix_find(uint64_t rip)
{
    for (const struct exfix *e = exfix_table; e < exfix_table_end; e++)
        if (e->insn == rip)
            return e;
    return NULL;
}

static bool is_guest_state_fault(unsigned vec)
{
    return vec == 10 || vec == 11 || vec == 12 || vec == 13 || vec == 14; /* #TS #NP #SS #GP #PF */
}

static _Noreturn void guest_state_fault(struct trap_frame *f, const struct exfix *e)
{
    struct vcpu *v = this_pcpu()->sched.curr;
    if (!v) /* nobody is being entered: it is ours after all */
        host_fault(f);
    const char *name = exception_name((unsigned)f->vector);
    if (e->kind == EXFIX_IRET) {
        /* The frame iretq faulted on: still at the top of this stack
         * (the fault was pushed below it), and equal to v->regs. */
        const uint64_t *g = (const uint64_t *)(pcpu_stacks[this_pcpu()->id] + STACK_SIZE) - 5;
        domain_crash(v, "%s (error %#x) on the iretq to the guest: bad frame cs %#x eip %#x ss %#x esp %#x",
                     name, (uint32_t)f->error_code, (uint32_t)g[1], (uint32_t)g[0], (uint32_t)g[4],
                     (uint32_t)g[3]);
    }
    static const char *const segs[4] = { "ds", "es", "fs", "gs" };
    domain_crash(v, "%s (error %#x) loading the guest's %s: bad data selector", name,
                 (uint32_t)f->error_code, segs[e->seg & 3]);
}

void trap_entry(struct trap_frame *f)
{
    trap_dispatch(f, rdtsc_lo()); /* the hypervisor's accounting: see pv_exit_to_guest */
}

void trap_dispatch(struct trap_frame *f, uint32_t t0)
{
    if (unlikely(probe_active) && f->vector == VEC_HYPERCALL)
        probe_resume(); /* the boot-time compat probe came back (probe.c) */
    struct pcpu *p = this_pcpu();
    bool from_guest = (f->cs & 3) != 0;

    if (f->vector == 2) { /* NMI: only used to stop CPUs on a panic */
        if (panicking)
            for (;;)
                halt();
        return;
    }
    if (f->vector == 1 && !from_guest) {
        pv_debug_in_hypervisor(p, f); /* never the hypervisor's own (exit.c) */
        return;
    }
    if (!from_guest && is_guest_state_fault((unsigned)f->vector)) {
        const struct exfix *e = exfix_find(f->rip);
        if (e)
            guest_state_fault(f, e);
    }
    if (from_guest)
        p->hv_t0 = t0;
    struct vcpu *v = from_guest ? pv_enter_from_guest(p, f) : NULL;

    switch (f->vector) {
    case VEC_TIMER:
        lapic_eoi();
        sched_tick(&p->sched);
        vtimer_tick();
        if (p->id == 0)
            console_input_poll(dom0); /* serial input for the guest's console ring */
        break;
    case VEC_KICK:
        lapic_eoi();
        break;
    case VEC_SPURIOUS:
        break;
    case VEC_HYPERCALL:
        if (!from_guest)
            host_fault(f);
        hypercall_dispatch(v);
        break;
    default:
        if (f->vector < 32) {
            if (!from_guest)
                host_fault(f);
            pv_guest_exception(v, f);
        } else {
            printk("kmapvisor: unexpected interrupt vector %llu\n", (unsigned long long)f->vector);
            lapic_eoi();
        }
        break;
    }

    if (from_guest)
        pv_exit_to_guest(p, f);
}
