/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen-bench-report: one table from runs of the same guest on different
 * hypervisors (kmapvisor, Xen 4.17) or natively, each measured under QEMU
 * -icount with the insn-split plugin.
 *
 *   xen-bench-report [--baseline NAME] [--csv FILE] NAME=DIR [NAME=DIR ...]
 *
 * DIR holds domU.log, the guest's console ("bench: METRIC ARG median=..
 * ops=.. hv=.. traps=.." lines, as the mini guest and xen-probe print
 * them), and split.txt, the plugin's output: a snapshot of its counters
 * at each call of the guest's marker, two per bench line (before and
 * after the timed loop).  Per operation:
 *   instructions  the guest's median TSC delta under -icount
 *   the split     of the median interval itself: the plugin records each
 *                 interval between two guest rdtsc's (its length under icount
 *                 is the TSC delta the guest measured) and the report takes
 *                 the one of the guest's median length (twice it for the
 *                 switch rows, where the guest halves a round trip): guest,
 *                 hypervisor and dom0 instructions, traps (guest-to-hypervisor
 *                 entries), invlpg, CR3+CR4 writes, exact and deterministic.
 *                 Where no interval has that length (marked ~): the means
 *                 below, guest = the rest.  Marked *: other intervals of
 *                 that length split otherwise (the first one is shown).
 *   plugin mean   the plugin's hypervisor instructions between the two marks
 *                 / ops: a mean over the loop, with what a median leaves out
 *                 (timer interrupts, switches to dom0)
 *   own hv        the hypervisor's own accounting (hv= / ops; kmapvisor only)
 *   modelled      instructions + traps * T + (flushes + cr3) * F at
 *                 T=100,F=50 / T=600,F=200 / T=1500,F=500 (docs/tools.md)
 * Ratios are to the baseline column (default: the first).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 12
#define MAX_ROWS 64

struct snap {
    double guest, hv, other, entries, invlpg, cr;
};

struct row {
    char metric[24];
    int arg;
    double median, ops, own_hv, guest_traps;
    double hv, plugin_guest, dom0, traps, flushes, cr; /* means over the loop */
    bool exact, mixed;                                 /* the median interval's split; others of its length split otherwise */
    double x_guest, x_hv, x_dom0, x_traps, x_flushes, x_cr;
};

struct interval {
    unsigned phase;
    double total, n, guest, hv, other, entries, invlpg, cr, mixed;
};
#define MAX_INTERVALS 8192
static struct interval ivs[MAX_INTERVALS];
static unsigned nr_ivs;

struct col {
    const char *name, *dir;
    struct row rows[MAX_ROWS];
    unsigned nr_rows;
};

static const struct {
    const char *name;
    double t, f;
} models[3] = { { "low", 100, 50 }, { "mid", 600, 200 }, { "high", 1500, 500 } };

static struct col cols[MAX_COLS];
static unsigned nr_cols;

static double field(const char *line, const char *key)
{
    const char *p = strstr(line, key);
    return p ? strtod(p + strlen(key), NULL) : 0;
}

