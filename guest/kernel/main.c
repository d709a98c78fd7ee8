/* The mini guest's boot path and its built-in test programs. */
#include "kernel.h"

start_info_t *start_info;
shared_info_t *shared;
const struct kmv_start_ext *kmv_ext;
char boot_cmdline[1024];
unsigned nr_cpus = 1;

uint8_t boot_thread_stack[STACK_SIZE] __attribute__((aligned(STACK_SIZE)));


_Noreturn void test_kmap(void);

#include "workload.h"

static _Noreturn void run_workload(const char *name)
{
    static char backend[8] = "pv", variant[16] = "perentry";
    static struct workload_config cfg;
    cmdline_get("backend", backend, sizeof(backend));
    cmdline_get("variant", variant, sizeof(variant));
    cfg.tasks_per_cpu = (unsigned)cmdline_uint("tasks", 3);
    cfg.duration_ms = (unsigned)cmdline_uint("duration", 3000);
    cfg.seed = (uint32_t)cmdline_uint("seed", 1);
    cfg.batched = !strcmp(variant, "batched");
    cfg.backend = backend;
    if (!cfg.batched && strcmp(variant, "perentry"))
        guest_panic("variant=%s: must be perentry or batched", variant);
    if (cfg.tasks_per_cpu < 1 || cfg.tasks_per_cpu * nr_cpus > 60)
        guest_panic("tasks=%u: must be 1..%u per vCPU", cfg.tasks_per_cpu, 60 / nr_cpus);
    kmap_select_backend(backend, cfg.batched);
    if (!strcmp(name, "stress"))
        workload_stress(&cfg);
    if (!strcmp(name, "selftest"))
        workload_selftest(&cfg);
    guest_panic("unknown workload '%s' (stress or selftest)", name);
}

/* --- test=boot: every vCPU takes timer events, then power off. --- */
#define BOOT_TICKS 20
static volatile unsigned long ticks[MAX_CPUS];
static volatile unsigned cpus_done;
static unsigned timer_port[MAX_CPUS];

static void timer_handler(unsigned port, struct irq_frame *f)
{
    (void)port;
    (void)f;
    unsigned cpu = smp_processor_id();
    ticks[cpu]++;
    timer_arm_in(1000000); /* 1 ms */
}

static void take_timer_events(void)
{
    unsigned cpu = smp_processor_id();
    timer_port[cpu] = bind_timer_virq(cpu);
    event_bind(timer_port[cpu], timer_handler);
    event_unmask(timer_port[cpu]);
    local_irq_enable();
    timer_arm_in(1000000);
    while (ticks[cpu] < BOOT_TICKS)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL); /* wakes on the timer event */
    printk("guest: vcpu %u received %lu timer events\n", cpu, ticks[cpu]);
    __atomic_fetch_add(&cpus_done, 1, __ATOMIC_SEQ_CST);
}

static void secondary_boot_test(void)
{
    take_timer_events();
}

static _Noreturn void test_boot(void)
{
    smp_boot_secondaries(secondary_boot_test);
    take_timer_events();
    uint64_t t0 = system_time_ns();
    while (READ_ONCE(cpus_done) < nr_cpus) {
        if (system_time_ns() - t0 > 20000000000ull)
            guest_panic("only %u of %u vCPUs finished", cpus_done, nr_cpus);
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    }
    printk("guest: all %u vCPUs up and ticking\n", nr_cpus);
    printk("guest: result: PASS\n");
    HYPERVISOR_shutdown(SHUTDOWN_poweroff);
}

/* --- test=crash: a page fault with no handler: the domain is stopped. --- */
static _Noreturn void test_crash(void)
{
    HYPERVISOR_set_trap_table(NULL);
    printk("guest: touching an unmapped address with no trap table\n");
    *(volatile uint32_t *)0x1000 = 1;
    guest_panic("the fault did not stop the domain");
}

/* --- test=hypercall: unknown numbers and bad arguments come back as errors. --- */
static _Noreturn void test_hypercall(void)
{
    static const unsigned unknown[] = { 11, 47, 56, 200, 0xffffffffu };
    unsigned bad = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(unknown); i++) {
        long r = hypercall0(unknown[i]);
        printk("guest: hypercall %u returned %ld\n", unknown[i], r);
        bad += r != -38;
    }
    long r = HYPERVISOR_console_write((const char *)0x1000, 16);
    printk("guest: console_io with an unmapped buffer returned %ld\n", r);
    bad += r != -14;
    r = HYPERVISOR_vcpu_op(VCPUOP_up, 99, NULL);
    printk("guest: vcpu_op(up, 99) returned %ld\n", r);
    bad += r != -2;
    r = HYPERVISOR_xen_version(XENVER_version, NULL);
    printk("guest: xen_version = %lx\n", r);
    bad += r != 0x40011;
    printk("guest: result: %s\n", bad ? "FAIL" : "PASS");
    HYPERVISOR_shutdown(bad ? SHUTDOWN_crash : SHUTDOWN_poweroff);
}

void kernel_main(start_info_t *si);
void kernel_main(start_info_t *si)
{
    start_info = si;
    cpu_set_thread_info(boot_thread_stack, 0); /* entry.S put us on this stack */
    memcpy(boot_cmdline, si->cmd_line, sizeof(boot_cmdline) - 1);
    kmv_ext = (const void *)((const char *)si + KMV_START_EXT_OFFSET);
    /* shared_info is given as a machine address: find its pfn. */
    const uint32_t *p2m = (const uint32_t *)si->mfn_list;
    for (uint32_t pfn = 0; pfn < si->nr_pages; pfn++)
        if (p2m[pfn] == si->shared_info >> PAGE_SHIFT)
            shared = (shared_info_t *)(0xc0000000u + pfn * PAGE_SIZE);
    if (!shared)
        HYPERVISOR_shutdown(SHUTDOWN_crash);
    nr_cpus = kmv_ext->magic == KMV_START_EXT_MAGIC ? kmv_ext->nr_vcpus : 1;
    printk("guest: kmapvisor mini guest, %u vCPU(s), %u pages, cmdline '%s'\n", nr_cpus,
           (unsigned)si->nr_pages, boot_cmdline);
    traps_init();

    char test[32];
    if (cmdline_get("workload", test, sizeof(test)))
        run_workload(test);
    if (!cmdline_get("test", test, sizeof(test)))
        memcpy(test, "boot", 5);
    if (!strncmp(test, "boot", 5))
        test_boot();
    if (!strncmp(test, "crash", 6))
        test_crash();
    if (!strncmp(test, "hypercall", 10))
        test_hypercall();
    if (!strncmp(test, "kmap", 5))
        test_kmap();
    if (!strncmp(test, "hang", 5)) {
        printk("guest: hanging on purpose\n");
        for (;;)
            cpu_relax();
    }
    guest_panic("unknown test '%s'", test);
}
