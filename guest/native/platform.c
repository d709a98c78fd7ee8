/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The native platform: the same kernel on the bare (virtual) machine, in
 * ring 0 with 32-bit PAE paging of its own, the LAPIC timer and IPIs, and
 * the native kmap_local backend writing its own window PTEs.  This is the
 * baseline kmapvisor's paravirtual mapping is measured against.
 *
 * Assumptions (QEMU's defaults): APIC ids 0..N-1 with N from the command
 * line (cpus=N), COM1 console, isa-debug-exit at 0xf4.
 */
#include "native.h"
#include <kmapvisor/abi.h>
#include <kmap_backends.h>

uint8_t native_boot_stack[STACK_SIZE] __attribute__((aligned(STACK_SIZE)));

/* ---- port I/O, console, exit ---- */
static inline void outb(uint16_t p, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(p)); }
static inline uint8_t inb(uint16_t p) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline void outl(uint16_t p, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(p)); }

static volatile int console_lock;
void plat_console_write(const char *s, unsigned len)
{
    unsigned long flags = local_irq_save();
    while (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE))
        cpu_relax();
    for (unsigned i = 0; i < len; i++) {
        if (s[i] == '\n') {
            while (!(inb(0x3fd) & 0x20))
                ;
            outb(0x3f8, '\r');
        }
        while (!(inb(0x3fd) & 0x20))
            ;
        outb(0x3f8, (uint8_t)s[i]);
    }
    __atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
    local_irq_restore(flags);
}

_Noreturn void plat_shutdown(bool success)
{
    outl(KMV_DEBUG_EXIT_PORT, success ? KMV_EXIT_POWEROFF : KMV_EXIT_CRASH);
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* ---- LAPIC and time ---- */
#define LAPIC_VA 0xfee00000u
static inline volatile uint32_t *lapic(unsigned off) { return (volatile uint32_t *)(LAPIC_VA + off); }
static uint64_t tsc0;
/* ns = (ticks << shift) * mul >> 32, as a PV guest reads its clock (and
 * Linux's clocksource does): two multiplies, no division, so the native
 * scheduler costs what the PV one does.  mul and shift: time_init. */
static uint32_t tsc_mul;
static unsigned tsc_shift;
static uint32_t lapic_per_ms;

static void pit_wait_ms(unsigned ms)
{
    uint16_t count = (uint16_t)(1193182u * ms / 1000);
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);
    outb(0x43, 0xb0);
    outb(0x42, count & 0xff);
    outb(0x42, count >> 8);
    while (!(inb(0x61) & 0x20))
        cpu_relax();
}

static void time_init(void)
{
    *lapic(0x3e0) = 0x3;             /* divide by 16 */
    *lapic(0x320) = 1 << 16;         /* masked */
    *lapic(0x380) = 0xffffffffu;
    uint64_t t0 = rdtsc();
    pit_wait_ms(20);
    uint64_t t1 = rdtsc();
    uint32_t elapsed = 0xffffffffu - *lapic(0x390);
    *lapic(0x380) = 0;
    plat.tsc_khz = (uint32_t)div_u64(t1 - t0, 20);
    lapic_per_ms = elapsed / 20;
    /* mul = 10^6 * 2^32 / kHz, halved (and shift raised) until it fits 32 bits */
    uint64_t mul = div_u64(1000000ull << 32, plat.tsc_khz ? plat.tsc_khz : 1);
    for (tsc_shift = 0; mul > 0xffffffffull; tsc_shift++)
        mul >>= 1;
    tsc_mul = (uint32_t)mul;
    tsc0 = rdtsc();
    printk("native: TSC %u kHz, LAPIC timer %u counts/ms\n", (unsigned)plat.tsc_khz, (unsigned)lapic_per_ms);
}


uint64_t system_time_ns(void)
{
    uint64_t delta = (rdtsc() - tsc0) << tsc_shift;
    uint64_t lo = (uint64_t)(uint32_t)delta * tsc_mul;
    uint64_t hi = (delta >> 32) * tsc_mul;
    return hi + (lo >> 32);
}

