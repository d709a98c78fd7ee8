/* Trap dispatch: exceptions, interrupts and hypercalls of host and guest. */
#include "arch.h"
#include "guest.h"
#include "../../hypervisor/domain.h"
#include <kmapvisor/abi.h>

static const char *const exception_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#MF09", "#TS", "#NP",
    "#SS", "#GP", "#PF", "#MF15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

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
    panicking = true;
    /* Stop the other CPUs where they are. */
    for (unsigned i = 0; i < nr_pcpus; i++)
        if (&pcpus[i] != this_pcpu() && pcpus[i].online)
            lapic_send_nmi(pcpus[i].apic_id);
    machine_exit(KMV_EXIT_PANIC);
}

_Noreturn void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    kmv_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk("\n*** kmapvisor PANIC on CPU %u: %s\n", this_pcpu()->id, buf);
    hypervisor_panic_exit();
}

static _Noreturn void host_fault(struct trap_frame *f)
{
    printk("\n*** kmapvisor PANIC: %s (vector %llu) in the hypervisor on CPU %u\n",
           f->vector < 32 && exception_names[f->vector] ? exception_names[f->vector] : "exception",
           (unsigned long long)f->vector, this_pcpu()->id);
    dump_frame(f);
    hypervisor_panic_exit();
}

static void guest_exception(struct vcpu *v, struct trap_frame *f)
{
    unsigned vec = (unsigned)f->vector;
    bool has_err = vec == 8 || (vec >= 10 && vec <= 14) || vec == 17;
    if (vec == 14)
        v->info->arch.cr2 = (uint32_t)read_cr2();
    if (!guest_bounce(v, vec, has_err, (uint32_t)f->error_code)) {
        const char *name = vec < 32 && exception_names[vec] ? exception_names[vec] : "exception";
        if (vec == 14)
            domain_crash(v, "unhandled %s at eip %#x (cr2 %#x, error %#x): no handler in the trap table",
                         name, (uint32_t)f->rip, v->info->arch.cr2, (uint32_t)f->error_code);
        domain_crash(v, "unhandled %s (vector %u, error %#x) at eip %#x: no handler in the trap table",
                     name, vec, (uint32_t)f->error_code, (uint32_t)f->rip);
    }
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
    struct vcpu *v = this_pcpu()->curr;
    if (!v) /* nobody is being entered: it is ours after all */
        host_fault(f);
    const char *name = exception_names[f->vector];
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
    if (unlikely(probe_active) && f->vector == VEC_HYPERCALL)
        probe_resume(); /* the boot-time compat probe came back (probe.c) */
    struct pcpu *p = this_pcpu();
    bool from_guest = (f->cs & 3) != 0;
    struct vcpu *v = from_guest ? p->curr : NULL;

    if (f->vector == 2) { /* NMI: only used to stop CPUs on a panic */
        if (panicking)
            for (;;)
                halt();
        return;
    }
    if (!from_guest && is_guest_state_fault((unsigned)f->vector)) {
        const struct exfix *e = exfix_find(f->rip);
        if (e)
            guest_state_fault(f, e);
    }
    if (from_guest)
        v->regs = *f;

    switch (f->vector) {
    case VEC_TIMER:
        lapic_eoi();
        sched_tick(p);
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
            if (f->vector == 1 && v->sstep_active)
                sstep_debug_trap(v); /* the test mode's, not the guest's */
            else
                guest_exception(v, f);
        } else {
            printk("kmapvisor: unexpected interrupt vector %llu\n", (unsigned long long)f->vector);
            lapic_eoi();
        }
        break;
    }

    if (from_guest)
        sched_exit_to_guest(p, f);
}
