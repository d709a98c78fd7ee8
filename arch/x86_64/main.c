/* SPDX-License-Identifier: GPL-2.0-only */
/* The boot CPU's path from long mode to the first guest instruction. */
#include "arch.h"
#include "hypervisor/domain.h"
#include "pv/pv.h"
#include <kmapvisor/abi.h>

static void kick_cpu(unsigned cpu)
{
    if (cpu < nr_pcpus)
        kick_pcpu(&pcpus[cpu]);
}

static unsigned this_cpu(void)
{
    return this_pcpu()->id;
}

const struct hv_platform x86_platform = {
    .console_write = serial_write,
    .now_ns = now_ns,
    .kick_cpu = kick_cpu,
    .dump_vcpu = pv_dump_vcpu,
    .machine_exit = machine_exit,
    .this_cpu = this_cpu,
    .stop_other_cpus = stop_other_cpus,
    .console_getc = serial_getc,
};

extern uint32_t mb_magic_saved, mb_info_saved;
static struct domain dom0_storage;

static const char *accel_name(unsigned a)
{
    return a == KMV_ACCEL_KVM ? "kvm" : a == KMV_ACCEL_TCG ? "tcg" : "unknown";
}

/* The guest's command line is the module's string without its first
 * word (QEMU passes "file arg arg ..."). */
static const char *module_args(const char *s)
{
    const char *sp = strchr(s, ' ');
    if (!sp)
        return "";
    while (*sp == ' ')
        sp++;
    return sp;
}

_Noreturn void bsp_main(void);
_Noreturn void bsp_main(void)
{
    struct pcpu *p = &pcpus[0];
    p->self = p;
    p->id = 0;
    *(struct pcpu **)pcpu_stacks[0] = p;
    platform = &x86_platform;
    serial_init();
    printk("kmapvisor: x86-64 PV hypervisor for 32-bit guests\n");
    idt_init();
    cpu_tables_load(p);
    /* Before anything slow: can this machine run compat ring 1 at all? */
    printk("kmapvisor: probing compat-mode ring-1 entry on %s\n", accel_name(detect_accel()));
    probe_guest_mode();
    printk("kmapvisor: compat-mode probe passed\n");
    memory_init(mb_magic_saved, mb_info_saved);
    printk("kmapvisor: command line: %s\n", hv_cmdline);
    printk("kmapvisor: accelerator: %s\n", accel_name(detect_accel()));
    lapic_init_bsp();
    time_init();
    sched_register_cpu(&p->sched);
    p->sched.online = true;
    smp_boot_aps();
    lapic_init_cpu();

    /* A test hook: the panic path and its exit status, on request. */
    if (strstr(hv_cmdline, "debug.panic=1"))
        panic("debug.panic=1 on the command line");

    struct domain_config cfg;
    char why[160];
    if (!domain_config_from_cmdline(hv_cmdline, &cfg, why, sizeof(why))) {
        printk("kmapvisor: bad configuration: %s\n", why);
        machine_exit(KMV_EXIT_BUILD);
    }
    if (nr_boot_modules == 0) {
        printk("kmapvisor: no guest image (pass it as a multiboot module)\n");
        machine_exit(KMV_EXIT_BUILD);
    }
    /* Module 0 is the guest, module 1 (if any) its initrd. */
    const struct boot_module *m = &boot_modules[0], *m1 = &boot_modules[1];
    struct boot_blob kernel = { phys_to_virt(m->start), m->end - m->start }, initrd = { NULL, 0 };
    if (nr_boot_modules > 1)
        initrd = (struct boot_blob){ phys_to_virt(m1->start), m1->end - m1->start };
    if (domain_build(&dom0_storage, &cfg, kernel, initrd, module_args(m->cmdline), why, sizeof(why))) {
        printk("kmapvisor: cannot build domain 0: %s\n", why);
        machine_exit(KMV_EXIT_BUILD);
    }
    dom0 = &dom0_storage;
    vcpu_up(&dom0->vcpu[0]);
    pv_idle_loop(p);
}
