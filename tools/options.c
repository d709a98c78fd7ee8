/* SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "options.h"
#include <kmapvisor/limits.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef KMV_BUILD_DIR
#define KMV_BUILD_DIR "build"
#endif

bool parse_size_arg(const char *s, uint64_t *out)
{
    char *end;
    if (!s || !isdigit((unsigned char)s[0]))
        return false;
    unsigned long long v = strtoull(s, &end, 10);
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
    if (*end || v > (~0ull >> shift))
        return false;
    *out = (uint64_t)v << shift;
    return true;
}

bool parse_uint_arg(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    if (!s || !isdigit((unsigned char)s[0]))
        return false;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v < lo || v > hi)
        return false;
    *out = (unsigned)v;
    return true;
}

const char *default_hypervisor(void)
{
    return KMV_BUILD_DIR "/kmapvisor.bin";
}

const char *default_guest(void)
{
    return KMV_BUILD_DIR "/guest.elf";
}

const char *default_native_guest(void)
{
    return KMV_BUILD_DIR "/guest-native.elf";
}

const char *default_bench_dir(void)
{
    return KMV_BUILD_DIR "/bench";
}

void run_config_defaults(struct run_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->hypervisor = default_hypervisor();
    cfg->guest_args = "";
    cfg->cpu_model = "qemu64";
    cfg->vcpus = 2;
    cfg->pcpus = 0; /* chosen from vcpus */
    cfg->slots = KMV_DEFAULT_SLOTS;
    cfg->mem = (uint64_t)KMV_DEFAULT_MEM_MB << 20;
    cfg->lowmem = (uint64_t)KMV_DEFAULT_LOWMEM_MB << 20;
    cfg->accel = ACCEL_AUTO;
    cfg->timeout = 120;
}

/* The QEMU machine (guest memory + 128 MiB for the hypervisor, see
 * qemu_runner.c) and QEMU's own ~512 MiB must fit the host's RAM: said
 * here, before QEMU starts, rather than as a domain build failure. */
static bool host_can_hold(uint64_t mem)
{
    const char *meminfo = getenv("KMV_MEMINFO"); /* tests: a host of another size */
    FILE *f = fopen(meminfo ? meminfo : "/proc/meminfo", "r");
    unsigned long long total_kb = 0;
    char line[128];
    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "MemTotal: %llu kB", &total_kb) == 1)
            break;
    if (f)
        fclose(f);
    unsigned long long need_kb = (mem >> 10) + (128ull << 10) + (512ull << 10);
    if (total_kb && need_kb > total_kb) {
        fprintf(stderr, "kmapvisor: --mem %lluM needs about %llu MiB of host RAM (the machine and QEMU); "
                "this host has %llu MiB\n", (unsigned long long)(mem >> 20), need_kb >> 10, total_kb >> 10);
        return false;
    }
    return true;
}

bool run_config_check(struct run_config *cfg)
{
    if (cfg->pcpus == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        cfg->pcpus = cfg->vcpus < (unsigned)(n > 0 ? n : 1) ? cfg->vcpus : (unsigned)(n > 0 ? n : 1);
        if (cfg->pcpus > KMV_MAX_PCPUS)
            cfg->pcpus = KMV_MAX_PCPUS;
    }
    if (cfg->lowmem % ((uint64_t)KMV_LOWMEM_ALIGN_MB << 20)) {
        fprintf(stderr, "kmapvisor: --lowmem must be a multiple of %uM (got %llu KiB)\n", KMV_LOWMEM_ALIGN_MB,
                (unsigned long long)(cfg->lowmem >> 10));
        return false;
    }
    if (cfg->lowmem < ((uint64_t)KMV_MIN_LOWMEM_MB << 20) || cfg->lowmem > ((uint64_t)KMV_MAX_LOWMEM_MB << 20)) {
        fprintf(stderr, "kmapvisor: --lowmem must be from %uM to %uM\n", KMV_MIN_LOWMEM_MB, KMV_MAX_LOWMEM_MB);
        return false;
    }
    if (cfg->mem < cfg->lowmem + (1u << 20)) {
        fprintf(stderr, "kmapvisor: --mem (%lluM) must exceed --lowmem (%lluM) by at least 1M\n",
                (unsigned long long)(cfg->mem >> 20), (unsigned long long)(cfg->lowmem >> 20));
        return false;
    }
    if (cfg->mem > ((uint64_t)KMV_MAX_MEM_MB << 20)) {
        fprintf(stderr, "kmapvisor: --mem must be at most %uM\n", KMV_MAX_MEM_MB);
        return false;
    }
    if (!host_can_hold(cfg->mem))
        return false;
    if (strchr(cfg->guest_args, ',')) {
        fprintf(stderr, "kmapvisor: guest arguments may not contain ',' (QEMU's module separator)\n");
        return false;
    }
    if (access(cfg->hypervisor, R_OK)) {
        fprintf(stderr, "kmapvisor: hypervisor image %s not found (run make)\n", cfg->hypervisor);
        return false;
    }
    if (cfg->initrd && access(cfg->initrd, R_OK)) {
        fprintf(stderr, "kmapvisor: initrd %s not found\n", cfg->initrd);
        return false;
    }
    if (access(cfg->guest, R_OK)) {
        fprintf(stderr, "kmapvisor: guest %s not found\n", cfg->guest);
        return false;
    }
    return true;
}
