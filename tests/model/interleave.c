/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exhaustive interleaving of interrupts and NMIs with a context switch.
 *
 * The guest kmap_local library and the hypervisor's window core are
 * compiled together on the host.  Task A holds `a` live mappings, task B
 * holds `b` (switched out).  We switch A -> B and deliver an interrupt
 * (which maps k pages, checks each, and unmaps them) at every step of the
 * switch -- each backend call, each index update, each task-list update,
 * the change of `current` -- and, inside that interrupt, an NMI at every
 * step of the handler; and separately an NMI at every step of the switch
 * itself, inside the masked units too.  Interrupts respect the (virtual) interrupt flag;
 * NMIs do not.  After each run every live mapping of both tasks must
 * resolve, through a software TLB, to its own frame, the depth must be
 * right, and no slot may leak.
 *
 * Schemes: the library with per-entry replay (pv and native backends),
 * the library with one-trap batched replay (pv), Linux 5.11's split
 * switch with the index in the task, and -- a fixture that must fail --
 * the rejected RFC that keeps the index in the task and changes
 * `current` separately from the replay.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kmap_local.h>
#include <kmap_local_hooks.h>
#include <kmap_backends.h>
#include "tests/unit/fake_window_env.h"

#define BASE 0xffe00000u
#define NSLOTS 16
#define MAXA 6
#define MAXK 3
#define FRAME_A 1100u
#define FRAME_B 1200u
#define FRAME_IRQ 1300u
#define FRAME_NMI 1400u

/* ---- the machine ---- */
static struct fake_env fe;
static struct kmap_env env;
static struct kmap_window win;
static bool masked;
static int ctx;                 /* 0 task, 1 interrupt, 2 NMI */
static bool irq_pending;
static unsigned step_no, irq_at, irq_steps, nmi_at, irq_k;
static unsigned nmi_task_at; /* an NMI straight into the task's step, masked or not */
static bool failed;
static char why[200];
static char trace[4096];
static size_t trace_len;

struct task {
    struct kmap_local_task kmap; /* the library's list */
    unsigned idx;                /* schemes with the index in the task */
    uint32_t pteval[NSLOTS];
    uint32_t frame0;
    unsigned n;                  /* how many mappings it holds */
};
static struct task task_a, task_b, *current;
static struct kmap_local_cpu cpu;

#include <stdarg.h>
static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    if (failed)
        return;
    failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
}

static bool tracing;
static void note(const char *s)
{
    if (!tracing)
        return;
    int n = snprintf(trace + trace_len, sizeof(trace) - trace_len, "%s; ", s);
    if (n > 0 && trace_len + (size_t)n < sizeof(trace))
        trace_len += (size_t)n;
}

/* ---- one scheme = map, unmap, switch ---- */
struct scheme {
    const char *name;
    bool must_fail;
    void (*setup)(void);
    uintptr_t (*map)(uint32_t pfn);
    void (*unmap)(uintptr_t va);
    void (*switch_tasks)(struct task *prev, struct task *next);
};
static const struct scheme *S;

static void deliver_irq(void);
static void deliver_nmi(void);

/* Called at every step of the code under test. */
void harness_step(const char *what);
void harness_step(const char *what)
{
    note(what);
    if (ctx == 0) {
        ++step_no;
        if (step_no == nmi_task_at)
            deliver_nmi();
        if (step_no == irq_at) {
            irq_pending = true;
            if (!masked)
                deliver_irq();
        }
    } else if (ctx == 1) {
        if (++irq_steps == nmi_at)
            deliver_nmi();
    }
}

