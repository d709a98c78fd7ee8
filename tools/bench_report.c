/* SPDX-License-Identifier: GPL-2.0-only */
/* kmapvisor bench: the table on the terminal, CSV and JSON files. */
#define _GNU_SOURCE
#include "bench.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

const struct result *bench_find(const struct bench_run *br, const char *strategy, const char *metric, int arg)
{
    for (unsigned i = 0; i < br->nr_results; i++) {
        const struct result *r = &br->results[i];
        if (!strcmp(r->strategy, strategy) && !strcmp(r->metric, metric) && r->arg == arg)
            return r;
    }
    return NULL;
}

static void first_line_of(const char *cmd, char *out, size_t len)
{
    out[0] = '\0';
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    if (fgets(out, (int)len, p))
        out[strcspn(out, "\n")] = '\0';
    pclose(p);
}

void bench_describe_machine(struct bench_run *br)
{
    char cpu[128];
    struct utsname u;
    uname(&u);
    first_line_of("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'", cpu, sizeof(cpu));
    snprintf(br->machine, sizeof(br->machine), "%s %s, %s, QEMU -cpu %s", u.sysname, u.release,
             cpu[0] ? cpu : u.machine, br->cpu_model);
    first_line_of("git rev-parse --short HEAD 2>/dev/null", br->commit, sizeof(br->commit));
    if (!br->commit[0])
        snprintf(br->commit, sizeof(br->commit), "unknown");
    time_t t = time(NULL);
    strftime(br->date, sizeof(br->date), "%Y-%m-%d %H:%M UTC", gmtime(&t));
}

struct row {
    const char *metric;
    int arg;
    const char *label;
};
static const struct row rows[] = {
    { "pair_same", 0, "kmap+kunmap pair, same frame (warm)" },
    { "pair_new", 0, "kmap+kunmap pair, new frame (cold)" },
    { "nested", 1, "nested section, depth 1" },
    { "nested", 4, "nested section, depth 4" },
    { "nested", 8, "nested section, depth 8" },
    { "nested", 16, "nested section, depth 16" },
    { "switch", 0, "context switch, 0 live slots" },
    { "switch", 1, "context switch, 1 live slot" },
    { "switch", 4, "context switch, 4 live slots" },
    { "switch", 8, "context switch, 8 live slots" },
    { "throughput", 1, "stress sections/s per vCPU, 1 vCPU" },
    { "throughput", 2, "stress sections/s per vCPU, 2 vCPUs" },
    { "throughput", 4, "stress sections/s per vCPU, 4 vCPUs" },
};

static bool is_cost(const char *metric) { return strcmp(metric, "throughput") != 0; }

static void table_head(FILE *f, const char *title)
{
    fprintf(f, "\n%s\n%-38s", title, "");
    for (unsigned s = 0; s < nr_strategies; s++)
        fprintf(f, " %17s", strategies[s].name);
    fprintf(f, "\n");
}

/* One table: a cell per strategy and row, from cell(); throughput rows
 * only when stress is set. */
typedef void (*cell_fn)(const struct result *r, char *cell, size_t len);
static void table(const struct bench_run *br, FILE *f, const char *title, cell_fn cell, bool stress)
{
    table_head(f, title);
    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        if (is_cost(rows[i].metric) == stress)
            continue;
        fprintf(f, "%-38s", rows[i].label);
        for (unsigned s = 0; s < nr_strategies; s++) {
            const struct result *r = bench_find(br, strategies[s].name, rows[i].metric, rows[i].arg);
            char c[48];
            if (!r)
                snprintf(c, sizeof(c), "-");
            else
                cell(r, c, sizeof(c));
            fprintf(f, " %17s", c);
        }
        fprintf(f, "\n");
    }
}

