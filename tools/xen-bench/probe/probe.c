/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen-probe: a tiny 32-bit PAE PV kernel that runs on Xen 4.17 as a domU
 * today (and on kmapvisor), to validate the Xen side of the bench and to
 * time Xen's update_va_mapping path the way the mini guest's `xen` backend
 * uses it: a kmap is update_va_mapping(slot, pte, UVMF_INVLPG), a kunmap
 * update_va_mapping(slot, 0, UVMF_INVLPG).
 *
 * It uses only what Xen gives any PV domU: its ELF notes, start_info, the
 * M2P at 0xF5800000 to find the console ring, the console ring and its
 * event channel (console_io where there is no ring), `int $0x82`
 * hypercalls, SCHEDOP_shutdown.  Figures are printed as the mini guest's
 * "bench:" lines (instructions under -icount: TSC ticks); probe_mark()
 * is called right before and after every timed loop, as the mini guest
 * calls plat_counters, for the insn-split plugin to split the loop
 * between guest and hypervisor.
 *
 *   pair_same 0    map + read + unmap of one frame (warm)
 *   pair_new 0     the same with a new frame every time
 *   nested d       d maps then d unmaps, d = 1, 2, 4, 8, 16
 *   nested_mc d    the same, the d maps in one multicall and the d unmaps
 *                  in another
 *   null_hcall 0   xen_version(XENVER_version): a hypercall that does nothing
 * Command line: slots=ADDR, the first of 16 slot pages (default: pages of
 * the image's .bss).
 */
#include <kmvlib.h>
#include <stdarg.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/foreign/x86_32.h>
#include <xen/io/console.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/version.h>

#define REPS 1001
#define NESTED_REPS 301
#define MAX_DEPTH 16
#define M2P ((const uint32_t *)0xF5800000u) /* compat machine_to_phys_mapping */

/* Multicall entries as a 32-bit guest lays them out. */
struct mc32 {
    uint32_t op, result, args[6];
};

static start_info_x86_32_t *si;
static struct xencons_interface *ring;
static uint64_t samples[REPS];
/* the slots: by default pages of this image whose PTEs the probe rewrites
 * (Xen lets a guest rewrite any of its PTEs); slots=ADDR on the command
 * line puts them elsewhere (kmapvisor: its kmap window, 0xffe00000) */
static uint8_t own_slots[MAX_DEPTH][4096] __attribute__((aligned(4096)));
static uint8_t (*slots)[4096] = own_slots;
static struct mc32 mc[MAX_DEPTH];

static inline long hcall(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4)
{
    long r;
    __asm__ volatile("int $0x82"
                     : "=a"(r), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4)
                     : "0"(nr)
                     : "memory");
    return r;
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* The insn-split plugin's marker: called before and after each timed loop. */
__attribute__((noinline, used)) void probe_mark(void)
{
    __asm__ volatile("" ::: "memory");
}

static void console_write(const char *s, size_t n)
{
    if (!ring) {
        hcall(__HYPERVISOR_console_io, CONSOLEIO_write, (uint32_t)n, (uint32_t)s, 0);
        return;
    }
    while (n) {
        XENCONS_RING_IDX cons = ring->out_cons, prod = ring->out_prod;
        __asm__ volatile("" ::: "memory");
        if (prod - cons >= sizeof(ring->out)) {
            struct evtchn_send send = { si->console.domU.evtchn };
            hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (uint32_t)&send, 0, 0);
            hcall(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0);
            continue;
        }
        while (n && prod - cons < sizeof(ring->out)) {
            ring->out[MASK_XENCONS_IDX(prod, ring->out)] = *s++;
            prod++;
            n--;
        }
        __asm__ volatile("lock; addl $0,0(%%esp)" ::: "memory"); /* wmb */
        ring->out_prod = prod;
        struct evtchn_send send = { si->console.domU.evtchn };
        hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (uint32_t)&send, 0, 0);
    }
}

