/* SPDX-License-Identifier: GPL-2.0-only */
/* Tests of the PV platform: boot, a crash, hypercall errors, a hang. */
#include "pv.h"

_Noreturn void test_kmap(void);

/* --- test=boot: every vCPU takes timer events, then power off. --- */
#define BOOT_TICKS 20
static volatile unsigned long ticks[MAX_CPUS];
static volatile unsigned cpus_done;

static void timer_handler(struct irq_frame *f)
{
    (void)f;
    unsigned cpu = smp_processor_id();
    ticks[cpu]++;
    timer_arm_in(1000000); /* 1 ms */
}

static void take_timer_events(void)
{
    unsigned cpu = smp_processor_id();
    plat_bind_timer(timer_handler);
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
    plat_start_secondaries(secondary_boot_test);
    take_timer_events();
    uint64_t t0 = system_time_ns();
    while (READ_ONCE(cpus_done) < plat.nr_cpus) {
        if (system_time_ns() - t0 > 20000000000ull)
            guest_panic("only %u of %u vCPUs finished", cpus_done, plat.nr_cpus);
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    }
    printk("guest: all %u vCPUs up and ticking\n", plat.nr_cpus);
    printk("guest: result: PASS\n");
    plat_shutdown(true);
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
    plat_shutdown(!bad);
}

/* --- test=cpuid: Xen's forced-emulation CPUID shows the hypervisor's
 * view; a plain cpuid still runs. --- */
static void forced_cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("ud2a; .ascii \"xen\"; cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

static _Noreturn void test_cpuid(void)
{
    uint32_t r[4], plain[4];
    unsigned bad = 0;
    forced_cpuid(0x40000000, r);
    char sig[13];
    memcpy(sig, &r[1], 12);
    sig[12] = '\0';
    printk("guest: cpuid 0x40000000 (forced): max %#x, \"%s\"\n", r[0], sig);
    bad += strcmp(sig, "XenVMMXenVMM") != 0 || r[0] < 0x40000002;
    forced_cpuid(0x40000001, r);
    printk("guest: cpuid 0x40000001 (forced): version %u.%u\n", r[0] >> 16, r[0] & 0xffff);
    bad += r[0] != ((4u << 16) | 17);
    forced_cpuid(1, r);
    __asm__ volatile("cpuid" : "=a"(plain[0]), "=b"(plain[1]), "=c"(plain[2]), "=d"(plain[3]) : "a"(1), "c"(0));
    printk("guest: cpuid 1: forced ecx %#x edx %#x, plain ecx %#x edx %#x\n", r[2], r[3], plain[2], plain[3]);
    bad += !(r[2] & (1u << 31)) || (r[3] & (1u << 9)) || r[0] != plain[0];
    printk("guest: result: %s\n", bad ? "FAIL" : "PASS");
    plat_shutdown(!bad);
}

/* --- test=intn: `int $0x80` to a trap-table entry of DPL 3 is a software
 * interrupt (Xen's rule), its handler returns past it; `int $0x81`, with
 * no entry, is a #GP with error code 0x81 * 8 + 2. --- */
extern char intn_handler[];
static volatile unsigned intn_count;
__asm__(".text\n"
        "intn_handler:\n"
        "    lock incl intn_count\n"
        "    jmp hypercall_page + 23 * 32\n"); /* the iret hypercall */

static _Noreturn void test_intn(void)
{
    static trap_info_t t[] = { { 0x80, 3, FLAT_RING1_CS, 0 }, { 0, 0, 0, 0 } };
    t[0].address = (unsigned long)intn_handler;
    long r = HYPERVISOR_set_trap_table(t);
    for (int i = 0; i < 3; i++)
        __asm__ volatile("int $0x80" ::: "memory");
    printk("guest: int $0x80 x3 -> %u software interrupts (set_trap_table %ld)\n", intn_count, r);
    if (intn_count != 3 || r)
        guest_panic("int $0x80 was not a software interrupt");
    printk("guest: int $0x81, no handler: expect #GP error 0x40a\n");
    __asm__ volatile("int $0x81" ::: "memory");
    guest_panic("int $0x81 came back");
}

/* --- test=cr: control registers from ring 1, emulated as Xen does. --- */
uint32_t probe_unmapped(uint32_t addr);
static uint32_t rd_cr0(void) { uint32_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static uint32_t rd_cr2(void) { uint32_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static uint32_t rd_cr3(void) { uint32_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static uint32_t rd_cr4(void) { uint32_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }

static _Noreturn void test_cr(void)
{
    unsigned bad = 0;
    uint32_t cr0 = rd_cr0(), cr4 = rd_cr4();
    bad += !(cr0 & 0x80000001u) || (cr0 & 8) || !(cr4 & (1u << 5));
    hypercall1(__HYPERVISOR_fpu_taskswitch, 1);
    unsigned ts_set = (rd_cr0() >> 3) & 1;
    __asm__ volatile("clts");
    unsigned ts_clear = (rd_cr0() >> 3) & 1;
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | 8));
    unsigned ts_mov = (rd_cr0() >> 3) & 1;
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4)); /* the same value: permitted */
    uint32_t got = probe_unmapped(0x40000000u);     /* a #PF the kernel fixes up */
    uint32_t cr2 = rd_cr2();
    bad += ts_set != 1 || ts_clear != 0 || ts_mov != 1 || cr2 != 0x40000000u || got != 0xfa17u || !rd_cr3();
    printk("guest: cr: cr0 %#x cr2 %#x cr3 %#x cr4 %#x; TS after fpu_taskswitch(1) %u, clts %u, mov %u\n", cr0, cr2,
           rd_cr3(), cr4, ts_set, ts_clear, ts_mov);
    printk("guest: result: %s\n", bad ? "FAIL" : "PASS");
    plat_shutdown(!bad);
}