static void cell_instr(const struct result *r, char *c, size_t n) { snprintf(c, n, "%.0f (%.2f)", r->median, r->ratio); }
static void cell_split(const struct result *r, char *c, size_t n)
{
    snprintf(c, n, "%.0f + %.0f", r->median - r->hv, r->hv);
}
/* A count per operation: whole when it is (to 1/100), else 2 decimals. */
static const char *per_op(double x, char *buf, size_t n)
{
    double r = (double)(long)(x + 0.5);
    snprintf(buf, n, (x - r < 0.005 && r - x < 0.005) ? "%.0f" : "%.2f", x);
    return buf;
}
static void cell_events(const struct result *r, char *c, size_t n)
{
    char a[16], b[16], d[16], e[16];
    if (r->cr3 >= 0.005)
        snprintf(c, n, "%s/%s/%s+%s", per_op(r->traps, a, sizeof(a)), per_op(r->ptes, b, sizeof(b)),
                 per_op(r->flushes, d, sizeof(d)), per_op(r->cr3, e, sizeof(e)));
    else
        snprintf(c, n, "%s/%s/%s", per_op(r->traps, a, sizeof(a)), per_op(r->ptes, b, sizeof(b)),
                 per_op(r->flushes, d, sizeof(d)));
}
static void cell_mid(const struct result *r, char *c, size_t n)
{
    snprintf(c, n, "%.0f (%.2f)", r->modelled[MODEL_MID], r->mratio[MODEL_MID]);
}
static void cell_ratios(const struct result *r, char *c, size_t n)
{
    snprintf(c, n, "%.2f/%.2f/%.2f", r->mratio[0], r->mratio[1], r->mratio[2]);
}
static void cell_throughput(const struct result *r, char *c, size_t n) { snprintf(c, n, "%.0f (%.2f)", r->median, r->ratio); }

void bench_print_table(const struct bench_run *br, FILE *f)
{
    fprintf(f, "\nkmapvisor bench, %s, commit %s\nmachine: %s\naccelerator: %s (%s)\n", br->date, br->commit,
            br->machine, br->accel_used, br->accel_reason);
    if (br->icount) {
        fprintf(f, "costs: QEMU TCG -icount shift=0,sleep=off: virtual time advances 1 ns per instruction and the TSC\n"
                   "  with it, so a TSC delta is an instruction count, whatever the host's load.\n");
        if (br->tsc_checked)
            fprintf(f, "  TSC check: a loop of 1+2n instructions took %ld ticks for n=1000 and %ld for n=2000: %s\n",
                    br->tsc_check[0], br->tsc_check[1],
                    br->tsc_check[1] - br->tsc_check[0] == 2000 ? "1 tick per instruction" : "NOT 1 tick per instruction");
    } else {
        fprintf(f, "costs: TSC cycles of the accelerator (%s)%s\n", br->accel_used,
                strcmp(br->accel_used, "tcg") ? "" : "; NOT costs: under plain TCG a TSC delta is host emulation time");
    }
    if (br->reps > 1)
        fprintf(f, "runs: %u, %s\n", br->reps,
                br->deterministic ? "every run gave identical figures (deterministic)"
                                  : "the runs DIFFER: figures are medians over runs");
    const char *unit = br->icount ? "instructions" : "TSC cycles";
    char title[256];
    snprintf(title, sizeof(title), "%s per operation, guest + hypervisor (median); in parentheses the ratio to native", unit);
    table(br, f, title, cell_instr, false);
    snprintf(title, sizeof(title), "%s per operation split: guest + hypervisor (the hypervisor's own accounting, KMAPOP_stats hv_tsc)", unit);
    table(br, f, title, cell_split, false);
    table(br, f, "per operation: traps / window PTE writes / TLB flushes (invlpg) [+ CR3 loads]", cell_events, false);
    snprintf(title, sizeof(title), "modelled cycles = %s + traps * T + (flushes + CR3 loads) * F at T=%.0f, F=%.0f (ratio to native)",
             unit, cost_models[MODEL_MID].trap, cost_models[MODEL_MID].flush);
    table(br, f, title, cell_mid, false);
    snprintf(title, sizeof(title), "modelled, ratio to native at low/mid/high: T=%.0f,F=%.0f / T=%.0f,F=%.0f / T=%.0f,F=%.0f",
             cost_models[0].trap, cost_models[0].flush, cost_models[1].trap, cost_models[1].flush, cost_models[2].trap,
             cost_models[2].flush);
    table(br, f, title, cell_ratios, false);
    bool any_stress = false;
    for (unsigned i = 0; i < br->nr_results; i++)
        any_stress |= !is_cost(br->results[i].metric);
    if (any_stress)
        table(br, f,
              "stress: a CORRECTNESS workload (verified sections/s per vCPU, plain TCG, moves with the host's load: not a cost)",
              cell_throughput, true);
    fprintf(f, "\nstrategies:\n");
    for (unsigned s = 0; s < nr_strategies; s++)
        fprintf(f, "  %-16s %s\n", strategies[s].name, strategies[s].what);
    fprintf(f, "\nwall time of this bench: %.0f s\n", br->wall_s);
}