static void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void printk(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(buf) - 1)
        n = sizeof(buf) - 1;
    console_write(buf, (size_t)n);
}

/* Wait for xenconsoled to take what was written, so that dom0 does not
 * run (and Xen switch to it) inside the next timed loop. */
static void console_drain(void)
{
    for (unsigned i = 0; ring && ring->out_cons != ring->out_prod && i < 100000; i++)
        hcall(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0);
}

static _Noreturn void shutdown(unsigned reason)
{
    console_drain();
    struct sched_shutdown sd = { reason };
    for (;;)
        hcall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (uint32_t)&sd, 0, 0);
}

static void sort(uint64_t *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

/* traps, ptes, flushes: what the probe issued per operation */
static void report(const char *what, int arg, unsigned n, unsigned traps, unsigned ptes, unsigned flushes)
{
    sort(samples, n);
    printk("bench: %s %d median=%lu p10=%lu p90=%lu traps=%u ops=%u hv=0 ptes=%llu flushes=%llu cr3=0 "
           "traps_total=%llu\n",
           what, arg, (unsigned long)samples[n / 2], (unsigned long)samples[n / 10],
           (unsigned long)samples[n - 1 - n / 10], traps, n, (unsigned long long)ptes * n,
           (unsigned long long)flushes * n, (unsigned long long)traps * n);
    console_drain();
}

static uint32_t frame_mfn(unsigned i)
{
    /* free frames from the top of the domain's memory */
    const uint32_t *p2m = (const uint32_t *)si->mfn_list;
    return p2m[si->nr_pages - 1 - i];
}

static inline long uvm(void *va, uint64_t pte)
{
    return hcall(__HYPERVISOR_update_va_mapping, (uint32_t)va, (uint32_t)pte, (uint32_t)(pte >> 32), UVMF_INVLPG);
}

/* present, writable, NX: the PTE the mini guest's xen backend writes */
#define PTE_FLAGS (0x3ull | 1ull << 63)

static int kmap(unsigned slot, unsigned frame)
{
    return (int)uvm(slots[slot], (uint64_t)frame_mfn(frame) << 12 | PTE_FLAGS);
}

static int kunmap(unsigned slot)
{
    return (int)uvm(slots[slot], 0);
}

static bool failed;
static void check(long r, const char *what)
{
    if (r && !failed) {
        printk("probe: %s failed: %ld\n", what, r);
        failed = true;
    }
}

static uint64_t time_loop(unsigned n)
{
    uint64_t t0 = rdtsc();
    __asm__ volatile("1: dec %0; jnz 1b" : "+r"(n) : : "cc");
    return rdtsc() - t0;
}

static void bench_pairs(void)
{
    probe_mark();
    for (unsigned i = 0; i < REPS; i++) {
        uint64_t t0 = rdtsc();
        check(kmap(0, 0), "map");
        *(volatile uint32_t *)slots[0];
        check(kunmap(0), "unmap");
        samples[i] = rdtsc() - t0;
    }
    probe_mark();
    report("pair_same", 0, REPS, 2, 2, 1);
    probe_mark();
    for (unsigned i = 0; i < REPS; i++) {
        uint64_t t0 = rdtsc();
        check(kmap(0, 1 + i % 512), "map");
        *(volatile uint32_t *)slots[0];
        check(kunmap(0), "unmap");
        samples[i] = rdtsc() - t0;
    }
    probe_mark();
    report("pair_new", 0, REPS, 2, 2, 1);
}

static void bench_nested(void)
{
    static const unsigned depths[] = { 1, 2, 4, 8, 16 };
    for (unsigned j = 0; j < sizeof(depths) / sizeof(depths[0]); j++) {
        unsigned d = depths[j];
        probe_mark();
        for (unsigned i = 0; i < NESTED_REPS; i++) {
            uint64_t t0 = rdtsc();
            for (unsigned k = 0; k < d; k++)
                check(kmap(k, k), "map");
            for (unsigned k = d; k-- > 0;)
                check(kunmap(k), "unmap");
            samples[i] = rdtsc() - t0;
        }
        probe_mark();
        report("nested", (int)d, NESTED_REPS, 2 * d, 2 * d, d);
    }
}

static long multicall_uvm(unsigned d, bool map)
{
    /* maps in slot order, unmaps in reverse (a kmap window is a stack) */
    for (unsigned i = 0; i < d; i++) {
        unsigned k = map ? i : d - 1 - i;
        uint64_t pte = map ? (uint64_t)frame_mfn(k) << 12 | PTE_FLAGS : 0;
        mc[i] = (struct mc32){ __HYPERVISOR_update_va_mapping, 0,
                               { (uint32_t)slots[k], (uint32_t)pte, (uint32_t)(pte >> 32), UVMF_INVLPG, 0, 0 } };
    }
    long r = hcall(__HYPERVISOR_multicall, (uint32_t)mc, d, 0, 0);
    for (unsigned k = 0; k < d && !r; k++)
        r = (long)(int32_t)mc[k].result;
    return r;
}

static void bench_nested_mc(void)
{
    static const unsigned depths[] = { 1, 2, 4, 8, 16 };
    for (unsigned j = 0; j < sizeof(depths) / sizeof(depths[0]); j++) {
        unsigned d = depths[j];
        probe_mark();
        for (unsigned i = 0; i < NESTED_REPS; i++) {
            uint64_t t0 = rdtsc();
            check(multicall_uvm(d, true), "multicall map");
            check(multicall_uvm(d, false), "multicall unmap");
            samples[i] = rdtsc() - t0;
        }
        probe_mark();
        report("nested_mc", (int)d, NESTED_REPS, 2, 2 * d, d);
    }
}

static void bench_null(void)
{
    probe_mark();
    for (unsigned i = 0; i < REPS; i++) {
        uint64_t t0 = rdtsc();
        hcall(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0);
        samples[i] = rdtsc() - t0;
    }
    probe_mark();
    report("null_hcall", 0, REPS, 1, 0, 0);
}

void probe_main(start_info_x86_32_t *start_info);
void probe_main(start_info_x86_32_t *start_info)
{
    si = start_info;
    if (!(si->flags & SIF_INITDOMAIN) && si->console.domU.mfn) {
        uint32_t pfn = M2P[si->console.domU.mfn];
        ring = (struct xencons_interface *)((uint32_t)PROBE_BASE + (pfn << 12));
    }
    char arg[24];
    uint64_t slot_addr;
    if (cmdline_get((const char *)si->cmd_line, "slots", arg, sizeof(arg))) {
        if (!parse_uint(arg, &slot_addr) || (slot_addr & 0xfff) || slot_addr > 0xfffef000u) {
            printk("probe: slots=%s is not a page address\n", arg);
            shutdown(SHUTDOWN_crash);
        }
        slots = (uint8_t(*)[4096])(uint32_t)slot_addr;
    }
    long v = hcall(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0);
    char magic[sizeof(si->magic) + 1];
    memcpy(magic, si->magic, sizeof(si->magic));
    magic[sizeof(si->magic)] = '\0';
    printk("probe: %s, Xen %ld.%ld, %u pages, console %s\n", magic, v >> 16, v & 0xffff,
           (unsigned)si->nr_pages, ring ? "ring" : "console_io");
    printk("probe: slots at %#x\n", (unsigned)(uint32_t)slots);
    printk("bench: platform xen-probe backend xen variant perentry slots %u lazy 0 tsc_khz 0\n", MAX_DEPTH);
    uint64_t a = time_loop(1000), b = time_loop(2000);
    printk("bench: tsc_check loop1000=%llu loop2000=%llu\n", (unsigned long long)a, (unsigned long long)b);
    bench_pairs();
    bench_nested();
    bench_nested_mc();
    bench_null();
    printk("bench: done%s\n", failed ? " (with failures)" : "");
    shutdown(failed ? SHUTDOWN_crash : SHUTDOWN_poweroff);
}
