/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test=kmap: the hypervisor's kmap window, driven through its raw ABI
 * from every vCPU: nested pushes over highmem frames with the contents
 * checked through a second mapping and the lowmem alias, the stop/error
 * policies for a non-nested pop, every hostile argument with its error,
 * the update_va_mapping and multicall paths, and push+pop cycle counts.
 */
#include "pv.h"
#include "test_mm.h"
#include <xen/errno.h>

#define E(x) (-XEN_##x)

static unsigned failures;
#define CHECK(cond, ...)                                                          \
    do {                                                                          \
        if (!(cond)) {                                                            \
            char msg_[160];                                                       \
            __atomic_fetch_add(&failures, 1, __ATOMIC_SEQ_CST);                   \
            snprintf(msg_, sizeof(msg_), __VA_ARGS__);                            \
            printk("guest: kmap: FAILED line %d: %s\n", __LINE__, msg_);          \
        }                                                                         \
    } while (0)

/* Window addresses are above 2 GiB, so negative as a long: an error is
 * only a value in [-4095, -1]. */
static inline bool is_err(long r) { return (unsigned long)r > (unsigned long)-4096; }
static inline long kpush(uint32_t mfn, uint32_t prot) { return HYPERVISOR_kmap_op(KMAPOP_push, mfn, prot, 0, 0); }
static inline long kpop(uint32_t va) { return HYPERVISOR_kmap_op(KMAPOP_pop, va, 0, 0, 0); }


static struct kmap_window_info query(void)
{
    struct kmap_window_info info;
    long r = HYPERVISOR_kmap_op(KMAPOP_query, (unsigned long)&info, 0, 0, 0);
    CHECK(r == 0, "query -> %ld", r);
    return info;
}

static uint32_t pattern(uint32_t pfn, uint32_t gen, unsigned i) { return pfn * 2654435761u ^ gen * 40503u ^ i; }

static void fill(volatile uint32_t *p, uint32_t pfn, uint32_t gen)
{
    for (unsigned i = 0; i < PAGE_SIZE / 4; i += 7)
        p[i] = pattern(pfn, gen, i);
}

static bool verify(volatile uint32_t *p, uint32_t pfn, uint32_t gen)
{
    for (unsigned i = 0; i < PAGE_SIZE / 4; i += 7)
        if (p[i] != pattern(pfn, gen, i))
            return false;
    return true;
}

/* Nest `depth` highmem frames, write each through its slot, check each
 * through a second mapping, unwind.  Every vCPU uses different frames. */
static void nested_round(unsigned cpu, unsigned depth, uint32_t gen)
{
    uint32_t first = kmv_ext->first_highmem_pfn + cpu * 64;
    uint32_t va[KMV_MAX_SLOTS];
    for (unsigned i = 0; i < depth; i++) {
        long r = kpush(mfn_of(first + i), KMAP_PROT_WRITE);
        CHECK(r == (long)(kmv_ext->window.base + i * kmv_ext->window.stride), "cpu %u push %u -> %lx", cpu, i, r);
        va[i] = (uint32_t)r;
        fill((volatile uint32_t *)va[i], first + i, gen);
    }
    for (unsigned i = 0; i < depth; i++) {
        CHECK(verify((volatile uint32_t *)va[i], first + i, gen), "cpu %u slot %u lost its contents", cpu, i);
        /* the same frame through a second slot */
        long r = kpush(mfn_of(first + i), 0);
        CHECK(!is_err(r) || (r == E(ENOSPC) && depth == kmv_ext->window.nslots), "cpu %u: second push -> %ld", cpu, r);
        if (!is_err(r)) {
            CHECK(verify((volatile uint32_t *)r, first + i, gen), "cpu %u: second mapping of slot %u differs", cpu, i);
            CHECK(kpop((uint32_t)r) == 0, "cpu %u pop of the second mapping", cpu);
        }
    }
    for (unsigned i = depth; i-- > 0;)
        CHECK(kpop(va[i]) == 0, "cpu %u pop slot %u", cpu, i);
    CHECK(query().depth == 0, "cpu %u depth after unwinding", cpu);
}

/* A lowmem frame through the window shows what its permanent address has. */
static void lowmem_alias(void)
{
    static uint32_t page[PAGE_SIZE / 4] __attribute__((aligned(PAGE_SIZE)));
    uint32_t pfn = ((uint32_t)page - kmv_ext->virt_base) >> PAGE_SHIFT;
    fill(page, pfn, 77);
    long r = kpush(mfn_of(pfn), KMAP_PROT_WRITE);
    CHECK(!is_err(r) && verify((volatile uint32_t *)r, pfn, 77), "lowmem frame through the window differs");
    fill((volatile uint32_t *)r, pfn, 78);
    CHECK(verify(page, pfn, 78), "a write through the window is not seen at the lowmem address");
    kpop((uint32_t)r);
}