static void handler_body(uint32_t frame0, unsigned k, const char *who)
{
    uintptr_t va[MAXK];
    for (unsigned i = 0; i < k; i++) {
        va[i] = S->map(frame0 + i);
        if (!va[i] || fake_access(&fe, &win, (uint32_t)va[i]) != frame0 + i)
            fail("%s mapping %u does not show its frame (slot %u)", who, i, va[i] ? (unsigned)((va[i] - BASE) >> 12) : 99);
    }
    for (unsigned i = k; i-- > 0;) {
        if (fake_access(&fe, &win, (uint32_t)va[i]) != frame0 + i)
            fail("%s mapping %u was overwritten before its unmap", who, i);
        S->unmap(va[i]);
    }
}

static void deliver_irq(void)
{
    irq_pending = false;
    note("<<interrupt");
    bool saved = masked;
    masked = true; /* the upcall runs with events masked */
    ctx = 1;
    irq_steps = 0;
    handler_body(FRAME_IRQ, irq_k, "interrupt");
    ctx = 0;
    masked = saved;
    note("interrupt>>");
}

static void deliver_nmi(void)
{
    note("<<NMI");
    int saved = ctx;
    ctx = 2;
    handler_body(FRAME_NMI, 2, "NMI");
    ctx = saved;
    note("NMI>>");
}

/* ---- hooks of the library ---- */
static unsigned long hook_irq_save(void)
{
    bool old = masked;
    masked = true;
    return old;
}
static void hook_irq_restore(unsigned long flags)
{
    masked = flags;
    if (!masked && irq_pending && ctx == 0)
        deliver_irq();
}
static struct kmap_local_cpu *hook_this_cpu(void) { return &cpu; }
static struct kmap_local_task *hook_current_task(void) { return ctx ? NULL : &current->kmap; }
static void *hook_lowmem_addr(uint32_t pfn) { (void)pfn; return NULL; }
static void hook_report(const char *msg) { fail("the library reported: %s", msg); }
static const struct kmap_local_kernel kernel = {
    hook_irq_save, hook_irq_restore, hook_this_cpu, hook_current_task, hook_lowmem_addr, hook_report,
    BASE, 4096, NSLOTS, 0, NULL, 0, /* one window per CPU, at the same address */
};

/* ---- the shipped backends, against a fake hypercall layer ---- */
/*
 * The pv and pv-cached backends (guest-patches/backends/pv.c) make
 * hypercalls through struct kmap_hypercall_ops; here a hypercall goes
 * straight into the hypervisor's window core, its guest buffers copied
 * through the fake guest memory as the PV layer would copy them.
 */
#define GUEST_SAVE    (FAKE_GUEST_BASE)
#define GUEST_RESTORE (FAKE_GUEST_BASE + 0x1000)

static long fake_kmap_op(unsigned cmd, unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4)
{
    struct kmap_entry *save = (struct kmap_entry *)fe.guest, *list = (struct kmap_entry *)(fe.guest + 0x1000);
    long r;
    switch (cmd) {
    case KMAPOP_push:
        return kmap_push(&win, &env, (uint32_t)a1, (uint32_t)a2);
    case KMAPOP_pop:
        return kmap_pop(&win, &env, (uint32_t)a1);
    case KMAPOP_switch: /* (base, save *, restore *, n) */
        memcpy(list, (const void *)a3, a4 * sizeof(*list));
        r = kmap_switch(&win, &env, (uint32_t)a1, GUEST_SAVE, GUEST_RESTORE, (uint32_t)a4);
        if (r > 0)
            memcpy((void *)a2, save, (size_t)r * sizeof(*save));
        return r;
    case KMAPOP_install:
        return kmap_install(&win, &env, (uint32_t)a1, (uint32_t)a2, (uint32_t)a3);
    case KMAPOP_install_list: /* (va, list *, n) */
        memcpy(list, (const void *)a2, a3 * sizeof(*list));
        return kmap_install_list(&win, &env, (uint32_t)a1, GUEST_RESTORE, (uint32_t)a3);
    default:
        fail("the backend made kmap_op %u, which this harness does not model", cmd);
        return -38;
    }
}
static long fake_uva(uint32_t va, uint64_t pte, unsigned flags)
{
    (void)flags;
    return kmap_update_va_mapping(&win, &env, va, pte & 1, (uint32_t)(pte >> 12), (pte & 2) ? KMAP_PROT_WRITE : 0);
}
static uint32_t identity_mfn(uint32_t pfn) { return pfn; }
static unsigned cpu0(void) { return 0; }
static const struct kmap_hypercall_ops fake_hypercalls = { fake_kmap_op, fake_uva, identity_mfn, cpu0 };

