/* SPDX-License-Identifier: GPL-2.0-only */
/* The common part of booting: the command line picks a workload or a
 * platform test. */
#include "kernel.h"
#include "workload.h"

struct platform_info plat;
char boot_cmdline[1024];

static _Noreturn void run_workload(const char *name)
{
    static char backend[16], variant[16] = "perentry";
    static struct workload_config cfg;
    /* pv on kmapvisor, native natively, xen in a slot area of our own */
    const char *dflt = plat.window_cpu_span ? "xen" : plat.name;
    memcpy(backend, dflt, strlen(dflt) + 1);
    boot_arg("backend", backend, sizeof(backend));
    boot_arg("variant", variant, sizeof(variant));
    cfg.tasks_per_cpu = (unsigned)boot_arg_uint("tasks", 3);
    cfg.duration_ms = (unsigned)boot_arg_uint("duration", 3000);
    cfg.seed = (uint32_t)boot_arg_uint("seed", 1);
    cfg.batched = !strcmp(variant, "batched");
    cfg.backend = backend;
    if (!cfg.batched && strcmp(variant, "perentry"))
        guest_panic("variant=%s: must be perentry or batched", variant);
    if (cfg.tasks_per_cpu < 1 || cfg.tasks_per_cpu * plat.nr_cpus > 60)
        guest_panic("tasks=%u: must be 1..%u per CPU", cfg.tasks_per_cpu, 60 / plat.nr_cpus);
    kmap_select_backend(backend, cfg.batched);
    if (!strcmp(name, "stress"))
        workload_stress(&cfg);
    if (!strcmp(name, "selftest"))
        workload_selftest(&cfg);
    if (!strcmp(name, "bench"))
        workload_bench(&cfg);
    guest_panic("unknown workload '%s' (stress, selftest or bench)", name);
}

_Noreturn void kernel_start(void)
{
    char what[32];
    printk("guest: kmapvisor mini kernel (%s), %u CPU(s), %u pages (%u lowmem), cmdline '%s'\n", plat.name,
           plat.nr_cpus, (unsigned)plat.nr_usable_pages, (unsigned)plat.lowmem_pages, boot_cmdline);
    if (boot_arg("workload", what, sizeof(what)))
        run_workload(what);
    if (!boot_arg("test", what, sizeof(what)))
        memcpy(what, "boot", 5);
    plat_run_test(what);
}