static volatile unsigned cpus_done;
static uint32_t rounds = 50;

static void per_cpu_work(void)
{
    unsigned cpu = smp_processor_id();
    struct kmap_window_info info = query();
    CHECK(info.vcpu == cpu, "query answered for vcpu %u on %u", info.vcpu, cpu);
    for (uint32_t gen = 1; gen <= rounds; gen++)
        nested_round(cpu, 1 + gen % info.nslots, gen);
    nested_round(cpu, info.nslots, 9999);
    __atomic_fetch_add(&cpus_done, 1, __ATOMIC_SEQ_CST);
}

static void hostile_arguments(void)
{
    struct kmap_window_info info = query();
    uint32_t base = info.base, hm = mfn_of(kmv_ext->first_highmem_pfn);
    uint32_t last_ram_mfn = mfn_of(start_info->nr_pages - 1);
    struct kmap_vcpu_stats st0, st1;
    HYPERVISOR_kmap_op(KMAPOP_stats, (unsigned long)&st0, 0, 0, 0);

    /* The first page past lowmem: mapped nowhere, whatever the layout. */
    uint32_t nowhere = kmv_ext->virt_base + kmv_ext->lowmem_pages * PAGE_SIZE + PAGE_SIZE;
    long live = kpush(hm, KMAP_PROT_WRITE); /* one live entry that must survive it all */
    fill((volatile uint32_t *)live, kmv_ext->first_highmem_pfn, 5);
    struct { const char *what; long got, want; } c[] = {
        { "frame not owned (low)", kpush(1, KMAP_PROT_WRITE), E(EPERM) },
        { "frame not owned (high)", kpush(0xfffff, KMAP_PROT_WRITE), E(EPERM) },
        { "page-table frame", kpush(last_ram_mfn + 1, KMAP_PROT_WRITE), E(EACCES) },
        { "user mapping", kpush(hm, KMAP_PROT_USER), E(EOPNOTSUPP) },
        { "executable mapping", kpush(hm, KMAP_PROT_EXEC), E(EOPNOTSUPP) },
        { "unknown prot bit", kpush(hm, 0x100), E(EOPNOTSUPP) },
        { "pop outside the window", kpop(0xc0000000u), E(ERANGE) },
        { "pop misaligned", kpop(base + 4), E(EINVAL) },
        { "pop above the top", kpop(base + 5 * info.stride), E(ENXIO) },
        { "query into unmapped memory", HYPERVISOR_kmap_op(KMAPOP_query, nowhere, 0, 0, 0), E(EFAULT) },
        { "query misaligned", HYPERVISOR_kmap_op(KMAPOP_query, (unsigned long)&st1 + 2, 0, 0, 0), E(EFAULT) },
        { "query into the window", HYPERVISOR_kmap_op(KMAPOP_query, base, 0, 0, 0), E(EFAULT) },
        { "stats into the top page", HYPERVISOR_kmap_op(KMAPOP_stats, 0xfffff000u, 0, 0, 0), E(EFAULT) },
        { "switch base above depth", HYPERVISOR_kmap_op(KMAPOP_switch, 5, 0, 0, 0), E(E2BIG) },
        { "switch save into nowhere", HYPERVISOR_kmap_op(KMAPOP_switch, 0, nowhere + PAGE_SIZE, 0, 0), E(EFAULT) },
        { "switch restore from nowhere", HYPERVISOR_kmap_op(KMAPOP_switch, 1, 0, nowhere + 2 * PAGE_SIZE, 1), E(EFAULT) },
        { "unknown command", HYPERVISOR_kmap_op(77, 0, 0, 0, 0), E(ENOSYS) },
        { "update_va_mapping in the hypervisor area", HYPERVISOR_update_va_mapping(0xf5800000u, 0, UVMF_INVLPG), E(EINVAL) },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(c); i++) {
        CHECK(c[i].got == c[i].want, "%s: got %ld, want %ld", c[i].what, c[i].got, c[i].want);
        printk("guest: kmap: %s -> %ld\n", c[i].what, c[i].got);
    }
    /* Overflow at the configured depth, and a pop on an empty stack. */
    long r = 0;
    unsigned pushed = 1;
    while (!is_err(r = kpush(hm, 0)))
        pushed++;
    CHECK(r == E(ENOSPC) && pushed == info.nslots, "overflow: %ld after %u pushes", r, pushed);
    for (unsigned i = pushed; i-- > 1;)
        kpop(base + i * info.stride);
    CHECK(query().depth == 1, "depth after the hostile calls");
    CHECK(verify((volatile uint32_t *)live, kmv_ext->first_highmem_pfn, 5), "the live entry was disturbed");
    kpop((uint32_t)live);
    CHECK(kpop(base) == E(ENOENT), "pop on an empty stack");
    HYPERVISOR_kmap_op(KMAPOP_stats, (unsigned long)&st1, 0, 0, 0);
    CHECK(st1.errors[KMAP_ERR_NOT_OWNED] == st0.errors[KMAP_ERR_NOT_OWNED] + 2, "not-owned counter");
    CHECK(st1.errors[KMAP_ERR_PROTECTED] == st0.errors[KMAP_ERR_PROTECTED] + 1, "protected counter");
    CHECK(st1.errors[KMAP_ERR_BAD_PROT] == st0.errors[KMAP_ERR_BAD_PROT] + 3, "bad-prot counter");
    CHECK(st1.errors[KMAP_ERR_FULL] == st0.errors[KMAP_ERR_FULL] + 1, "full counter");
    CHECK(st1.errors[KMAP_ERR_EMPTY] == st0.errors[KMAP_ERR_EMPTY] + 1, "empty counter");
    CHECK(st1.errors[KMAP_ERR_BAD_BUFFER] >= st0.errors[KMAP_ERR_BAD_BUFFER] + 5, "bad-buffer counter");
}