/* raw PTE writes in the fake page table: invlpg only where the code
 * under test flushes, so a missing flush shows as a stale TLB entry */
static void raw_set(unsigned slot, uint32_t pfn)
{
    fe.pte[slot] = ((uint64_t)pfn << 12) | 3;
    if (fe.tlb[slot]) /* replacing a present PTE: flush */
        fe.tlb[slot] = 0;
}
static void raw_clear(unsigned slot)
{
    fe.pte[slot] = 0;
    fe.tlb[slot] = 0;
}
/* The native backend's view of the fake window. */
static void native_set_pte(unsigned slot, uint64_t pte) { fe.pte[slot] = pte; }
static void native_flush(uintptr_t va) { fe.tlb[((uint32_t)va - BASE) >> 12] = 0; }
static const struct kmap_native_ops fake_native = { native_set_pte, native_flush, NULL };

/* ---- scheme: the library (per-CPU index) ---- */
static uintptr_t lib_map(uint32_t pfn) { return (uintptr_t)kmap_local_pfn(pfn); }
static void lib_unmap(uintptr_t va) { kunmap_local((void *)va); }
static void lib_switch(struct task *prev, struct task *next)
{
    kmap_local_sched_switch(&prev->kmap, &next->kmap); /* per-entry or one trap */
    harness_step("current = next");
    current = next;
}
static void lib_perentry_switch(struct task *prev, struct task *next)
{
    kmap_local_sched_out(&prev->kmap);
    harness_step("current = next");
    current = next;
    kmap_local_sched_in(&next->kmap);
}
static const struct kmap_arch *x86;
/* Registering the backend again is a fresh window: its slot cache empties. */
static void setup_pv(void) { kmap_backend_pv_register(&fake_hypercalls); kmap_local_init(&kernel, &kmap_backend_pv, x86, false); }
static void setup_pv_batched(void) { kmap_backend_pv_register(&fake_hypercalls); kmap_local_init(&kernel, &kmap_backend_pv, x86, true); }
static void setup_native(void) { kmap_backend_native_register(&fake_native); kmap_local_init(&kernel, &kmap_backend_native, x86, false); }
static void setup_cached(void)
{
    kmap_window_init(&win, BASE, NSLOTS, KMAP_WIN_CACHED | KMAP_WIN_LAZY, KMAP_PROT_WRITE);
    kmap_backend_pv_register(&fake_hypercalls);
    kmap_local_init(&kernel, &kmap_backend_pv_cached, x86, false);
}
static void setup_cached_batched(void)
{
    setup_cached();
    kmap_local_init(&kernel, &kmap_backend_pv_cached, x86, true);
}

/* ---- schemes with the index in the task ---- */
static uintptr_t task_idx_map(uint32_t pfn)
{
    struct task *t = current;
    unsigned idx = t->idx;
    t->idx = idx + 1;
    harness_step("task index push");
    t->pteval[idx] = pfn;
    raw_set(idx, pfn);
    harness_step("set pte");
    return BASE + idx * 4096;
}
static void task_idx_unmap(uintptr_t va)
{
    struct task *t = current;
    unsigned idx = (unsigned)((va - BASE) >> 12);
    raw_clear(idx);
    harness_step("clear pte");
    t->idx = idx;
    harness_step("task index pop");
}
/* Linux 5.11: clear prev's slots (index untouched), switch current, then
 * re-establish next's; an interrupt always maps above the slots in play. */
