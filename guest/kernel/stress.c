/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workload=stress: on every vCPU several tasks repeat random nested
 * kmap_local sections over their own highmem frames, writing a pattern
 * derived from (frame, generation) through each mapping and checking it
 * through every mapping; they are preempted, sleep, yield, migrate and
 * take page faults while holding mappings.  The timer handler maps two
 * nested pages and the IPI handler one, at any instruction, including in
 * the middle of a replay.  Any word that reads back wrong is a
 * verification error.
 */
#include "workload.h"

#define FRAMES_PER_TASK 32
#define IRQ_FRAMES_PER_CPU 8
#define IRQ_SLOTS 4                /* what handlers may stack on top */
#define WORDS_CHECKED 64           /* words written and read per page */

static struct {
    volatile unsigned long sections, maps, irq_maps, faults, errors, done;
    volatile unsigned long max_depth;
} st;
static uint32_t first_task_pfn, first_irq_pfn, max_depth;
static uint64_t end_time;
static const struct workload_config *config;

static uint32_t pattern(uint32_t pfn, uint32_t gen, unsigned i)
{
    return (pfn * 2654435761u) ^ (gen * 0x9e3779b9u) ^ (i * 0x85ebca6bu);
}

/* Word i of the WORDS_CHECKED sample is at a stride that covers the page. */
static inline unsigned word_index(unsigned i) { return i * (PAGE_SIZE / 4 / WORDS_CHECKED) + (i % 7); }

static void fill(void *va, uint32_t pfn, uint32_t gen)
{
    volatile uint32_t *p = va;
    for (unsigned i = 0; i < WORDS_CHECKED; i++)
        p[word_index(i)] = pattern(pfn, gen, i);
}

static unsigned verify(const void *va, uint32_t pfn, uint32_t gen)
{
    const volatile uint32_t *p = va;
    unsigned bad = 0;
    for (unsigned i = 0; i < WORDS_CHECKED; i++)
        bad += p[word_index(i)] != pattern(pfn, gen, i);
    return bad;
}

static void count_error(const char *where, uint32_t pfn, unsigned bad)
{
    unsigned long n = __atomic_add_fetch(&st.errors, 1, __ATOMIC_SEQ_CST);
    if (n <= 5)
        printk("stress: VERIFICATION ERROR in %s: pfn %x, %u bad words\n", where, pfn, bad);
}

/* A handler's nested section over this vCPU's own frames. */
static uint32_t irq_gen[MAX_CPUS][IRQ_FRAMES_PER_CPU];
static void handler_section(unsigned depth, const char *who)
{
    unsigned cpu = smp_processor_id();
    void *va[4];
    uint32_t pfn[4];
    for (unsigned i = 0; i < depth; i++) {
        unsigned k = (irq_gen[cpu][0] + i) % IRQ_FRAMES_PER_CPU;
        pfn[i] = first_irq_pfn + cpu * IRQ_FRAMES_PER_CPU + k;
        va[i] = kmap_local_pfn(pfn[i]);
        fill(va[i], pfn[i], ++irq_gen[cpu][k]);
    }
    for (unsigned i = depth; i-- > 0;) {
        unsigned k = (pfn[i] - first_irq_pfn) % IRQ_FRAMES_PER_CPU;
        unsigned bad = verify(va[i], pfn[i], irq_gen[cpu][k]);
        if (bad)
            count_error(who, pfn[i], bad);
        kunmap_local(va[i]);
    }
    __atomic_add_fetch(&st.irq_maps, depth, __ATOMIC_RELAXED);
}

static void stress_tick(struct cpu *c)
{
    handler_section(2, "timer handler");
    /* Every 16th tick, migrate a task to the next vCPU.  When no task
     * can move at that tick (all others asleep: likelier when the host is
     * loaded), keep trying at each tick until one does, so that a run
     * always migrates. */
    static unsigned long next_migration[MAX_CPUS];
    if (c->ticks >= next_migration[c->id] && plat.nr_cpus > 1) {
        unsigned to = (c->id + 1) % plat.nr_cpus;
        bool moved = sched_migrate_one(to);
        if (moved)
            next_migration[c->id] = c->ticks + 16;
        if (moved || c->ticks % 16 == 0)
            plat_send_ipi(to); /* its handler maps too, as before */
    }
}

static void stress_ipi(void)
{
    handler_section(1, "IPI handler");
}

bool page_fault_hook(struct exc_frame *f)
{
    if (f->eip != (uint32_t)probe_unmapped_insn)
        return false;
    /* A fault handler maps too, on top of the faulting section. */
    if (config)
        handler_section(1, "page-fault handler");
    f->eip = (uint32_t)probe_unmapped_resume;
    f->r.eax = 0xfa17u;
    return true;
}

static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

struct worker {
    uint32_t seed;
    uint32_t gen[FRAMES_PER_TASK];
    unsigned long sections;
};
static struct worker workers[64];

