/* SPDX-License-Identifier: GPL-2.0-only */
/* Workloads of the mini guest. */
#ifndef GUEST_WORKLOAD_H
#define GUEST_WORKLOAD_H

#include "sched.h"
#include <kmap_local.h>

struct workload_config {
    unsigned tasks_per_cpu;
    unsigned duration_ms;
    uint32_t seed;
    bool batched;
    const char *backend;
};

_Noreturn void workload_stress(const struct workload_config *cfg);
_Noreturn void workload_selftest(const struct workload_config *cfg);
_Noreturn void workload_bench(const struct workload_config *cfg);
/* The timer and IPI plumbing shared by the workloads. */
/* Every CPU into the scheduler; per_cpu_tick runs in each timer event,
 * per_ipi in each IPI (either may be NULL). */
_Noreturn void workload_start_cpus(void (*per_cpu_tick)(struct cpu *c), void (*per_ipi)(void));
uint32_t probe_unmapped(uint32_t addr);
extern char probe_unmapped_insn[], probe_unmapped_resume[];
extern void (*kmap_report_handler)(const char *msg);
void kmap_select_backend(const char *name, bool batched);
const struct kmap_local_kernel *kmap_kernel(void);

#endif
