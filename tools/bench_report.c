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

void bench_print_table(const struct bench_run *br, FILE *f)
{
    fprintf(f, "\nkmapvisor bench, %s, commit %s\nmachine: %s\naccelerator: %s (%s)\n", br->date, br->commit,
            br->machine, br->accel_used, br->accel_reason);
    if (!strcmp(br->accel_used, "tcg"))
        fprintf(f, "NOTE: under TCG every instruction is emulated: these cycle counts are NOT meaningful as costs.\n");
    fprintf(f, "cycles (TSC), median of %u run(s); in parentheses the ratio to native; [traps per operation]\n\n",
            br->reps);
    fprintf(f, "%-38s", "");
    for (unsigned s = 0; s < nr_strategies; s++)
        fprintf(f, " %17s", strategies[s].name);
    fprintf(f, "\n");
    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        fprintf(f, "%-38s", rows[i].label);
        for (unsigned s = 0; s < nr_strategies; s++) {
            const struct result *r = bench_find(br, strategies[s].name, rows[i].metric, rows[i].arg);
            char cell[40];
            if (!r)
                snprintf(cell, sizeof(cell), "-");
            else if (!strcmp(rows[i].metric, "throughput"))
                snprintf(cell, sizeof(cell), "%.0f (%.2f)", r->median, r->ratio);
            else
                snprintf(cell, sizeof(cell), "%.0f (%.2f) [%.0f]", r->median, r->ratio, r->traps);
            fprintf(f, " %17s", cell);
        }
        fprintf(f, "\n");
    }
    fprintf(f, "\nstrategies:\n");
    for (unsigned s = 0; s < nr_strategies; s++)
        fprintf(f, "  %-16s %s\n", strategies[s].name, strategies[s].what);
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
    fprintf(csv, "strategy,metric,arg,median,p10,p90,runs,traps_per_op,ratio_to_native,accel,commit,date\n");
    for (unsigned i = 0; i < br->nr_results; i++) {
        const struct result *r = &br->results[i];
        fprintf(csv, "%s,%s,%d,%.1f,%.1f,%.1f,%u,%.0f,%.3f,%s,%s,%s\n", r->strategy, r->metric, r->arg, r->median,
                r->lo, r->hi, r->nr_samples, r->traps, r->ratio, br->accel_used, br->commit, br->date);
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
    fprintf(js, "\",\n  \"cost_meaningful\": %s,\n  \"runs\": %u,\n  \"unit\": \"TSC cycles (throughput: sections/s/vCPU)\",\n",
            strcmp(br->accel_used, "tcg") ? "true" : "false", br->reps);
    fprintf(js, "  \"results\": [\n");
    for (unsigned i = 0; i < br->nr_results; i++) {
        const struct result *r = &br->results[i];
        fprintf(js, "    {\"strategy\": \"%s\", \"metric\": \"%s\", \"arg\": %d, \"median\": %.1f, \"p10\": %.1f, "
                    "\"p90\": %.1f, \"runs\": %u, \"traps_per_op\": %.0f, \"ratio_to_native\": %.3f}%s\n",
                r->strategy, r->metric, r->arg, r->median, r->lo, r->hi, r->nr_samples, r->traps, r->ratio,
                i + 1 < br->nr_results ? "," : "");
    }
    fprintf(js, "  ]\n}\n");
    fclose(js);
    printf("\nwrote %s/results.csv and %s/results.json\n", dir, dir);
    return 0;
}
