/* SPDX-License-Identifier: GPL-2.0-only */
/* kmapvisor bench: the run, its results, and how they are reported. */
#ifndef TOOLS_BENCH_H
#define TOOLS_BENCH_H

#include "qemu_runner.h"

#define MAX_REPS 15
#define MAX_RESULTS 512

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
};

struct bench_run {
    unsigned reps;
    enum accel accel;
    const char *cpu_model, *hypervisor, *pv_guest, *native_guest;
    char accel_used[16], accel_reason[256];
    char machine[512], commit[64], date[64];
    struct result results[MAX_RESULTS];
    unsigned nr_results;
};

int cmd_bench(int argc, char **argv);
double median_of(double *v, unsigned n);
const struct result *bench_find(const struct bench_run *br, const char *strategy, const char *metric, int arg);
void bench_describe_machine(struct bench_run *br);
void bench_print_table(const struct bench_run *br, FILE *f);
int bench_write_files(const struct bench_run *br, const char *dir);
int bench_write_plots(const struct bench_run *br, const char *dir);

#endif
