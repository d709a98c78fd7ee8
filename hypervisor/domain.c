/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The life of a domain, arch-neutral: its configuration from the
 * hypervisor command line, its vCPUs' core state, events into it,
 * shutdown and crash.  Building one (memory, image, page tables) is the
 * arch personality's job (arch/x86_64/pv/dom_build.c).
 */
#include "domain.h"
#include <xen/errno.h>
#include <xen/sched.h>

struct domain *dom0;

bool domain_config_from_cmdline(const char *cmdline, struct domain_config *cfg, char *why, size_t len)
{
    char val[32];
    uint64_t n;
    *cfg = (struct domain_config){
        .mem_bytes = (uint64_t)KMV_DEFAULT_MEM_MB << 20, .lowmem_bytes = (uint64_t)KMV_DEFAULT_LOWMEM_MB << 20,
        .nr_vcpus = 1, .kmap_slots = KMV_DEFAULT_SLOTS, .kmap_flags = 0, .kmap_allowed_prot = KMAP_PROT_WRITE,
    };
#define GET(key) cmdline_get(cmdline, key, val, sizeof(val))
#define BAD(...) do { snprintf(why, len, __VA_ARGS__); return false; } while (0)
    if (GET("mem") && !parse_size(val, &cfg->mem_bytes))
        BAD("mem=%s: not a size", val);
    if (GET("lowmem") && !parse_size(val, &cfg->lowmem_bytes))
        BAD("lowmem=%s: not a size", val);
    if (GET("vcpus")) {
        if (!parse_uint(val, &n) || n < 1 || n > KMV_MAX_VCPUS)
            BAD("vcpus=%s: must be 1..%u", val, KMV_MAX_VCPUS);
        cfg->nr_vcpus = (unsigned)n;
    }
    if (GET("kmap.slots")) {
        if (!parse_uint(val, &n) || n < 1 || n > KMV_MAX_SLOTS)
            BAD("kmap.slots=%s: must be 1..%u", val, KMV_MAX_SLOTS);
        cfg->kmap_slots = (unsigned)n;
    }
    if (GET("kmap.guard") && !strcmp(val, "1"))
        cfg->kmap_flags |= KMAP_WIN_GUARD;
    if (GET("kmap.lazy") && !strcmp(val, "1"))
        cfg->kmap_flags |= KMAP_WIN_LAZY;
    if (GET("kmap.policy")) {
        if (!strcmp(val, "stop"))
            cfg->kmap_flags |= KMAP_WIN_STOP;
        else if (strcmp(val, "error"))
            BAD("kmap.policy=%s: must be error or stop", val);
    }
    if (GET("kmap.cached") && !strcmp(val, "1"))
        cfg->kmap_flags |= KMAP_WIN_CACHED | KMAP_WIN_LAZY;
    if (GET("kmap.sstep") && !strcmp(val, "1"))
        cfg->kmap_flags |= KMAP_WIN_SSTEP;
    if (GET("kmap.prot")) {
        if (!parse_uint(val, &n) || (n & ~(uint64_t)KMAP_PROT_ALL))
            BAD("kmap.prot=%s: must be a mask of KMAP_PROT_*", val);
        cfg->kmap_allowed_prot = (uint32_t)n;
    }
    if (cfg->mem_bytes < ((uint64_t)KMV_MIN_MEM_MB << 20) || cfg->mem_bytes > ((uint64_t)KMV_MAX_MEM_MB << 20))
        BAD("mem: %llu MiB is outside %u MiB..%u MiB", (unsigned long long)(cfg->mem_bytes >> 20),
            KMV_MIN_MEM_MB, KMV_MAX_MEM_MB);
    if (cfg->lowmem_bytes < ((uint64_t)KMV_MIN_LOWMEM_MB << 20) ||
        cfg->lowmem_bytes > ((uint64_t)KMV_MAX_LOWMEM_MB << 20) ||
        !IS_ALIGNED(cfg->lowmem_bytes, (uint64_t)KMV_LOWMEM_ALIGN_MB << 20))
        BAD("lowmem: must be a multiple of %u MiB from %u MiB to %u MiB", KMV_LOWMEM_ALIGN_MB,
            KMV_MIN_LOWMEM_MB, KMV_MAX_LOWMEM_MB);
    if (cfg->lowmem_bytes + (1ull << 20) > cfg->mem_bytes)
        BAD("lowmem (%llu MiB) must be at least 1 MiB below mem (%llu MiB)",
            (unsigned long long)(cfg->lowmem_bytes >> 20), (unsigned long long)(cfg->mem_bytes >> 20));
#undef BAD
#undef GET
    return true;
}

