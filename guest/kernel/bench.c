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

static void report(const char *what, int arg, uint64_t *v, unsigned n, unsigned long traps)
{
    sort(v, n);
    printk("bench: %s %d median=%lu p10=%lu p90=%lu traps=%lu\n", what, arg, (unsigned long)v[n / 2],
           (unsigned long)v[n / 10], (unsigned long)v[n - 1 - n / 10], traps);
}

static uint32_t frame(unsigned i) { return plat.first_highmem_pfn + i; }

/* Traps per operation: the difference over a run, less the trap that reads it. */
static unsigned long traps_since(unsigned long t0, unsigned ops)
{
    unsigned long t1 = plat_traps();
    return t1 > t0 ? (t1 - t0 - 1 + ops / 2) / ops : 0;
}

static void bench_pairs(void)
{
    unsigned long tr = plat_traps();
    for (unsigned i = 0; i < REPS; i++) {
        uint64_t t0 = rdtsc();
        void *p = kmap_local_pfn(frame(0));
        *(volatile uint32_t *)p;
        kunmap_local(p);
        samples[i] = rdtsc() - t0;
    }
    report("pair_same", 0, samples, REPS, traps_since(tr, REPS));
    tr = plat_traps();
    for (unsigned i = 0; i < REPS; i++) {
        uint64_t t0 = rdtsc();
        void *p = kmap_local_pfn(frame(1 + i % 512));
        *(volatile uint32_t *)p;
        kunmap_local(p);
        samples[i] = rdtsc() - t0;
    }
    report("pair_new", 0, samples, REPS, traps_since(tr, REPS));
}

static void bench_nested(void)
{
    void *va[16];
    unsigned maxd = plat.window_slots < 16 ? plat.window_slots : 16;
    for (unsigned d = 1; d <= maxd; d++) {
        unsigned long tr = plat_traps();
        for (unsigned i = 0; i < 301; i++) {
            uint64_t t0 = rdtsc();
            for (unsigned k = 0; k < d; k++)
                va[k] = kmap_local_pfn(frame(k));
            for (unsigned k = d; k-- > 0;)
                kunmap_local(va[k]);
            samples[i] = rdtsc() - t0;
        }
        report("nested", (int)d, samples, 301, traps_since(tr, 301));
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
        unsigned long tr = plat_traps(), switches0 = this_cpu()->switches;
        for (unsigned i = 0; i < 201; i++) {
            unsigned long sw0 = this_cpu()->switches;
            uint64_t t0 = rdtsc();
            sched_yield(); /* there and back: two switches */
            uint64_t dt = rdtsc() - t0;
            if (this_cpu()->switches - sw0 == 2)
                samples[n++] = dt / 2; /* drop rounds that a tick disturbed */
        }
        unsigned long per_switch = traps_since(tr, (unsigned)(this_cpu()->switches - switches0));
        for (unsigned k = d; k-- > 0;)
            kunmap_local(va[k]);
        sw_stop = true;
        while (!sw_done)
            sched_yield();
        if (n)
            report("switch", (int)d, samples, n, per_switch);
    }
}

static void bench_main(void *arg)
{
    const struct workload_config *cfg = arg;
    printk("bench: platform %s backend %s variant %s slots %u lazy %u tsc_khz %u\n", plat.name, cfg->backend,
           cfg->batched ? "batched" : "perentry", (unsigned)plat.window_slots,
           (unsigned)((plat.window_flags & KMAP_WIN_LAZY) != 0), (unsigned)plat.tsc_khz);
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