/* --- test=debugreg: an instruction breakpoint through set_debugreg fires
 * a #DB in the guest, whose handler reads DR6 and disarms DR7. --- */
extern char dbg_handler[], dbg_target[];
static volatile unsigned dbg_count;
__asm__(".text\n"
        "dbg_handler:\n"
        "    lock incl dbg_count\n"
        "    push %ebx; push %ecx; push %eax\n"
        "    mov $8, %eax; mov $7, %ebx; xor %ecx, %ecx; int $0x82\n" /* set_debugreg(7, 0) */
        "    pop %eax; pop %ecx; pop %ebx\n"
        "    jmp hypercall_page + 23 * 32\n"
        "dbg_target:\n"
        "    ret\n");

static _Noreturn void test_debugreg(void)
{
    static trap_info_t t[] = { { 1, 0, FLAT_RING1_CS, 0 }, { 0, 0, 0, 0 } };
    t[0].address = (unsigned long)dbg_handler;
    unsigned bad = HYPERVISOR_set_trap_table(t) != 0;
    bad += hypercall2(__HYPERVISOR_set_debugreg, 0, (unsigned long)dbg_target) != 0;
    bad += hypercall2(__HYPERVISOR_set_debugreg, 7, 1) != 0;  /* L0, execute, 1 byte */
    bad += hypercall1(__HYPERVISOR_get_debugreg, 0) != (long)dbg_target;
    ((void (*)(void))dbg_target)();                            /* the breakpoint */
    long dr6 = hypercall1(__HYPERVISOR_get_debugreg, 6);
    ((void (*)(void))dbg_target)();                            /* disarmed: no second #DB */
    printk("guest: debugreg: %u #DB, dr6 %#lx, dr7 now %#lx\n", dbg_count, dr6,
           hypercall1(__HYPERVISOR_get_debugreg, 7));
    bad += dbg_count != 1 || !(dr6 & 1);
    printk("guest: result: %s\n", bad ? "FAIL" : "PASS");
    plat_shutdown(!bad);
}

/* --- test=initrd: the module the builder placed, by start_info. --- */
static _Noreturn void test_initrd(void)
{
    const uint8_t *p = (const uint8_t *)start_info->mod_start;
    uint32_t h = 2166136261u; /* FNV-1a */
    for (uint32_t i = 0; i < start_info->mod_len; i++)
        h = (h ^ p[i]) * 16777619u;
    printk("guest: initrd: %u bytes at %#x, fnv1a %08x\n", (unsigned)start_info->mod_len,
           (unsigned)start_info->mod_start, h);
    printk("guest: result: %s\n", start_info->mod_len ? "PASS" : "FAIL");
    plat_shutdown(start_info->mod_len != 0);
}

_Noreturn void plat_run_test(const char *test)
{
    if (!strcmp(test, "initrd"))
        test_initrd();
    if (!strcmp(test, "intn"))
        test_intn();
    if (!strcmp(test, "cr"))
        test_cr();
    if (!strcmp(test, "debugreg"))
        test_debugreg();
    if (!strcmp(test, "cpuid"))
        test_cpuid();
    if (!strcmp(test, "boot"))
        test_boot();
    if (!strcmp(test, "crash"))
        test_crash();
    if (!strcmp(test, "hypercall"))
        test_hypercall();
    if (!strcmp(test, "kmap"))
        test_kmap();
    if (!strcmp(test, "xenstore")) { _Noreturn void test_xenstore(void); test_xenstore(); }
    if (!strcmp(test, "console")) { _Noreturn void test_console(void); test_console(); }
    if (!strcmp(test, "hostile")) { _Noreturn void test_hostile(void); test_hostile(); }
    if (!strcmp(test, "mmu")) { _Noreturn void test_mmu(void); test_mmu(); }
    if (!strcmp(test, "ptwr")) { _Noreturn void test_ptwr(void); test_ptwr(); }
    if (!strcmp(test, "desc")) { _Noreturn void test_desc(void); test_desc(); }
    if (!strcmp(test, "hang")) {
        printk("guest: hanging on purpose\n");
        for (;;)
            cpu_relax();
    }
    guest_panic("unknown test '%s' (boot, crash, hypercall, kmap, hang)", test);
}
