/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Local APIC (xAPIC, MMIO) and time.  The TSC is the clock; it and the
 * LAPIC timer are calibrated once against the PIT.  Every CPU runs a
 * periodic LAPIC tick of TICK_HZ that drives time slices and guest timers.
 */
#include "arch.h"
#include "hypervisor/domain.h"

#define LAPIC_PHYS 0xfee00000ull
#define LAPIC_ID       0x020
#define LAPIC_EOI      0x0b0
#define LAPIC_SVR      0x0f0
#define LAPIC_ICR_LO   0x300
#define LAPIC_ICR_HI   0x310
#define LAPIC_LVT_TMR  0x320
#define LAPIC_TMR_INIT 0x380
#define LAPIC_TMR_CUR  0x390
#define LAPIC_TMR_DIV  0x3e0

uint64_t tsc_khz;
/* System time: ns since tsc_boot, by Xen's vcpu_time_info scale (the
 * guests' formula, so the hypervisor's clock and theirs are one). */
static uint64_t tsc_boot;
static uint32_t time_mul;
static int8_t time_shift;
static uint32_t lapic_ticks_per_tick;

static inline volatile uint32_t *lapic_reg(unsigned off)
{
    return (volatile uint32_t *)phys_to_virt(LAPIC_PHYS + off);
}
static inline uint32_t lapic_read(unsigned off) { return *lapic_reg(off); }
static inline void lapic_write(unsigned off, uint32_t v) { *lapic_reg(off) = v; }

uint32_t lapic_id(void) { return lapic_read(LAPIC_ID) >> 24; }
void lapic_eoi(void) { lapic_write(LAPIC_EOI, 0); }

static void icr_wait(void)
{
    for (int i = 0; i < 1000000 && (lapic_read(LAPIC_ICR_LO) & (1 << 12)); i++)
        cpu_relax();
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
    icr_wait();
    lapic_write(LAPIC_ICR_HI, apic_id << 24);
    lapic_write(LAPIC_ICR_LO, vector); /* fixed, physical, edge */
}

void lapic_send_nmi(uint32_t apic_id)
{
    icr_wait();
    lapic_write(LAPIC_ICR_HI, apic_id << 24);
    lapic_write(LAPIC_ICR_LO, 0x400); /* delivery mode NMI */
}

void lapic_send_init_sipi(uint32_t apic_id, uint8_t page)
{
    icr_wait();
    lapic_write(LAPIC_ICR_HI, apic_id << 24);
    lapic_write(LAPIC_ICR_LO, 0x4500); /* INIT, assert */
    udelay(10000);
    for (int i = 0; i < 2; i++) {
        icr_wait();
        lapic_write(LAPIC_ICR_HI, apic_id << 24);
        lapic_write(LAPIC_ICR_LO, 0x4600 | page); /* STARTUP */
        udelay(200);
    }
}

/* Busy-wait ~ms milliseconds on PIT channel 2 (gate through port 0x61). */
static void pit_wait_ms(unsigned ms)
{
    uint16_t count = (uint16_t)(1193182u * ms / 1000);
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);
    outb(0x43, 0xb0); /* channel 2, lo/hi, mode 0 */
    outb(0x42, count & 0xff);
    outb(0x42, count >> 8);
    while (!(inb(0x61) & 0x20))
        cpu_relax();
}

void time_init(void)
{
    lapic_write(LAPIC_TMR_DIV, 0x3); /* divide by 16 */
    lapic_write(LAPIC_LVT_TMR, 1 << 16); /* masked */
    lapic_write(LAPIC_TMR_INIT, 0xffffffff);
    uint64_t t0 = rdtsc();
    pit_wait_ms(20);
    uint64_t t1 = rdtsc();
    uint32_t elapsed = 0xffffffff - lapic_read(LAPIC_TMR_CUR);
    lapic_write(LAPIC_TMR_INIT, 0);
    tsc_khz = (t1 - t0) / 20;
    lapic_ticks_per_tick = (uint32_t)((uint64_t)elapsed * 50 / TICK_HZ);
    if (!lapic_ticks_per_tick)
        lapic_ticks_per_tick = 1;
    time_scale(tsc_khz * 1000, &time_mul, &time_shift);
    tsc_boot = rdtsc();
    printk("kmapvisor: TSC %llu kHz, LAPIC timer %u counts per %u Hz tick\n",
           (unsigned long long)tsc_khz, lapic_ticks_per_tick, TICK_HZ);
}

uint64_t now_ns(void)
{
    return tsc_to_ns(rdtsc());
}

uint64_t tsc_at_boot(void) { return tsc_boot; }

uint64_t tsc_to_ns(uint64_t tsc)
{
    return tsc > tsc_boot ? time_scale_delta(tsc - tsc_boot, time_mul, time_shift) : 0;
}

uint64_t host_tsc(void) { return rdtsc(); }

void udelay(uint64_t us)
{
    uint64_t end = rdtsc() + (tsc_khz ? tsc_khz : 1000000) * us / 1000;
    while (rdtsc() < end)
        cpu_relax();
}

void lapic_init_bsp(void)
{
    /* Mask the legacy PICs: all interrupts come through the LAPIC. */
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
}

void lapic_init_cpu(void)
{
    lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
    lapic_write(LAPIC_TMR_DIV, 0x3);
    lapic_write(LAPIC_LVT_TMR, (1 << 17) | VEC_TIMER); /* periodic */
    lapic_write(LAPIC_TMR_INIT, lapic_ticks_per_tick);
}