int bench_write_files(const struct bench_run *br, const char *dir)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/results.csv", dir);
    FILE *csv = fopen(path, "w");
    if (!csv) {
        perror(path);
        return -1;
    }
    fprintf(csv, "strategy,metric,arg,median,p10,p90,runs,traps_per_op,ratio_to_native,hv_per_op,ptes_per_op,"
                 "flushes_per_op,cr3_per_op,modelled_low,modelled_mid,modelled_high,mratio_low,mratio_mid,mratio_high,"
                 "unit,accel,commit,date\n");
    for (unsigned i = 0; i < br->nr_results; i++) {
        const struct result *r = &br->results[i];
        fprintf(csv, "%s,%s,%d,%.1f,%.1f,%.1f,%u,%.0f,%.3f,%.1f,%.3f,%.3f,%.3f,%.0f,%.0f,%.0f,%.3f,%.3f,%.3f,%s,%s,%s,%s\n",
                r->strategy, r->metric, r->arg, r->median, r->lo, r->hi, r->nr_samples, r->traps, r->ratio, r->hv,
                r->ptes, r->flushes, r->cr3, r->modelled[0], r->modelled[1], r->modelled[2], r->mratio[0],
                r->mratio[1], r->mratio[2],
                !is_cost(r->metric) ? "sections/s/vcpu" : br->icount ? "instructions" : "tsc", br->accel_used,
                br->commit, br->date);
    }
    fclose(csv);
    snprintf(path, sizeof(path), "%s/results.json", dir);
    FILE *js = fopen(path, "w");
    if (!js) {
        perror(path);
        return -1;
    }
    fprintf(js, "{\n  \"date\": \"%s\",\n  \"commit\": \"%s\",\n  \"machine\": \"%s\",\n", br->date, br->commit,
            br->machine);
    fprintf(js, "  \"accelerator\": \"%s\",\n  \"accelerator_reason\": \"", br->accel_used);
    for (const char *c = br->accel_reason; *c; c++)
        fprintf(js, *c == '"' || *c == '\\' ? "\\%c" : "%c", *c);
    fprintf(js, "\",\n  \"icount\": %s,\n  \"deterministic\": %s,\n  \"wall_s\": %.1f,\n",
            br->icount ? "true" : "false", br->deterministic ? "true" : "false", br->wall_s);
    fprintf(js, "  \"tsc_check\": [%ld, %ld],\n", br->tsc_check[0], br->tsc_check[1]);
    fprintf(js, "  \"models\": [");
    for (unsigned m = 0; m < NR_MODELS; m++)
        fprintf(js, "{\"name\": \"%s\", \"T\": %.0f, \"F\": %.0f}%s", cost_models[m].name, cost_models[m].trap,
                cost_models[m].flush, m + 1 < NR_MODELS ? ", " : "");
    fprintf(js, "],\n  \"cost_meaningful\": %s,\n  \"runs\": %u,\n  \"unit\": \"%s (throughput: sections/s/vCPU)\",\n",
            br->icount || strcmp(br->accel_used, "tcg") ? "true" : "false", br->reps,
            br->icount ? "instructions" : "TSC cycles");
    fprintf(js, "  \"results\": [\n");
    for (unsigned i = 0; i < br->nr_results; i++) {
        const struct result *r = &br->results[i];
        fprintf(js, "    {\"strategy\": \"%s\", \"metric\": \"%s\", \"arg\": %d, \"median\": %.1f, \"p10\": %.1f, "
                    "\"p90\": %.1f, \"runs\": %u, \"traps_per_op\": %.0f, \"ratio_to_native\": %.3f, "
                    "\"hv_per_op\": %.1f, \"ptes_per_op\": %.3f, \"flushes_per_op\": %.3f, \"cr3_per_op\": %.3f, "
                    "\"modelled\": [%.0f, %.0f, %.0f], \"modelled_ratio\": [%.3f, %.3f, %.3f]}%s\n",
                r->strategy, r->metric, r->arg, r->median, r->lo, r->hi, r->nr_samples, r->traps, r->ratio, r->hv,
                r->ptes, r->flushes, r->cr3, r->modelled[0], r->modelled[1], r->modelled[2], r->mratio[0],
                r->mratio[1], r->mratio[2], i + 1 < br->nr_results ? "," : "");
    }
    fprintf(js, "  ]\n}\n");
    fclose(js);
    printf("\nwrote %s/results.csv and %s/results.json\n", dir, dir);
    return 0;
}