/* update_va_mapping as a Xen PV guest would use it, batched in a multicall. */
static void xen_paths(void)
{
    struct kmap_window_info info = query();
    uint32_t pfn = kmv_ext->first_highmem_pfn + 200;
    uint64_t pte = ((uint64_t)mfn_of(pfn) << PAGE_SHIFT) | 3 | (1ull << 63);
    CHECK(HYPERVISOR_update_va_mapping(info.base, pte, UVMF_INVLPG) == 0, "update_va_mapping push");
    fill((volatile uint32_t *)info.base, pfn, 3);
    static struct kmv_multicall_entry32 mc[3];
    mc[0] = (struct kmv_multicall_entry32){ __HYPERVISOR_update_va_mapping, 0,
                                            { info.base + info.stride, (uint32_t)pte, (uint32_t)(pte >> 32), UVMF_INVLPG } };
    mc[1] = (struct kmv_multicall_entry32){ KMV_HYPERVISOR_kmap_op, 0, { KMAPOP_push, 1, 0 } };
    mc[2] = (struct kmv_multicall_entry32){ KMV_HYPERVISOR_kmap_op, 0, { KMAPOP_query, (uint32_t)&info } };
    CHECK(HYPERVISOR_multicall(mc, 3) == 0, "multicall");
    CHECK(mc[0].result == 0 && (int32_t)mc[1].result == E(EPERM) && mc[2].result == 0,
          "multicall results %d %d %d", (int)mc[0].result, (int)mc[1].result, (int)mc[2].result);
    CHECK(info.depth == 2, "depth after the multicall: %u", info.depth);
    CHECK(verify((volatile uint32_t *)(info.base + info.stride), pfn, 3), "second Xen-path mapping differs");
    CHECK(HYPERVISOR_update_va_mapping(info.base, 0, UVMF_INVLPG) == E(EBUSY), "Xen-path pop out of order");
    CHECK(HYPERVISOR_update_va_mapping(info.base + info.stride, 0, UVMF_INVLPG) == 0, "Xen-path pop");
    CHECK(HYPERVISOR_update_va_mapping(info.base, 0, UVMF_INVLPG | UVMF_ALL) == 0, "Xen-path pop (all)");
}