void timer_arm_in(uint64_t ns)
{
    uint64_t count = div_u64(ns * lapic_per_ms, 1000000u);
    *lapic(0x320) = 0xf0;            /* one shot, vector 0xf0 */
    *lapic(0x380) = count ? (uint32_t)count : 1;
}

static void lapic_cpu_init(void)
{
    *lapic(0xf0) = 0x100 | 0xff;     /* enabled, spurious vector 0xff */
    *lapic(0x3e0) = 0x3;
    *lapic(0x320) = 1 << 16;
}

static void lapic_ipi(unsigned apic_id, uint32_t icr)
{
    while (*lapic(0x300) & (1 << 12))
        cpu_relax();
    *lapic(0x310) = apic_id << 24;
    *lapic(0x300) = icr;
}

/* ---- interrupts ---- */
static irq_handler_t timer_handler[MAX_CPUS], ipi_handler[MAX_CPUS];

void plat_bind_timer(irq_handler_t h) { timer_handler[smp_processor_id()] = h; }
void plat_bind_ipi(unsigned cpu, irq_handler_t h) { ipi_handler[cpu] = h; }
void plat_send_ipi(unsigned cpu) { lapic_ipi(cpu, 0xf1); }

void native_irq(struct irq_frame *f, unsigned vector);
void native_irq(struct irq_frame *f, unsigned vector)
{
    unsigned cpu = smp_processor_id();
    *lapic(0xb0) = 0; /* EOI first: a switch from irq_exit_hook must not block the next tick */
    irq_enter();
    irq_handler_t h = vector == 0xf0 ? timer_handler[cpu] : ipi_handler[cpu];
    if (h)
        h(f);
    irq_leave();
    irq_exit_hook(f);
}

void plat_idle(void)
{
    __asm__ volatile("sti; hlt; cli" ::: "memory");
}

uint32_t plat_fault_address(void)
{
    uint32_t cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    return cr2;
}

void exception_handler(struct exc_frame *f);
void exception_handler(struct exc_frame *f)
{
    if (f->vector == 14) {
        irq_enter();
        bool handled = page_fault_hook(f);
        irq_leave();
        if (handled)
            return;
    }
    printk("native: unhandled exception %u (error %x) at eip %x, cr2 %x\n", f->vector, f->error, f->eip,
           (unsigned)plat_fault_address());
    plat_shutdown(false);
}

void plat_sstep(unsigned begin) { (void)begin; }
void plat_counters(struct plat_counters *c)
{
    *c = (struct plat_counters){ 0, 0, native_pte_writes, native_flushes, native_cr3_loads };
}

const struct kmap_local_backend *plat_kmap_backend(const char *name)
{
    return strcmp(name, "native") ? NULL : &kmap_backend_native;
}

_Noreturn void plat_run_test(const char *test)
{
    if (!strcmp(test, "boot")) {
        printk("guest: native boot on %u CPU(s), TSC %u kHz\n", plat.nr_cpus, (unsigned)plat.tsc_khz);
        printk("guest: result: PASS\n");
        plat_shutdown(true);
    }
    guest_panic("unknown test '%s' (native has: boot)", test);
}

/* ---- SMP ---- */
extern char ap_trampoline[], ap_trampoline_end[], ap_tr_cr3[], ap_tr_stack[], ap_tr_entry[];
static uint8_t ap_stacks[MAX_CPUS][STACK_SIZE] __attribute__((aligned(STACK_SIZE)));
static void (*ap_fn)(void);
static volatile unsigned aps_up;

static void udelay(unsigned us)
{
    uint64_t end = rdtsc() + div_u64((uint64_t)plat.tsc_khz * us, 1000);
    while (rdtsc() < end)
        cpu_relax();
}

void native_ap_main(void);
void native_ap_main(void)
{
    unsigned cpu = smp_processor_id();
    native_cpu_tables(cpu);
    lapic_cpu_init();
    __atomic_add_fetch(&aps_up, 1, __ATOMIC_SEQ_CST);
    ap_fn();
    for (;;)
        plat_idle();
}

