/* SPDX-License-Identifier: GPL-2.0-only */
/* kmapvisor bench: the run, its results, and how they are reported. */
#ifndef TOOLS_BENCH_H
#define TOOLS_BENCH_H

#include "qemu_runner.h"

#define MAX_REPS 15
#define MAX_RESULTS 512
#define NR_MODELS 3                  /* low, mid, high trap and flush costs */
#define MODEL_MID 1

struct strategy {
    const char *name, *what;
    bool native;
    const char *backend;
    bool batched, lazy, cached;
};
extern const struct strategy strategies[];
extern const unsigned nr_strategies;

struct result {
    char strategy[24], metric[24];
    int arg;                         /* depth, or vCPUs for throughput */
    double samples[MAX_REPS], p10[MAX_REPS], p90[MAX_REPS];
    unsigned nr_samples;
    double median, lo, hi;           /* median over runs of the per-run median / p10 / p90 */
    double traps;                    /* hypercalls per operation */
    double ratio;                    /* to native, same metric, same run */
    /* Per operation, from the guest's counters (workload=bench), over the
     * last run: hypervisor instructions (TSC ticks under -icount), window
     * PTE writes, single-page flushes (invlpg), CR3 loads. */
    double hv, ptes, flushes, cr3;
    double hv_runs[MAX_REPS];        /* hv per run: the determinism check */
    double modelled[NR_MODELS];      /* instructions + traps * T + (flushes + cr3) * F */
    double mratio[NR_MODELS];        /* modelled, to native's modelled */
};

/* The modelled cycle figure's assumptions (docs/tools.md says why). */
struct cost_model {
    const char *name;
    double trap, flush;              /* T: a guest<->hypervisor round trip; F: a TLB flush */
};
extern const struct cost_model cost_models[NR_MODELS];

struct bench_run {
    unsigned reps;
    enum accel accel;
    const char *cpu_model, *hypervisor, *pv_guest, *native_guest;
    char accel_used[16], accel_reason[256];
    char machine[512], commit[64], date[64];
    struct result results[MAX_RESULTS];
    unsigned nr_results;
    bool icount;                     /* the bench runs were under -icount: TSC = instructions */
    long tsc_check[2];               /* ticks of the 1000- and 2000-iteration loops (first run) */
    bool tsc_checked;
    bool deterministic;              /* every run gave the same figures */
    double wall_s;                   /* the whole bench, wall clock */
};

int cmd_bench(int argc, char **argv);
double median_of(double *v, unsigned n);
const struct result *bench_find(const struct bench_run *br, const char *strategy, const char *metric, int arg);
void bench_describe_machine(struct bench_run *br);
void bench_print_table(const struct bench_run *br, FILE *f);
int bench_write_files(const struct bench_run *br, const char *dir);
int bench_write_plots(const struct bench_run *br, const char *dir);

#endif