/* Median cycles of a push+pop pair: same frame every time, and a new frame. */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}
void sort_u64(uint64_t *v, unsigned n);
void sort_u64(uint64_t *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && cmp_u64(&v[j - 1], &v[j]) > 0; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

static void measure(void)
{
    static uint64_t t[501];
    uint32_t pfn = kmv_ext->first_highmem_pfn;
    for (int kind = 0; kind < 2; kind++) {
        for (unsigned i = 0; i < ARRAY_SIZE(t); i++) {
            uint32_t mfn = mfn_of(pfn + (kind ? i % 64 : 0));
            uint64_t t0 = rdtsc();
            long va = kpush(mfn, KMAP_PROT_WRITE);
            kpop((uint32_t)va);
            t[i] = rdtsc() - t0;
        }
        sort_u64(t, ARRAY_SIZE(t));
        printk("guest: kmap: push+pop pair, %s frame: median %lu cycles (%s)\n", kind ? "new" : "same",
               (unsigned long)t[ARRAY_SIZE(t) / 2], (kmv_ext->window.flags & KMAP_WIN_LAZY) ? "lazy" : "per-operation");
    }
}

/* Frames from all over the domain's memory, through the window: the last
 * usable one, spread ones, and (with enough memory) ones whose machine
 * address is above 4 GiB.  Each gets a pattern of its own; then all are
 * mapped at once and read back, so two frames that alias would show. */
static void far_frames(void)
{
    enum { N = 8 };
    uint32_t nr = start_info->nr_pages, pfn[N], above4g = 0, top_mfn = 0;
    for (unsigned i = 0; i < N; i++)
        pfn[i] = kmv_ext->first_highmem_pfn + (uint32_t)((uint64_t)(nr - 1 - kmv_ext->first_highmem_pfn) * (i + 1) / N);
    for (unsigned i = 0; i < N; i++) {
        long va = kpush(mfn_of(pfn[i]), KMAP_PROT_WRITE);
        CHECK(!is_err(va), "far frame pfn %#x (mfn %#x): push -> %ld", pfn[i], mfn_of(pfn[i]), va);
        if (is_err(va))
            return;
        fill((volatile uint32_t *)va, pfn[i], 77);
        kpop((uint32_t)va);
        above4g += mfn_of(pfn[i]) >= (1u << 20);
        top_mfn = MAX(top_mfn, mfn_of(pfn[i]));
    }
    long va[N];
    for (unsigned i = 0; i < N; i++)
        va[i] = kpush(mfn_of(pfn[i]), 0);
    unsigned good = 0;
    for (unsigned i = 0; i < N; i++)
        good += !is_err(va[i]) && verify((volatile uint32_t *)va[i], pfn[i], 77);
    for (unsigned i = N; i-- > 0;)
        kpop((uint32_t)va[i]);
    CHECK(good == N, "far frames: %u of %u read back", good, N);
    printk("guest: kmap: far frames: %u of %u verified, last pfn %#x, highest mfn %#x, %u above 4 GiB\n", good, N,
           pfn[N - 1], top_mfn, above4g);
}

/* Xen's read-only machine-to-phys table at its compat address: our own
 * frames map back to our pfns. */
static void m2p_check(void)
{
    const volatile uint32_t *m2p = (const uint32_t *)MACH2PHYS_VIRT_START;
    uint32_t nr = start_info->nr_pages, step = nr / 64 + 1;
    unsigned n = 0, right = 0;
    for (uint32_t pfn = 0; pfn < nr; pfn += step, n++)
        right += m2p[mfn_of(pfn)] == pfn;
    CHECK(right == n, "M2P: %u of %u entries right", right, n);
    printk("guest: kmap: M2P at %#lx: %u of %u entries right\n", (unsigned long)MACH2PHYS_VIRT_START, right, n);
}

_Noreturn void test_kmap(void);
_Noreturn void test_kmap(void)
{
    char what[16] = "all";
    boot_arg("kmap", what, sizeof(what));
    rounds = (uint32_t)boot_arg_uint("rounds", 50);
    struct kmap_window_info info = query();
    printk("guest: kmap window at %x, %u slots, stride %u, flags %x\n", info.base, info.nslots, info.stride, info.flags);
    CHECK(info.base == kmv_ext->window.base && info.nslots == kmv_ext->window.nslots, "start info and query disagree");
    if (!strncmp(what, "nonnested", 10)) {
        long a = kpush(mfn_of(kmv_ext->first_highmem_pfn), KMAP_PROT_WRITE);
        long b = kpush(mfn_of(kmv_ext->first_highmem_pfn + 1), KMAP_PROT_WRITE);
        printk("guest: kmap: popping slot 0 under slot 1\n");
        long r = kpop((uint32_t)a);
        printk("guest: kmap: non-nested pop -> %ld\n", r);
        CHECK(r == E(EBUSY), "non-nested pop -> %ld", r);
        CHECK(query().depth == 2, "depth after the rejected pop");
        CHECK(kpop((uint32_t)b) == 0 && kpop((uint32_t)a) == 0, "unwinding in order");
    } else {
        lowmem_alias();
        far_frames();
        m2p_check();
        hostile_arguments();
        xen_paths();
        plat_start_secondaries(per_cpu_work);
        per_cpu_work();
        while (READ_ONCE(cpus_done) < plat.nr_cpus)
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        printk("guest: kmap: %u vCPUs each did %u nested rounds\n", plat.nr_cpus, rounds + 1);
        measure();
    }
    printk("guest: result: %s (%u failures)\n", failures ? "FAIL" : "PASS", failures);
    plat_shutdown(!failures);
}
