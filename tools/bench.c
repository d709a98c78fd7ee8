/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmapvisor bench: what paravirtual kmap_local costs, against native,
 * measured in one run.  Every strategy boots the same mini kernel with
 * workload=bench (pair, nested and switch costs in TSC cycles, medians)
 * and workload=stress (verified sections per second per vCPU); each is
 * repeated and the median of the per-run medians kept.  Ratios are to
 * the native build measured in the same run.
 */
#define _GNU_SOURCE
#include "bench.h"
#include "options.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

const struct strategy strategies[] = {
    { "native", "the same kernel natively: own PTEs and invlpg", true, "native", false, false, false },
    { "pv", "kmapvisor, one hypercall per push and pop", false, "pv", false, false, false },
    { "pv-lazy", "kmapvisor lazy windows: same-frame reuse costs no PTE write", false, "pv", false, true, false },
    { "pv-batched", "kmapvisor, one KMAPOP_switch per context switch", false, "pv", true, false, false },
    { "pv-batched-lazy", "one trap per switch, and unchanged slots kept", false, "pv", true, true, false },
    { "xen", "Xen-compatible update_va_mapping", false, "xen", false, false, false },
    { "pv-cached", "guest-owned index, slot cache: a trap only when a slot changes frame", false, "pv-cached", false, true, true },
    { "pv-cached-batched", "pv-cached, and one KMAPOP_install_list per switch", false, "pv-cached", true, true, true },
};
const unsigned nr_strategies = sizeof(strategies) / sizeof(strategies[0]);

