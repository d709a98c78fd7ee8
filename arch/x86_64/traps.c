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

void trap_entry(struct trap_frame *f)
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
    struct vcpu *v = from_guest ? pv_enter_from_guest(p, f) : NULL;

    switch (f->vector) {
    case VEC_TIMER:
        lapic_eoi();
        sched_tick(&p->sched);
        vtimer_tick();
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