static void linux_switch(struct task *prev, struct task *next)
{
    for (unsigned i = 0; i < prev->idx; i++) {
        raw_clear(i);
        harness_step("sched_out: clear slot");
    }
    current = next;
    harness_step("current = next");
    for (unsigned i = 0; i < next->idx; i++) {
        raw_set(i, next->pteval[i]);
        harness_step("sched_in: restore slot");
    }
}
/* The rejected RFC: the same loops, but `current` (and with it the index
 * that interrupts use) changes only after the replay. */
static void rfc_switch(struct task *prev, struct task *next)
{
    for (unsigned i = 0; i < prev->idx; i++) {
        raw_clear(i);
        harness_step("unmap prev slot");
    }
    for (unsigned i = 0; i < next->idx; i++) {
        raw_set(i, next->pteval[i]);
        harness_step("map next slot");
    }
    current = next;
    harness_step("current = next");
}
static void setup_none(void) { }

static const struct scheme schemes[] = {
    { "library, per-entry replay, pv backend", false, setup_pv, lib_map, lib_unmap, lib_perentry_switch },
    { "library, one-trap switch, pv backend", false, setup_pv_batched, lib_map, lib_unmap, lib_switch },
    { "library, per-entry replay, native backend", false, setup_native, lib_map, lib_unmap, lib_perentry_switch },
    { "library, per-entry replay, pv-cached backend", false, setup_cached, lib_map, lib_unmap, lib_perentry_switch },
    { "library, one-trap install, pv-cached backend", false, setup_cached_batched, lib_map, lib_unmap, lib_switch },
    { "Linux 5.11 split switch (index in task)", false, setup_none, task_idx_map, task_idx_unmap, linux_switch },
    { "UNSAFE RFC (index in task, current switched separately)", true, setup_none, task_idx_map, task_idx_unmap, rfc_switch },
};

static void reset(void)
{
    fake_env_init(&fe, &env);
    kmap_window_init(&win, BASE, NSLOTS, 0, KMAP_PROT_WRITE);
    memset(&cpu, 0, sizeof(cpu));
    memset(&task_a, 0, sizeof(task_a));
    memset(&task_b, 0, sizeof(task_b));
    masked = false;
    ctx = 0;
    irq_pending = false;
    failed = false;
    step_no = 0;
    trace_len = 0;
    trace[0] = '\0';
    S->setup();
}

static void check_task(struct task *t, const char *when)
{
    unsigned depth = S->map == lib_map ? cpu.idx : t->idx;
    if (depth != t->n)
        fail("%s: depth %u, expected %u", when, depth, t->n);
    for (unsigned i = 0; i < t->n; i++)
        if (fake_access(&fe, &win, BASE + i * 4096) != t->frame0 + i)
            fail("%s: the task's mapping %u shows frame %u, expected %u", when, i,
                 fake_access(&fe, &win, BASE + i * 4096), t->frame0 + i);
    /* Eager schemes leave nothing above the stack; cached and lazy
     * windows keep stale PTEs there on purpose (the depth says they are free). */
    for (unsigned i = t->n; i < NSLOTS && !(win.flags & KMAP_WIN_LAZY); i++)
        if (fake_access(&fe, &win, BASE + i * 4096))
            fail("slot %u leaked (still maps frame %u)", i, fake_access(&fe, &win, BASE + i * 4096));
}

/* One run: returns the number of steps the switch took. */
static unsigned run_nmi(unsigned a, unsigned b, unsigned k, unsigned inject, unsigned nmi, unsigned nmi_task);
static unsigned run(unsigned a, unsigned b, unsigned k, unsigned inject, unsigned nmi)
{
    return run_nmi(a, b, k, inject, nmi, 0);
}