/* T and F at three levels: see docs/tools.md for the sources. */
const struct cost_model cost_models[NR_MODELS] = {
    { "low", 100, 50 },
    { "mid", 600, 200 },
    { "high", 1500, 500 },
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double median_of(double *v, unsigned n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n ? (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) : 0;
}

static struct result *find_or_add(struct bench_run *br, const char *strategy, const char *metric, int arg)
{
    for (unsigned i = 0; i < br->nr_results; i++) {
        struct result *r = &br->results[i];
        if (!strcmp(r->strategy, strategy) && !strcmp(r->metric, metric) && r->arg == arg)
            return r;
    }
    if (br->nr_results == MAX_RESULTS)
        return NULL;
    struct result *r = &br->results[br->nr_results++];
    memset(r, 0, sizeof(*r));
    snprintf(r->strategy, sizeof(r->strategy), "%s", strategy);
    snprintf(r->metric, sizeof(r->metric), "%s", metric);
    r->arg = arg;
    return r;
}

static bool boot(struct bench_run *br, const struct strategy *s, unsigned vcpus, const char *args, char *out,
                 size_t outlen)
{
    struct run_config cfg;
    run_config_defaults(&cfg);
    cfg.native = s->native;
    cfg.guest = s->native ? br->native_guest : br->pv_guest;
    cfg.hypervisor = br->hypervisor;
    cfg.vcpus = vcpus;
    cfg.pcpus = vcpus < 2 ? vcpus : 2;
    cfg.lazy = s->lazy;
    cfg.cached = s->cached;
    cfg.accel = br->accel;
    cfg.cpu_model = br->cpu_model;
    cfg.quiet = true;
    cfg.timeout = 180;
    /* Instruction counts: deterministic, whatever the host's load. */
    cfg.icount = !strncmp(args, "workload=bench", 14);
    char guest_args[256];
    snprintf(guest_args, sizeof(guest_args), "%s backend=%s variant=%s", args, s->backend,
             s->batched ? "batched" : "perentry");
    cfg.guest_args = guest_args;
    out[0] = '\0';
    cfg.capture = out;
    cfg.capture_size = outlen;
    if (!run_config_check(&cfg))
        return false;
    struct run_result res;
    if (run_guest(&cfg, &res) < 0 || res.status != RUN_POWEROFF) {
        fprintf(stderr, "kmapvisor bench: %s (%s) failed: %s\n", s->name, args, run_status_name(res.status));
        return false;
    }
    snprintf(br->accel_used, sizeof(br->accel_used), "%s", accel_name(res.accel_used));
    if (cfg.icount)
        br->icount = res.accel_used == ACCEL_TCG;
    snprintf(br->accel_reason, sizeof(br->accel_reason), "%s", res.accel_reason);
    return true;
}

static double field(const char *line, const char *key)
{
    const char *eol = strchr(line, '\n'), *p = strstr(line, key);
    return p && (!eol || p < eol) ? strtod(p + strlen(key), NULL) : 0;
}

/* Read "bench: <metric> <arg> median=.. p10=.. p90=.. traps=.. ops=..
 * hv=.. ptes=.. flushes=.. cr3=.." lines (the last five are totals over
 * ops operations), and the TSC check. */
static unsigned parse_bench(struct bench_run *br, const struct strategy *s, const char *out, unsigned rep)
{
    unsigned n = 0;
    const char *tc = strstr(out, "bench: tsc_check ");
    if (tc && !br->tsc_checked) {
        br->tsc_check[0] = (long)field(tc, "loop1000=");
        br->tsc_check[1] = (long)field(tc, "loop2000=");
        br->tsc_checked = true;
    }
    for (const char *p = out; (p = strstr(p, "bench: ")); p++) {
        char metric[24];
        int arg;
        unsigned long med, p10, p90, traps;
        if (sscanf(p, "bench: %23s %d median=%lu p10=%lu p90=%lu traps=%lu", metric, &arg, &med, &p10, &p90,
                   &traps) != 6)
            continue;
        struct result *r = find_or_add(br, s->name, metric, arg);
        if (!r || rep >= MAX_REPS)
            continue;
        double ops = field(p, " ops=");
        r->samples[rep] = (double)med;
        r->p10[rep] = (double)p10;
        r->p90[rep] = (double)p90;
        r->traps = (double)traps;
        if (ops > 0) {
            r->hv = r->hv_runs[rep] = field(p, " hv=") / ops;
            r->ptes = field(p, " ptes=") / ops;
            r->flushes = field(p, " flushes=") / ops;
            r->cr3 = field(p, " cr3=") / ops;
        }
        r->nr_samples = rep + 1;
        n++;
    }
    return n;
}

static bool parse_stress(struct bench_run *br, const struct strategy *s, const char *out, unsigned vcpus,
                         unsigned ms, unsigned rep)
{
    const char *p = strstr(out, "stress: sections=");
    unsigned long sections, errors;
    const char *e = p ? strstr(p, "errors=") : NULL;
    if (!p || !e || sscanf(p, "stress: sections=%lu", &sections) != 1 || sscanf(e, "errors=%lu", &errors) != 1)
        return false;
    if (errors) {
        fprintf(stderr, "kmapvisor bench: %s stress reported %lu verification errors\n", s->name, errors);
        return false;
    }
    struct result *r = find_or_add(br, s->name, "throughput", (int)vcpus);
    if (!r || rep >= MAX_REPS)
        return false;
    r->samples[rep] = sections / (ms / 1000.0) / vcpus;
    r->p10[rep] = r->p90[rep] = r->samples[rep];
    r->nr_samples = rep + 1;
    return true;
}

static void finish(struct bench_run *br)
{
    br->deterministic = true;
    for (unsigned i = 0; i < br->nr_results; i++) {
        struct result *r = &br->results[i];
        if (strcmp(r->metric, "throughput"))
            for (unsigned k = 1; k < r->nr_samples; k++)
                if (r->samples[k] != r->samples[0] || r->hv_runs[k] != r->hv_runs[0])
                    br->deterministic = false;
        r->median = median_of(r->samples, r->nr_samples);
        r->lo = median_of(r->p10, r->nr_samples);
        r->hi = median_of(r->p90, r->nr_samples);
        for (unsigned m = 0; m < NR_MODELS; m++)
            r->modelled[m] = r->median + r->traps * cost_models[m].trap + (r->flushes + r->cr3) * cost_models[m].flush;
    }
    for (unsigned i = 0; i < br->nr_results; i++) {
        struct result *r = &br->results[i];
        const struct result *n = bench_find(br, "native", r->metric, r->arg);
        r->ratio = n && n->median > 0 ? r->median / n->median : 0;
        for (unsigned m = 0; m < NR_MODELS; m++)
            r->mratio[m] = n && n->modelled[m] > 0 ? r->modelled[m] / n->modelled[m] : 0;
    }
}

static void usage_bench(FILE *f)
{
    fprintf(f, "usage: kmapvisor bench [--short] [--reps N] [--only S1,S2,..] [--no-stress] [--accel auto|kvm|tcg]\n"
               "                       [--cpu MODEL] [--out DIR] [--plot]\n"
               "  --short     one repetition and short stress runs (for make check)\n"
               "  --only L    only these strategies (comma-separated; native is always run)\n"
               "  --no-stress skip the stress (throughput) runs\n"
               "  --reps N    repetitions per strategy, 1..%u (default 3)\n"
               "  --out DIR   where results.csv, results.json and the plots go (default build/bench)\n"
               "  --plot      also draw SVG charts\n", MAX_REPS);
}

int cmd_bench(int argc, char **argv)
{
    static const struct option opts[] = {
        { "short", no_argument, 0, 's' }, { "reps", required_argument, 0, 'r' },
        { "accel", required_argument, 0, 'a' }, { "cpu", required_argument, 0, 'c' },
        { "out", required_argument, 0, 'o' }, { "plot", no_argument, 0, 'p' },
        { "only", required_argument, 0, 'O' }, { "no-stress", no_argument, 0, 'n' },
        { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
    };
    static struct bench_run br;
    memset(&br, 0, sizeof(br));
    br.reps = 3;
    br.accel = ACCEL_AUTO;
    br.cpu_model = "qemu64";
    br.hypervisor = default_hypervisor();
    br.pv_guest = default_guest();
    br.native_guest = default_native_guest();
    const char *outdir = default_bench_dir();
    bool plot = false, short_mode = false, stress = true;
    const char *only = NULL;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 's': short_mode = true; break;
        case 'r':
            if (!parse_uint_arg(optarg, 1, MAX_REPS, &br.reps)) {
                fprintf(stderr, "kmapvisor: --reps: '%s' is not a number from 1 to %u\n", optarg, MAX_REPS);
                return RUN_USAGE;
            }
            break;
        case 'a':
            if (!strcmp(optarg, "auto")) br.accel = ACCEL_AUTO;
            else if (!strcmp(optarg, "kvm")) br.accel = ACCEL_KVM;
            else if (!strcmp(optarg, "tcg")) br.accel = ACCEL_TCG;
            else {
                fprintf(stderr, "kmapvisor: --accel: '%s' is not auto, kvm or tcg\n", optarg);
                return RUN_USAGE;
            }
            break;
        case 'c': br.cpu_model = optarg; break;
        case 'o': outdir = optarg; break;
        case 'p': plot = true; break;
        case 'O': only = optarg; break;
        case 'n': stress = false; break;
        case 'h': usage_bench(stdout); return 0;
        default:
            fprintf(stderr, "kmapvisor: bench: unknown or incomplete option '%s'\n", argv[optind - 1]);
            return RUN_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "kmapvisor: bench: unexpected argument '%s'\n", argv[optind]);
        return RUN_USAGE;
    }
    if (short_mode)
        br.reps = 1;
    bool run_it[sizeof(strategies) / sizeof(strategies[0])];
    unsigned nr_run = 0;
    for (unsigned s = 0; s < nr_strategies; s++) {
        run_it[s] = !only || !strcmp(strategies[s].name, "native");
        for (const char *p = only; p && *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',')) {
            size_t len = strcspn(p, ",");
            if (len == strlen(strategies[s].name) && !strncmp(p, strategies[s].name, len))
                run_it[s] = true;
        }
        nr_run += run_it[s];
    }
    for (const char *p = only; p && *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',')) {
        size_t len = strcspn(p, ",");
        bool known = false;
        for (unsigned s = 0; s < nr_strategies; s++)
            known |= len == strlen(strategies[s].name) && !strncmp(p, strategies[s].name, len);
        if (!known) {
            fprintf(stderr, "kmapvisor: --only: '%.*s' is not a strategy\n", (int)len, p);
            return RUN_USAGE;
        }
    }
    unsigned stress_ms = short_mode ? 600 : 3000;
    static const unsigned vcpu_counts[] = { 1, 2, 4 };
    unsigned nr_stress = stress ? (unsigned)(sizeof(vcpu_counts) / sizeof(vcpu_counts[0])) : 0;
    unsigned total = nr_run * br.reps * (1 + nr_stress), done = 0;
    static char out[1 << 16];
    int failures = 0;
    struct timespec wall0, wall1;
    clock_gettime(CLOCK_MONOTONIC, &wall0);
    for (unsigned rep = 0; rep < br.reps; rep++)
        for (unsigned s = 0; s < nr_strategies; s++) {
            const struct strategy *st = &strategies[s];
            if (!run_it[s])
                continue;
            fprintf(stderr, "[%3u/%u] %-16s bench, run %u of %u\n", ++done, total, st->name, rep + 1, br.reps);
            if (!boot(&br, st, 1, "workload=bench", out, sizeof(out)) || !parse_bench(&br, st, out, rep))
                failures++;
            for (unsigned v = 0; v < nr_stress; v++) {
                char args[64];
                snprintf(args, sizeof(args), "workload=stress duration=%u", stress_ms);
                fprintf(stderr, "[%3u/%u] %-16s stress on %u vCPU(s), run %u of %u\n", ++done, total, st->name,
                        vcpu_counts[v], rep + 1, br.reps);
                if (!boot(&br, st, vcpu_counts[v], args, out, sizeof(out)) ||
                    !parse_stress(&br, st, out, vcpu_counts[v], stress_ms, rep))
                    failures++;
            }
        }
    finish(&br);
    clock_gettime(CLOCK_MONOTONIC, &wall1);
    br.wall_s = (double)(wall1.tv_sec - wall0.tv_sec) + (wall1.tv_nsec - wall0.tv_nsec) / 1e9;
    bench_describe_machine(&br);
    if (mkdir(outdir, 0755) && errno != EEXIST) {
        fprintf(stderr, "kmapvisor: bench: cannot create %s: %s\n", outdir, strerror(errno));
        return RUN_USAGE;
    }
    bench_print_table(&br, stdout);
    if (bench_write_files(&br, outdir) || (plot && bench_write_plots(&br, outdir)))
        failures++;
    if (failures)
        fprintf(stderr, "kmapvisor bench: %d run(s) failed\n", failures);
    return failures ? RUN_CRASH : 0;
}
