/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workload=bench: what a kmap_local costs on this platform and backend,
 * measured with the TSC, as medians (with the 10th and 90th percentiles)
 * over many repetitions:
 *   pair_same     kmap_local_pfn + kunmap_local of the same frame (warm)
 *   pair_new      the same with a new frame every time (cold)
 *   nested d      a section of depth d (d maps, d unmaps), d = 1..16
 *   switch d      a context switch between two tasks holding d slots each
 * Every figure is printed as a "bench:" line for the host tool to read.
 * The throughput figure comes from workload=stress.
 */
#include "workload.h"
#include <kmapvisor/abi.h>

#define REPS 1001
static uint64_t samples[REPS];

static void sort(uint64_t *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++) /* insertion sort: n is small */
        for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

/* Counters over a run of ops operations, c0 before and c1 after: per-op
 * traps (less the trap that read c1), and the totals of the rest for the
 * host to divide. */
static void report(const char *what, int arg, uint64_t *v, unsigned n, const struct plat_counters *c0,
                   const struct plat_counters *c1, unsigned ops)
{
    sort(v, n);
    uint64_t traps = c1->traps > c0->traps ? c1->traps - c0->traps - 1 : 0;
    printk("bench: %s %d median=%lu p10=%lu p90=%lu traps=%lu ops=%u hv=%llu ptes=%llu flushes=%llu cr3=%llu "
           "traps_total=%llu\n",
           what, arg, (unsigned long)v[n / 2], (unsigned long)v[n / 10], (unsigned long)v[n - 1 - n / 10],
           ops ? ((unsigned long)traps + ops / 2) / ops : 0, ops, (unsigned long long)(c1->hv_tsc - c0->hv_tsc),
           (unsigned long long)(c1->pte_writes - c0->pte_writes), (unsigned long long)(c1->flushes - c0->flushes),
           (unsigned long long)(c1->cr3_loads - c0->cr3_loads), (unsigned long long)traps);
}

static uint32_t frame(unsigned i) { return plat.first_highmem_pfn + i; }

/* What one TSC tick is: a loop of 1 + 2n instructions timed for two n.
 * Under QEMU -icount shift=0 the TSC is virtual time, one tick per
 * instruction, so the two differ by exactly the 2 * 1000 instructions
 * between them (the host tool checks). */
static uint64_t time_loop(unsigned n)
{
    uint64_t t0 = rdtsc();
    __asm__ volatile("1: dec %0; jnz 1b" : "+r"(n) : : "cc");
    return rdtsc() - t0;
}

static void bench_calibrate(void)
{
    uint64_t a = time_loop(1000), b = time_loop(2000);
    printk("bench: tsc_check loop1000=%llu loop2000=%llu\n", (unsigned long long)a, (unsigned long long)b);
}

static void bench_pairs(void)
{
    struct plat_counters c0, c1;
    plat_counters(&c0);
    for (unsigned i = 0; i < REPS; i++) {
        uint64_t t0 = rdtsc();
        void *p = kmap_local_pfn(frame(0));
        *(volatile uint32_t *)p;
        kunmap_local(p);
        samples[i] = rdtsc() - t0;
    }
    plat_counters(&c1);
    report("pair_same", 0, samples, REPS, &c0, &c1, REPS);
    plat_counters(&c0);
    for (unsigned i = 0; i < REPS; i++) {
        uint64_t t0 = rdtsc();
        void *p = kmap_local_pfn(frame(1 + i % 512));
        *(volatile uint32_t *)p;
        kunmap_local(p);
        samples[i] = rdtsc() - t0;
    }
    plat_counters(&c1);
    report("pair_new", 0, samples, REPS, &c0, &c1, REPS);
}

static void bench_nested(void)
{
    void *va[16];
    unsigned maxd = plat.window_slots < 16 ? plat.window_slots : 16;
    for (unsigned d = 1; d <= maxd; d++) {
        struct plat_counters c0, c1;
        plat_counters(&c0);
        for (unsigned i = 0; i < 301; i++) {
            uint64_t t0 = rdtsc();
            for (unsigned k = 0; k < d; k++)
                va[k] = kmap_local_pfn(frame(k));
            for (unsigned k = d; k-- > 0;)
                kunmap_local(va[k]);
            samples[i] = rdtsc() - t0;
        }
        plat_counters(&c1);
        report("nested", (int)d, samples, 301, &c0, &c1, 301);
    }
}

/* Two tasks on this CPU hand the CPU back and forth with sched_yield. */
static volatile unsigned sw_depth, sw_round, sw_done;
static volatile bool sw_stop;
static void switch_partner(void *arg)
{
    (void)arg;
    void *va[16];
    for (unsigned k = 0; k < sw_depth; k++)
        va[k] = kmap_local_pfn(frame(100 + k));
    while (!sw_stop)
        sched_yield();
    for (unsigned k = sw_depth; k-- > 0;)
        kunmap_local(va[k]);
    sw_done = 1;
}

static void bench_switch(void)
{
    unsigned maxd = plat.window_slots < 16 ? plat.window_slots : 16;
    if (maxd > plat.window_slots / 2)
        maxd = plat.window_slots / 2; /* both tasks' entries never coexist, but keep room for handlers */
    for (unsigned d = 0; d <= maxd; d++) {
        sw_depth = d;
        sw_stop = false;
        sw_done = 0;
        struct task *t = task_create(smp_processor_id(), switch_partner, NULL);
        (void)t;
        void *va[16];
        for (unsigned k = 0; k < d; k++)
            va[k] = kmap_local_pfn(frame(200 + k));
        sched_yield(); /* let the partner map its pages */
        unsigned n = 0;
        unsigned long switches0 = this_cpu()->switches;
        struct plat_counters c0, c1;
        plat_counters(&c0);
        for (unsigned i = 0; i < 201; i++) {
            unsigned long sw0 = this_cpu()->switches;
            uint64_t t0 = rdtsc();
            sched_yield(); /* there and back: two switches */
            uint64_t dt = rdtsc() - t0;
            if (this_cpu()->switches - sw0 == 2)
                samples[n++] = dt / 2; /* drop rounds that a tick disturbed */
        }
        unsigned nsw = (unsigned)(this_cpu()->switches - switches0);
        plat_counters(&c1); /* before the unmaps below */
        for (unsigned k = d; k-- > 0;)
            kunmap_local(va[k]);
        sw_stop = true;
        while (!sw_done)
            sched_yield();
        if (n)
            report("switch", (int)d, samples, n, &c0, &c1, nsw);
    }
}

static void bench_main(void *arg)
{
    const struct workload_config *cfg = arg;
    printk("bench: platform %s backend %s variant %s slots %u lazy %u tsc_khz %u\n", plat.name, cfg->backend,
           cfg->batched ? "batched" : "perentry", (unsigned)plat.window_slots,
           (unsigned)((plat.window_flags & KMAP_WIN_LAZY) != 0), (unsigned)plat.tsc_khz);
    bench_calibrate();
    bench_pairs();
    bench_nested();
    bench_switch();
    printk("bench: done\n");
    plat_shutdown(true);
}

_Noreturn void workload_bench(const struct workload_config *cfg)
{
    plat.nr_cpus = 1; /* measure on one CPU, undisturbed */
    tick_ns = 20000000; /* a slow tick: fewer disturbed samples */
    task_create(0, bench_main, (void *)cfg);
    workload_start_cpus(NULL, NULL);
}