static unsigned run_nmi(unsigned a, unsigned b, unsigned k, unsigned inject, unsigned nmi, unsigned nmi_task)
{
    reset();
    irq_k = k;
    task_a.frame0 = FRAME_A, task_a.n = a;
    task_b.frame0 = FRAME_B, task_b.n = b;
    irq_at = 0;
    nmi_at = 0;
    /* B maps its pages, is switched out; A maps its pages. */
    current = &task_b;
    for (unsigned i = 0; i < b; i++)
        S->map(FRAME_B + i);
    S->switch_tasks(&task_b, &task_a);
    for (unsigned i = 0; i < a; i++)
        S->map(FRAME_A + i);
    if (failed)
        return 0;
    /* The switch under test. */
    trace_len = 0;
    step_no = 0;
    irq_at = inject;
    nmi_at = nmi;
    nmi_task_at = nmi_task;
    tracing = true;
    S->switch_tasks(&task_a, &task_b);
    nmi_task_at = 0;
    tracing = false;
    unsigned steps = step_no;
    irq_at = 0;
    if (irq_pending) /* the switch ended masked: deliver on the way out */
        deliver_irq();
    check_task(&task_b, "after A->B");
    /* And back, undisturbed: A's mappings must all return. */
    S->switch_tasks(&task_b, &task_a);
    check_task(&task_a, "after B->A");
    return steps;
}

int main(void)
{
    int bad = 0;
    x86 = kmap_arch_find("x86-32-pae");
    unsigned long grand = 0;
    for (unsigned s = 0; s < sizeof(schemes) / sizeof(schemes[0]); s++) {
        S = &schemes[s];
        unsigned long runs = 0, failures = 0;
        char first[sizeof(trace) + 300] = "";
        for (unsigned a = 0; a <= MAXA; a++)
            for (unsigned b = 0; b <= MAXA; b++)
                for (unsigned k = 0; k <= MAXK; k++) {
                    unsigned steps = run(a, b, k, 0, 0);
                    if (failed) { /* even without an interrupt */
                        runs++, failures++;
                        if (failures == 1)
                            snprintf(first, sizeof(first), "a=%u b=%u k=%u, no interrupt: %s", a, b, k, why);
                    }
                    /* An NMI at every step of the switch itself (NMIs ignore the mask). */
                    for (unsigned nt = 1; nt <= steps; nt++) {
                        run_nmi(a, b, k, 0, 0, nt);
                        runs++;
                        if (failed && !failures++)
                            snprintf(first, sizeof(first), "a=%u b=%u, NMI at switch step %u: %s\n    trace: %s", a, b,
                                     nt, why, trace);
                    }
                    for (unsigned inj = 1; inj <= steps; inj++) {
                        run(a, b, k, inj, 0);
                        unsigned hsteps = irq_steps;
                        for (unsigned nmi = 0; nmi <= hsteps; nmi++) {
                            run(a, b, k, inj, nmi);
                            runs++;
                            if (failed) {
                                if (!failures) {
                                    char nmi_txt[48] = "";
                                    if (nmi)
                                        snprintf(nmi_txt, sizeof(nmi_txt), ", NMI at handler step %u", nmi);
                                    snprintf(first, sizeof(first), "a=%u b=%u k=%u, interrupt at step %u%s: %s\n    trace: %s",
                                             a, b, k, inj, nmi_txt, why, trace);
                                }
                                failures++;
                            }
                        }
                    }
                }
        grand += runs;
        bool ok = S->must_fail ? failures > 0 : failures == 0;
        printf("%s %s: %lu interleavings, %lu failures%s\n", ok ? "PASS" : "FAIL", S->name, runs, failures,
               S->must_fail ? " (must fail)" : "");
        if (failures)
            printf("    counterexample: %s\n", first);
        bad += !ok;
    }
    printf("interleave: %lu interleavings in all\n", grand);
    printf("%d passed, %d failed\n", (int)(sizeof(schemes) / sizeof(schemes[0])) - bad, bad);
    return bad ? 1 : 0;
}
