/* SPDX-License-Identifier: GPL-2.0-only */
/* kmapvisor bench --plot: SVG charts, drawn by hand (no plotting library). */
#include "bench.h"
#include <stdio.h>
#include <string.h>

#define W 760
#define H 420
#define L 80   /* left margin */
#define B 60   /* bottom margin */
#define T 50   /* top margin */
#define R 170  /* right margin (legend) */

static const char *const colours[] = { "#222222", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2" };

static FILE *svg_open(const char *dir, const char *name, const char *title, const char *xlabel, const char *ylabel)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return NULL;
    }
    fprintf(f, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>\n", W, H);
    fprintf(f, "<rect width='100%%' height='100%%' fill='white'/>\n");
    fprintf(f, "<text x='%d' y='24' font-size='15' text-anchor='middle'>%s</text>\n", (W - R + L) / 2, title);
    fprintf(f, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>\n", L, H - B, W - R, H - B);
    fprintf(f, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>\n", L, T, L, H - B);
    fprintf(f, "<text x='%d' y='%d' text-anchor='middle'>%s</text>\n", (W - R + L) / 2, H - 18, xlabel);
    fprintf(f, "<text x='18' y='%d' transform='rotate(-90 18 %d)' text-anchor='middle'>%s</text>\n", (H - B + T) / 2,
            (H - B + T) / 2, ylabel);
    return f;
}

static void y_axis(FILE *f, double ymax)
{
    for (int i = 0; i <= 4; i++) {
        double v = ymax * i / 4;
        int y = H - B - (int)((H - B - T) * i / 4);
        fprintf(f, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#dddddd'/>\n", L, y, W - R, y);
        fprintf(f, "<text x='%d' y='%d' text-anchor='end'>%.0f</text>\n", L - 6, y + 4, v);
    }
}

static void legend(FILE *f)
{
    for (unsigned s = 0; s < nr_strategies; s++) {
        int y = T + 10 + (int)s * 20;
        fprintf(f, "<rect x='%d' y='%d' width='12' height='12' fill='%s'/>", W - R + 15, y - 10, colours[s % 8]);
        fprintf(f, "<text x='%d' y='%d'>%s</text>\n", W - R + 32, y, strategies[s].name);
    }
}

/* What a chart shows: modelled cycles at the mid costs; throughput as is. */
static double plotted(const struct result *r)
{
    return strcmp(r->metric, "throughput") ? r->modelled[MODEL_MID] : r->median;
}

static double ymax_of(const struct bench_run *br, const char *metric, int lo, int hi)
{
    double m = 1;
    for (unsigned i = 0; i < br->nr_results; i++)
        if (!strcmp(br->results[i].metric, metric) && br->results[i].arg >= lo && br->results[i].arg <= hi &&
            plotted(&br->results[i]) > m)
            m = plotted(&br->results[i]);
    return m * 1.1;
}

/* Lines: metric against its argument, one line per strategy. */
static int line_chart(const struct bench_run *br, const char *dir, const char *file, const char *metric,
                      const char *title, const char *xlabel, const char *ylabel, int lo, int hi)
{
    FILE *f = svg_open(dir, file, title, xlabel, ylabel);
    if (!f)
        return -1;
    double ymax = ymax_of(br, metric, lo, hi);
    y_axis(f, ymax);
    for (int x = lo; x <= hi; x++) {
        int px = L + (int)((double)(W - R - L) * (x - lo) / (hi > lo ? hi - lo : 1));
        fprintf(f, "<text x='%d' y='%d' text-anchor='middle'>%d</text>\n", px, H - B + 16, x);
    }
    for (unsigned s = 0; s < nr_strategies; s++) {
        fprintf(f, "<polyline fill='none' stroke='%s' stroke-width='2' points='", colours[s % 8]);
        for (int x = lo; x <= hi; x++) {
            const struct result *r = bench_find(br, strategies[s].name, metric, x);
            if (!r)
                continue;
            int px = L + (int)((double)(W - R - L) * (x - lo) / (hi > lo ? hi - lo : 1));
            int py = H - B - (int)((H - B - T) * plotted(r) / ymax);
            fprintf(f, "%d,%d ", px, py);
        }
        fprintf(f, "'/>\n");
    }
    legend(f);
    fprintf(f, "</svg>\n");
    fclose(f);
    return 0;
}

/* Bars: the pair cost of every strategy. */
static int pair_chart(const struct bench_run *br, const char *dir)
{
    FILE *f = svg_open(dir, "pair-cost.svg", "kmap_local + kunmap_local pair, by strategy", "strategy",
                       "modelled cycles (T=600, F=200)");
    if (!f)
        return -1;
    double ymax = ymax_of(br, "pair_same", 0, 0);
    double y2 = ymax_of(br, "pair_new", 0, 0);
    ymax = y2 > ymax ? y2 : ymax;
    y_axis(f, ymax);
    int slot = (W - R - L) / (int)nr_strategies;
    for (unsigned s = 0; s < nr_strategies; s++) {
        const char *metrics[2] = { "pair_same", "pair_new" };
        for (int m = 0; m < 2; m++) {
            const struct result *r = bench_find(br, strategies[s].name, metrics[m], 0);
            if (!r)
                continue;
            int h = (int)((H - B - T) * plotted(r) / ymax);
            int x = L + (int)s * slot + 8 + m * (slot / 2 - 4);
            fprintf(f, "<rect x='%d' y='%d' width='%d' height='%d' fill='%s' opacity='%s'/>\n", x, H - B - h,
                    slot / 2 - 12, h, colours[s % 8], m ? "0.55" : "1");
        }
        fprintf(f, "<text x='%d' y='%d' text-anchor='middle' font-size='10'>%s</text>\n", L + (int)s * slot + slot / 2,
                H - B + 16, strategies[s].name);
    }
    fprintf(f, "<text x='%d' y='%d' font-size='11'>solid: same frame, light: new frame</text>\n", W - R + 10, H - B);
    fprintf(f, "</svg>\n");
    fclose(f);
    return 0;
}

int bench_write_plots(const struct bench_run *br, const char *dir)
{
    int r = pair_chart(br, dir);
    r |= line_chart(br, dir, "switch-cost.svg", "switch", "Context switch cost against live slots per task",
                    "live slots per task (d)", "modelled cycles per switch (T=600, F=200)", 0, 8);
    r |= line_chart(br, dir, "throughput.svg", "throughput", "Stress throughput against vCPUs (correctness workload, plain TCG)", "vCPUs",
                    "verified sections / s / vCPU", 1, 4);
    if (!r)
        printf("wrote %s/pair-cost.svg, switch-cost.svg and throughput.svg\n", dir);
    return r;
}
