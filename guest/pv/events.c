/* SPDX-License-Identifier: GPL-2.0-only */
/* Event channels, the guest side: the upcall scans pending ports. */
#include "pv.h"

static irq_handler_t handlers[1024];
/* Which vCPU each port notifies: the pending words are shared by all
 * vCPUs, and each must take only its own ports (as Linux's per-CPU
 * event masks do). */
static uint32_t cpu_ports[MAX_CPUS][32];

void event_bind(unsigned port, irq_handler_t handler)
{
    event_bind_cpu(port, smp_processor_id(), handler);
}

void event_bind_cpu(unsigned port, unsigned cpu, irq_handler_t handler)
{
    handlers[port] = handler;
    __atomic_fetch_or(&cpu_ports[cpu][port / 32], 1u << (port % 32), __ATOMIC_SEQ_CST);
}

void event_unmask(unsigned port)
{
    evtchn_unmask_t u = { .port = port };
    __atomic_fetch_and(&shared->evtchn_mask[port / 32], ~(1u << (port % 32)), __ATOMIC_SEQ_CST);
    HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &u);
}

unsigned bind_timer_virq(unsigned cpu)
{
    evtchn_bind_virq_t b = { .virq = VIRQ_TIMER, .vcpu = cpu };
    long r = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b);
    if (r)
        guest_panic("bind_virq(timer, vcpu %u) failed: %ld", cpu, r);
    return b.port;
}

unsigned bind_ipi(unsigned cpu)
{
    evtchn_bind_ipi_t b = { .vcpu = cpu };
    long r = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &b);
    if (r)
        guest_panic("bind_ipi(vcpu %u) failed: %ld", cpu, r);
    return b.port;
}

void send_event(unsigned port)
{
    evtchn_send_t s = { .port = port };
    HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

/* Called from upcall_entry with events masked. */
void upcall_handler(struct irq_frame *f);
void upcall_handler(struct irq_frame *f)
{
    irq_enter();
    vcpu_info_t *vi = this_vcpu_info();
    const uint32_t *mine = cpu_ports[smp_processor_id()];
    while (__atomic_exchange_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST)) {
        uint32_t sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while (sel) {
            unsigned w = (unsigned)__builtin_ctz(sel);
            sel &= sel - 1;
            uint32_t bits;
            while ((bits = READ_ONCE(shared->evtchn_pending[w]) & ~READ_ONCE(shared->evtchn_mask[w]) &
                           READ_ONCE(mine[w]))) {
                unsigned port = w * 32 + (unsigned)__builtin_ctz(bits);
                __atomic_fetch_and(&shared->evtchn_pending[w], ~(1u << (port % 32)), __ATOMIC_SEQ_CST);
                if (handlers[port])
                    handlers[port](f);
            }
        }
    }
    irq_leave();
    irq_exit_hook(f);
}

/* The platform interface: timer VIRQs and IPI ports. */
static unsigned ipi_port[MAX_CPUS];

void plat_bind_timer(irq_handler_t handler)
{
    unsigned cpu = smp_processor_id();
    unsigned port = bind_timer_virq(cpu);
    event_bind(port, handler);
    event_unmask(port);
}

void plat_bind_ipi(unsigned cpu, irq_handler_t handler)
{
    ipi_port[cpu] = bind_ipi(cpu);
    event_bind_cpu(ipi_port[cpu], cpu, handler);
    event_unmask(ipi_port[cpu]);
}

void plat_send_ipi(unsigned cpu)
{
    send_event(ipi_port[cpu]);
}