static void worker_fn(void *arg)
{
    struct worker *w = arg;
    struct task *self = current_task();
    uint32_t base = first_task_pfn + self->id * FRAMES_PER_TASK;
    while (system_time_ns() < end_time) {
        unsigned depth = 1 + rnd(&w->seed) % max_depth;
        void *va[KMV_MAX_SLOTS];
        uint32_t pfn[KMV_MAX_SLOTS];
        for (unsigned i = 0; i < depth; i++) {
            unsigned k = (rnd(&w->seed) % (FRAMES_PER_TASK / max_depth)) * max_depth + i; /* distinct per level */
            pfn[i] = base + k % FRAMES_PER_TASK;
            va[i] = kmap_local_pfn(pfn[i]);
            if (!va[i]) {
                count_error("kmap_local_pfn (no address)", pfn[i], 0);
                depth = i;
                break;
            }
            fill(va[i], pfn[i], ++w->gen[pfn[i] - base]);
            switch (rnd(&w->seed) % 16) {
            case 0: sched_yield(); break;                      /* switch while holding */
            case 1: sleep_ns(100000); break;
            case 2: probe_unmapped(0x40000000u); __atomic_add_fetch(&st.faults, 1, __ATOMIC_RELAXED); break;
            case 3: for (volatile int spin = 0; spin < 20000; spin++) ; break; /* get preempted */
            default: break;
            }
            /* Every level below must still be intact. */
            for (unsigned j = 0; j <= i; j++) {
                unsigned bad = verify(va[j], pfn[j], w->gen[pfn[j] - base]);
                if (bad)
                    count_error("a task section", pfn[j], bad);
            }
        }
        if (depth > st.max_depth)
            st.max_depth = depth;
        for (unsigned i = depth; i-- > 0;)
            kunmap_local(va[i]);
        w->sections++;
        __atomic_add_fetch(&st.sections, 1, __ATOMIC_RELAXED);
    }
    __atomic_add_fetch(&st.done, 1, __ATOMIC_SEQ_CST);
}

static void stress_cpu_tick(struct cpu *c)
{
    stress_tick(c);
}


static unsigned nr_workers;
static void reporter_fn(void *arg);

_Noreturn void workload_stress(const struct workload_config *cfg)
{
    config = cfg;
    unsigned ntasks = cfg->tasks_per_cpu * plat.nr_cpus;
    first_task_pfn = plat.first_highmem_pfn;
    first_irq_pfn = first_task_pfn + 64 * FRAMES_PER_TASK;
    if (first_irq_pfn + MAX_CPUS * IRQ_FRAMES_PER_CPU > plat.nr_usable_pages)
        guest_panic("not enough highmem for the stress workload (need %u pages)",
                    64 * FRAMES_PER_TASK + MAX_CPUS * IRQ_FRAMES_PER_CPU);
    unsigned slots = plat.window_slots;
    max_depth = slots > IRQ_SLOTS + 1 ? slots - IRQ_SLOTS : 1;
    if (max_depth > 12)
        max_depth = 12;
    end_time = system_time_ns() + (uint64_t)cfg->duration_ms * 1000000;
    printk("stress: platform %s, %u vCPUs x %u tasks, %u ms, seed %u, backend %s, %s replay, depth up to %u\n", plat.name, plat.nr_cpus,
           cfg->tasks_per_cpu, cfg->duration_ms, cfg->seed, cfg->backend, cfg->batched ? "batched" : "per-entry",
           max_depth);
    for (unsigned i = 0; i < ntasks; i++) {
        workers[i].seed = cfg->seed * 7919u + i * 104729u + 1;
        task_create(i % plat.nr_cpus, worker_fn, &workers[i]);
    }
    nr_workers = ntasks;
    task_create(0, reporter_fn, NULL);
    workload_start_cpus(stress_cpu_tick, stress_ipi); /* never returns: the CPUs run the tasks */
}

static void reporter_fn(void *arg)
{
    (void)arg;
    unsigned ntasks = nr_workers;
    while (READ_ONCE(st.done) < ntasks)
        sleep_ns(20000000);
    unsigned long maps = 0, replays = 0, irq_maps = 0, migrations = 0, switches = 0, preempt = 0;
    for (unsigned c = 0; c < plat.nr_cpus; c++) {
        maps += cpus[c].kmap.maps;
        replays += cpus[c].kmap.replays;
        irq_maps += cpus[c].kmap.irq_maps;
        switches += cpus[c].switches;
        preempt += cpus[c].preemptions;
    }
    migrations = sched_total_migrations();
    printk("stress: sections=%lu maps=%lu replays=%lu irq_maps=%lu migrations=%lu switches=%lu preemptions=%lu "
           "faults=%lu max_depth=%lu errors=%lu\n",
           st.sections, maps, replays, irq_maps, migrations, switches, preempt, st.faults, st.max_depth, st.errors);
    bool ok = st.errors == 0 && st.sections > 0;
    printk("guest: result: %s\n", ok ? "PASS" : "FAIL");
    plat_shutdown(ok);
}