void domain_init_vcpus(struct domain *d, struct shared_info_x86_32 *shared)
{
    d->shared = shared;
    evtchn_init(&d->evtchn, shared, d->nr_vcpus);
    for (unsigned i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = &d->vcpu[i];
        v->d = d;
        v->id = i;
        v->state = VCPU_DOWN;
        vcpu_runstate_init(v);
        v->info = &shared->vcpu_info[i];
        v->info->evtchn_upcall_mask = 1; /* every vCPU starts with events masked */
        kmap_window_init(&v->win, KMV_WINDOW_BASE, d->cfg.kmap_slots, d->cfg.kmap_flags,
                         d->cfg.kmap_allowed_prot);
    }
}

/* The vcpu_time_info scale (Xen's): ns = ((tsc_delta << shift) * mul) >> 32. */
void time_scale(uint64_t tsc_hz, uint32_t *mul, int8_t *shift)
{
    int s = 0;
    while (tsc_hz > 2000000000ull) {
        tsc_hz >>= 1;
        s--;
    }
    while (tsc_hz <= 1000000000ull) {
        tsc_hz <<= 1;
        s++;
    }
    *mul = (uint32_t)((1000000000ull << 32) / tsc_hz);
    *shift = (int8_t)s;
}

uint64_t time_scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift >= 0)
        delta <<= shift;
    else
        delta >>= -shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}


static const char *const shutdown_names[] = {
    "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset" };

/* There is one domain: when it ends, the machine ends, with its status. */
_Noreturn void domain_shutdown(struct domain *d, unsigned reason)
{
    d->dying = true;
    printk("kmapvisor: domain %u shut down: %s\n", d->id,
           reason < ARRAY_SIZE(shutdown_names) ? shutdown_names[reason] : "?");
    switch (reason) {
    case SHUTDOWN_poweroff: platform->machine_exit(KMV_EXIT_POWEROFF);
    case SHUTDOWN_reboot: platform->machine_exit(KMV_EXIT_REBOOT);
    default: platform->machine_exit(KMV_EXIT_CRASH);
    }
}

_Noreturn void domain_crash(struct vcpu *v, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    v->d->dying = true;
    printk("kmapvisor: d%uv%u stopped: %s\n", v->d->id, v->id, buf);
    platform->dump_vcpu(v);
    printk("kmapvisor: domain %u shut down: crash\n", v->d->id);
    platform->machine_exit(KMV_EXIT_CRASH);
}

long kmap_policy(struct vcpu *v, long r, const char *path)
{
    if (r < 0 && r > -4096 && (v->win.flags & KMAP_WIN_STOP)) {
        char why[160];
        kmap_describe_error(&v->win, why, sizeof(why));
        domain_crash(v, "kmap%s: %s", path, why);
    }
    return r;
}

void domain_kick(struct domain *d, int kick)
{
    if (kick >= 0 && (unsigned)kick < d->nr_vcpus)
        vcpu_wake(&d->vcpu[kick]);
}

void vcpu_send_virq(struct vcpu *v, unsigned virq)
{
    unsigned port = evtchn_virq_port(&v->d->evtchn, v->id, virq); /* racy read: a port bound later is missed, as on Xen */
    if (!port)
        return;
    spin_lock(&v->d->evtchn_lock);
    int kick;
    evtchn_send(&v->d->evtchn, port, &kick); /* a VIRQ port is valid: 0 */
    spin_unlock(&v->d->evtchn_lock);
    domain_kick(v->d, kick);
}