void plat_start_secondaries(void (*fn)(void))
{
    ap_fn = fn;
    uint8_t *tramp = (uint8_t *)(0xc0000000u + 0x8000);
    memcpy(tramp, ap_trampoline, (size_t)(ap_trampoline_end - ap_trampoline));
    for (unsigned cpu = 1; cpu < plat.nr_cpus; cpu++) {
        cpu_set_thread_info(ap_stacks[cpu], cpu);
        *(uint32_t *)(tramp + (ap_tr_cr3 - ap_trampoline)) = native_cr3(cpu);
        *(uint32_t *)(tramp + (ap_tr_stack - ap_trampoline)) = (uint32_t)(ap_stacks[cpu] + STACK_SIZE);
        *(uint32_t *)(tramp + (ap_tr_entry - ap_trampoline)) = (uint32_t)native_ap_main;
        unsigned before = aps_up;
        lapic_ipi(cpu, 0x4500);           /* INIT */
        udelay(10000);
        for (int i = 0; i < 2; i++) {
            lapic_ipi(cpu, 0x4600 | 0x08); /* STARTUP at 0x8000 */
            udelay(200);
        }
        for (int t = 0; t < 100000 && aps_up == before; t++)
            udelay(10);
        if (aps_up == before)
            guest_panic("CPU %u did not start", cpu);
    }
}

/* ---- boot ---- */
struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
};

void native_main(uint32_t mbi_pa);
void native_main(uint32_t mbi_pa)
{
    cpu_set_thread_info(native_boot_stack, 0);
    outb(0x3f9, 0); outb(0x3fb, 0x80); outb(0x3f8, 1); outb(0x3f9, 0); outb(0x3fb, 3);
    const struct mb_info *mbi = (const void *)(0xc0000000u + mbi_pa);
    if (mbi->flags & (1 << 2)) {
        const char *cl = (const char *)(0xc0000000u + mbi->cmdline);
        /* QEMU passes the kernel's path first: skip it. */
        while (*cl && *cl != ' ')
            cl++;
        while (*cl == ' ')
            cl++;
        memcpy(boot_cmdline, cl, strlen(cl) < sizeof(boot_cmdline) ? strlen(cl) : sizeof(boot_cmdline) - 1);
    }
    uint32_t ram_top = (mbi->mem_upper + 1024) * 1024; /* bytes below the first hole above 1 MiB */
    uint32_t lowmem = (uint32_t)boot_arg_uint("lowmem_mb", 128) << 20;
    if (lowmem > (768u << 20))
        lowmem = 768u << 20;
    if (lowmem + (4u << 20) > ram_top)
        guest_panic("lowmem %u MiB does not fit in %u MiB of RAM", lowmem >> 20, ram_top >> 20);
    plat = (struct platform_info){
        .name = "native",
        .nr_cpus = (unsigned)boot_arg_uint("cpus", 1),
        .virt_base = 0xc0000000u,
        .lowmem_pages = lowmem >> PAGE_SHIFT,
        .first_highmem_pfn = lowmem >> PAGE_SHIFT,
        .nr_usable_pages = ram_top >> PAGE_SHIFT,
        .window_base = KMV_WINDOW_BASE,
        .window_stride = PAGE_SIZE,
        .window_slots = (uint32_t)boot_arg_uint("slots", KMV_DEFAULT_SLOTS),
    };
    if (plat.nr_cpus < 1 || plat.nr_cpus > MAX_CPUS)
        plat.nr_cpus = 1;
    if (plat.window_slots < 1 || plat.window_slots > KMV_MAX_SLOTS)
        plat.window_slots = KMV_DEFAULT_SLOTS;
    native_mm_init();
    kmap_backend_native_register(&native_kmap_ops);
    native_cpu_tables(0);
    outb(0x21, 0xff);
    outb(0xa1, 0xff); /* the legacy PICs stay masked */
    lapic_cpu_init();
    time_init();
    kernel_start();
}

void plat_traps_init(void) { }