static char *slurp(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "xen-bench-report: cannot read %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b)
                free(buf);
            buf = b;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

static bool parse_split(const char *text, const char *dir, struct snap *s, unsigned max, unsigned *n)
{
    *n = 0;
    if (strncmp(text, "insn-split 1 ", 13)) {
        fprintf(stderr, "xen-bench-report: %s/split.txt is not insn-split output (no 'insn-split 1' header)\n", dir);
        return false;
    }
    for (const char *p = text; (p = strstr(p, "\nmark ")); p++) {
        if (*n == max) {
            fprintf(stderr, "xen-bench-report: %s/split.txt: more than %u marks\n", dir, max);
            return false;
        }
        const char *eol = strchr(p + 1, '\n');
        char line[512];
        snprintf(line, sizeof(line), "%.*s", eol ? (int)(eol - p - 1) : 511, p + 1);
        if (!strstr(line, " guest ") || !strstr(line, " hv ") || !strstr(line, " entries ")) {
            fprintf(stderr, "xen-bench-report: %s/split.txt: a malformed line: %s\n", dir, line);
            return false;
        }
        s[*n] = (struct snap){ field(line, " guest "), field(line, " hv "), field(line, " other "),
                               field(line, " entries "), field(line, " invlpg_guest ") + field(line, " invlpg_hv "),
                               field(line, " cr3_guest ") + field(line, " cr3_hv ") + field(line, " cr4_guest ") +
                                   field(line, " cr4_hv ") };
        ++*n;
    }
    nr_ivs = 0;
    for (const char *p = text; (p = strstr(p, "\ninterval ")); p++) {
        struct interval v;
        if (sscanf(p + 1, "interval %u %lf %lf guest %lf hv %lf other %lf entries %lf invlpg %lf cr %lf mixed %lf",
                   &v.phase, &v.total, &v.n, &v.guest, &v.hv, &v.other, &v.entries, &v.invlpg, &v.cr,
                   &v.mixed) != 10) {
            fprintf(stderr, "xen-bench-report: %s/split.txt: a malformed interval line\n", dir);
            return false;
        }
        if (nr_ivs < MAX_INTERVALS)
            ivs[nr_ivs++] = v;
    }
    return true;
}

/* The interval of the guest's median length in this phase (or twice it,
 * halved: a switch round trip), if the plugin saw one. */
static void exact_split(struct row *r, unsigned phase)
{
    static const struct {
        double mul, add;
    } tries[] = { { 1, 0 }, { 2, 0 }, { 2, 1 } };
    for (unsigned t = 0; t < sizeof(tries) / sizeof(tries[0]); t++)
        for (unsigned i = 0; i < nr_ivs; i++) {
            const struct interval *v = &ivs[i];
            if (v->phase != phase || v->total != r->median * tries[t].mul + tries[t].add)
                continue;
            double k = tries[t].mul;
            r->exact = true;
            r->mixed = v->mixed > 0;
            r->x_guest = v->guest / k;
            r->x_hv = v->hv / k;
            r->x_dom0 = v->other / k;
            r->x_traps = v->entries / k;
            r->x_flushes = v->invlpg / k;
            r->x_cr = v->cr / k;
            return;
        }
}

static bool load(struct col *c)
{
    char *con = slurp(c->dir, "domU.log"), *split = slurp(c->dir, "split.txt");
    static struct snap s[2 * MAX_ROWS + 2];
    unsigned ns = 0;
    bool ok = con && split && parse_split(split, c->dir, s, 2 * MAX_ROWS + 2, &ns);
    for (const char *p = con; ok && (p = strstr(p, "bench: ")); p++) {
        struct row r = { 0 };
        unsigned long med;
        if (sscanf(p, "bench: %23s %d median=%lu", r.metric, &r.arg, &med) != 3)
            continue;
        if (c->nr_rows == MAX_ROWS) {
            fprintf(stderr, "xen-bench-report: %s: more than %u bench lines\n", c->dir, MAX_ROWS);
            ok = false;
            break;
        }
        const char *eol = strchr(p, '\n');
        char line[512];
        snprintf(line, sizeof(line), "%.*s", eol ? (int)(eol - p) : 511, p);
        r.median = (double)med;
        r.ops = field(line, " ops=");
        r.own_hv = r.ops > 0 ? field(line, " hv=") / r.ops : 0;
        r.guest_traps = field(line, " traps=");
        unsigned k = c->nr_rows;
        if (2 * k + 1 >= ns || r.ops <= 0) {
            fprintf(stderr, "xen-bench-report: %s: bench line %u (%s %d) has no pair of marks in split.txt "
                            "(%u marks) or no ops=\n", c->dir, k + 1, r.metric, r.arg, ns);
            ok = false;
            break;
        }
        const struct snap *a = &s[2 * k], *b = &s[2 * k + 1];
        r.hv = (b->hv - a->hv) / r.ops;
        r.plugin_guest = (b->guest - a->guest) / r.ops;
        r.dom0 = (b->other - a->other) / r.ops;
        r.traps = (b->entries - a->entries) / r.ops;
        r.flushes = (b->invlpg - a->invlpg) / r.ops;
        r.cr = (b->cr - a->cr) / r.ops;
        exact_split(&r, 2 * k + 1);
        if (!r.exact) { /* the means */
            r.x_hv = r.hv;
            r.x_dom0 = r.dom0;
            r.x_guest = r.median - r.hv - r.dom0;
            r.x_traps = r.traps;
            r.x_flushes = r.flushes;
            r.x_cr = r.cr;
        }
        c->rows[c->nr_rows++] = r;
    }
    if (ok && !c->nr_rows) {
        fprintf(stderr, "xen-bench-report: %s/domU.log has no bench lines\n", c->dir);
        ok = false;
    }
    if (ok && ns != 2 * c->nr_rows)
        fprintf(stderr, "xen-bench-report: note: %s: %u marks for %u bench lines (2 each expected)\n", c->dir, ns,
                c->nr_rows);
    free(con);
    free(split);
    return ok;
}

static const struct row *find(const struct col *c, const char *metric, int arg)
{
    for (unsigned i = 0; i < c->nr_rows; i++)
        if (!strcmp(c->rows[i].metric, metric) && c->rows[i].arg == arg)
            return &c->rows[i];
    return NULL;
}

static double modelled(const struct row *r, unsigned m)
{
    return r->median + r->x_traps * models[m].t + (r->x_flushes + r->x_cr) * models[m].f;
}

static void header(const char *title, unsigned w)
{
    printf("\n%s\n%-26s", title, "");
    for (unsigned c = 0; c < nr_cols; c++)
        printf("%*s", w, cols[c].name);
    printf("\n");
}

static void label(const struct row *r)
{
    char l[48];
    snprintf(l, sizeof(l), "%s %d", r->metric, r->arg);
    printf("%-26s", l);
}

int main(int argc, char **argv)
{
    const char *baseline = NULL, *csv = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--baseline") || !strcmp(a, "--csv")) {
            if (i + 1 == argc) {
                fprintf(stderr, "xen-bench-report: %s needs a value\n", a);
                return 2;
            }
            *(a[2] == 'b' ? &baseline : &csv) = argv[++i];
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: xen-bench-report [--baseline NAME] [--csv FILE] NAME=DIR [NAME=DIR ...]\n");
            return 0;
        } else if (a[0] == '-') {
            fprintf(stderr, "xen-bench-report: unknown option '%s'\n", a);
            return 2;
        } else {
            const char *eq = strchr(a, '=');
            if (!eq || eq == a || !eq[1] || eq - a > 20) {
                fprintf(stderr, "xen-bench-report: '%s' is not NAME=DIR (a name of 1 to 20 characters)\n", a);
                return 2;
            }
            if (nr_cols == MAX_COLS) {
                fprintf(stderr, "xen-bench-report: at most %u columns\n", MAX_COLS);
                return 2;
            }
            cols[nr_cols].name = strndup(a, (size_t)(eq - a));
            cols[nr_cols++].dir = eq + 1;
        }
    }
    if (!nr_cols) {
        fprintf(stderr, "xen-bench-report: no NAME=DIR given\n");
        return 2;
    }
    unsigned base = 0;
    if (baseline) {
        for (base = 0; base < nr_cols && strcmp(cols[base].name, baseline); base++)
            ;
        if (base == nr_cols) {
            fprintf(stderr, "xen-bench-report: --baseline: '%s' is not one of the columns\n", baseline);
            return 2;
        }
    }
    for (unsigned c = 0; c < nr_cols; c++)
        if (!load(&cols[c]))
            return 1;
    const struct col *b = &cols[base];
    const unsigned w = 22;

    header("instructions per operation (median, under -icount); in parentheses the ratio to the baseline", w);
    for (unsigned i = 0; i < b->nr_rows; i++) {
        label(&b->rows[i]);
        for (unsigned c = 0; c < nr_cols; c++) {
            const struct row *r = find(&cols[c], b->rows[i].metric, b->rows[i].arg);
            char cell[48] = "-";
            if (r)
                snprintf(cell, sizeof(cell), "%.0f (%.2f)", r->median, r->median / b->rows[i].median);
            printf("%*s", w, cell);
        }
        printf("\n");
    }
    header("split: guest + hypervisor [+ dom0] of the median interval (the insn-split plugin; ~: no interval of that "
           "length, means; *: others of its length split otherwise)", w);
    for (unsigned i = 0; i < b->nr_rows; i++) {
        label(&b->rows[i]);
        for (unsigned c = 0; c < nr_cols; c++) {
            const struct row *r = find(&cols[c], b->rows[i].metric, b->rows[i].arg);
            char cell[48] = "-";
            if (r)
                snprintf(cell, sizeof(cell), r->x_dom0 >= 0.5 ? "%s%.0f + %.0f + %.0f" : "%s%.0f + %.0f",
                         !r->exact ? "~" : r->mixed ? "*" : "", r->x_guest, r->x_hv, r->x_dom0);
            printf("%*s", w, cell);
        }
        printf("\n");
    }
    header("hypervisor per op: own accounting (kmapvisor's hv_tsc; 0: none) / plugin, median interval / plugin, mean", w);
    for (unsigned i = 0; i < b->nr_rows; i++) {
        label(&b->rows[i]);
        for (unsigned c = 0; c < nr_cols; c++) {
            const struct row *r = find(&cols[c], b->rows[i].metric, b->rows[i].arg);
            char cell[48] = "-";
            if (r)
                snprintf(cell, sizeof(cell), "%.0f / %.0f / %.0f", r->own_hv, r->x_hv, r->hv);
            printf("%*s", w, cell);
        }
        printf("\n");
    }
    header("per operation, the median interval: traps (guest-to-hypervisor entries) / invlpg / CR3+CR4 writes", w);
    for (unsigned i = 0; i < b->nr_rows; i++) {
        label(&b->rows[i]);
        for (unsigned c = 0; c < nr_cols; c++) {
            const struct row *r = find(&cols[c], b->rows[i].metric, b->rows[i].arg);
            char cell[48] = "-";
            if (r)
                snprintf(cell, sizeof(cell), r->exact ? "%.0f/%.0f/%.0f" : "~%.2f/%.2f/%.2f", r->x_traps, r->x_flushes,
                         r->x_cr);
            printf("%*s", w, cell);
        }
        printf("\n");
    }
    header("modelled cycles at T=600, F=200 (ratio to the baseline)", w);
    for (unsigned i = 0; i < b->nr_rows; i++) {
        label(&b->rows[i]);
        for (unsigned c = 0; c < nr_cols; c++) {
            const struct row *r = find(&cols[c], b->rows[i].metric, b->rows[i].arg);
            char cell[48] = "-";
            if (r)
                snprintf(cell, sizeof(cell), "%.0f (%.2f)", modelled(r, 1), modelled(r, 1) / modelled(&b->rows[i], 1));
            printf("%*s", w, cell);
        }
        printf("\n");
    }
    header("modelled, ratio to the baseline at low/mid/high: T=100,F=50 / T=600,F=200 / T=1500,F=500", w);
    for (unsigned i = 0; i < b->nr_rows; i++) {
        label(&b->rows[i]);
        for (unsigned c = 0; c < nr_cols; c++) {
            const struct row *r = find(&cols[c], b->rows[i].metric, b->rows[i].arg);
            char cell[48] = "-";
            if (r)
                snprintf(cell, sizeof(cell), "%.2f/%.2f/%.2f", modelled(r, 0) / modelled(&b->rows[i], 0),
                         modelled(r, 1) / modelled(&b->rows[i], 1), modelled(r, 2) / modelled(&b->rows[i], 2));
            printf("%*s", w, cell);
        }
        printf("\n");
    }
    if (csv) {
        FILE *f = fopen(csv, "w");
        if (!f) {
            fprintf(stderr, "xen-bench-report: cannot write %s: %s\n", csv, strerror(errno));
            return 1;
        }
        fprintf(f, "column,metric,arg,median,ratio,exact,guest_per_op,hv_per_op,dom0_per_op,traps_per_op,invlpg_per_op,"
                   "cr3_cr4_per_op,plugin_hv_mean,own_hv_per_op,modelled_low,modelled_mid,modelled_high\n");
        for (unsigned c = 0; c < nr_cols; c++)
            for (unsigned i = 0; i < cols[c].nr_rows; i++) {
                const struct row *r = &cols[c].rows[i], *br = find(b, r->metric, r->arg);
                fprintf(f, "%s,%s,%d,%.0f,%.4f,%d,%.1f,%.1f,%.1f,%.2f,%.2f,%.2f,%.1f,%.1f,%.0f,%.0f,%.0f\n", cols[c].name,
                        r->metric, r->arg, r->median, br ? r->median / br->median : 0, r->exact, r->x_guest, r->x_hv,
                        r->x_dom0, r->x_traps, r->x_flushes, r->x_cr, r->hv, r->own_hv, modelled(r, 0),
                        modelled(r, 1), modelled(r, 2));
            }
        fclose(f);
    }
    return 0;
}
