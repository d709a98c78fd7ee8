/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workload=selftest: every misuse of kmap_local, on purpose, each of
 * which must be caught with the expected message: an out-of-order unmap,
 * an unmap of an address that is not mapped, a stack overflow, a task
 * that exits holding a mapping, and one that blocks forever holding one.
 */
#include "workload.h"

static char last_msg[160];
static volatile unsigned reports;
static unsigned failures;

static void record(const char *msg)
{
    snprintf(last_msg, sizeof(last_msg), "%s", msg);
    reports++;
}

static bool contains(const char *s, const char *sub)
{
    size_t n = strlen(sub);
    for (; *s; s++)
        if (!strncmp(s, sub, n))
            return true;
    return false;
}

static void expect(const char *name, unsigned before, const char *text)
{
    bool ok = reports == before + 1 && contains(last_msg, text);
    printk("selftest: %s: %s (%s)\n", name, ok ? "caught" : "NOT CAUGHT", reports == before ? "no report" : last_msg);
    failures += !ok;
}

static uint32_t hm(unsigned i) { return plat.first_highmem_pfn + 3000 + i; }

static volatile bool exiter_done;
static void exiter(void *arg)
{
    (void)arg;
    kmap_local_pfn(hm(10)); /* and return without unmapping */
}

static void blocker(void *arg)
{
    (void)arg;
    void *p = kmap_local_pfn(hm(11));
    unsigned before = reports;
    kmap_local_task_check_idle(&current_task()->kmap, "blocks forever");
    expect("block forever while mapped", before, "blocks forever holding 1 live mapping");
    kunmap_local(p);
}

static void selftest_main(void *arg)
{
    (void)arg;
    unsigned before;
    void *a = kmap_local_pfn(hm(0)), *b = kmap_local_pfn(hm(1));
    before = reports;
    kunmap_local(a);
    expect("out-of-order unmap", before, "out of order");
    if (this_cpu()->kmap.idx != 2) {
        failures++;
        printk("selftest: the rejected unmap changed the stack\n");
    }
    kunmap_local(b);
    kunmap_local(a);

    before = reports;
    kunmap_local((void *)(plat.window_base + 5 * plat.window_stride));
    expect("unmap of an address that is not mapped", before, "not a live kmap_local address");

    before = reports;
    void *v[KMV_MAX_SLOTS];
    unsigned n = 0;
    while (n < plat.window_slots)
        v[n] = kmap_local_pfn(hm(20 + n)), n++;
    void *extra = kmap_local_pfn(hm(20 + n));
    expect("stack overflow", before, "overflow");
    if (extra)
        failures++;
    while (n)
        kunmap_local(v[--n]);

    before = reports;
    struct task *t = task_create(0, exiter, NULL);
    while (t->state != TASK_DEAD)
        sleep_ns(1000000);
    expect("task exits while mapped", before, "exits holding 1 live mapping");

    t = task_create(0, blocker, NULL);
    while (t->state != TASK_DEAD)
        sleep_ns(1000000);

    printk("guest: result: %s (%u not caught)\n", failures ? "FAIL" : "PASS", failures);
    plat_shutdown(!failures);
}

_Noreturn void workload_selftest(const struct workload_config *cfg)
{
    (void)cfg;
    kmap_report_handler = record;
    plat.nr_cpus = 1; /* one CPU is enough, and keeps the expectations exact */
    task_create(0, selftest_main, NULL);
    workload_start_cpus(NULL, NULL);
}
