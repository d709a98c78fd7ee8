/* SPDX-License-Identifier: GPL-2.0-only */
/* Bring up the application processors found in the MADT. */
#include "arch.h"

struct pcpu pcpus[MAX_PCPUS];
unsigned nr_pcpus = 1;
uint8_t pcpu_stacks[MAX_PCPUS][STACK_SIZE] __attribute__((aligned(STACK_SIZE)));

extern char trampoline_start[], trampoline_end[], tr_cr3[], tr_stack[], tr_entry[];
extern char boot_pml4[];
void ap_main(void);

/* Entered from the trampoline on the AP's own stack, boot page tables. */
_Noreturn void ap_entry(void);
_Noreturn void ap_entry(void)
{
    write_cr3(kernel_cr3);
    struct pcpu *p = this_pcpu();
    cpu_tables_load(p);
    lapic_init_cpu();
    p->sched.id = p->id;
    sched_register_cpu(&p->sched);
    WRITE_ONCE(p->sched.online, true);
    pv_idle_loop(p);
}

void kick_pcpu(struct pcpu *p)
{
    if (p != this_pcpu())
        lapic_send_ipi(p->apic_id, VEC_KICK);
}

void smp_boot_aps(void)
{
    uint32_t ids[MAX_PCPUS];
    unsigned n = acpi_find_cpus(ids, MAX_PCPUS);
    uint32_t self = lapic_id();
    pcpus[0].apic_id = self;
    if (n == 0) {
        printk("kmapvisor: no MADT, running on one CPU\n");
        return;
    }
    uint8_t *tramp = phys_to_virt(TRAMPOLINE_PHYS);
    memcpy(tramp, trampoline_start, trampoline_end - trampoline_start);
    for (unsigned i = 0; i < n; i++) {
        if (ids[i] == self || nr_pcpus >= MAX_PCPUS)
            continue;
        struct pcpu *p = &pcpus[nr_pcpus];
        p->self = p;
        p->id = nr_pcpus;
        p->apic_id = ids[i];
        *(struct pcpu **)pcpu_stacks[p->id] = p;
        *(uint64_t *)(tramp + (tr_cr3 - trampoline_start)) = virt_to_phys(boot_pml4);
        *(uint64_t *)(tramp + (tr_stack - trampoline_start)) = (uint64_t)(pcpu_stacks[p->id] + STACK_SIZE);
        *(uint64_t *)(tramp + (tr_entry - trampoline_start)) = (uint64_t)ap_entry;
        lapic_send_init_sipi(ids[i], TRAMPOLINE_PHYS >> 12);
        for (int t = 0; t < 100000 && !READ_ONCE(p->sched.online); t++)
            udelay(10);
        if (!READ_ONCE(p->sched.online)) {
            printk("kmapvisor: CPU with APIC id %u did not start\n", ids[i]);
            continue;
        }
        nr_pcpus++;
    }
    printk("kmapvisor: %u physical CPU(s) online\n", nr_pcpus);
}
