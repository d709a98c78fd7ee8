/* SPDX-License-Identifier: GPL-2.0-only */
/* Booting kmapvisor and a guest under QEMU, and reading what happens. */
#ifndef TOOLS_QEMU_RUNNER_H
#define TOOLS_QEMU_RUNNER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum accel { ACCEL_AUTO, ACCEL_KVM, ACCEL_TCG };

struct run_config {
    const char *hypervisor;   /* path of kmapvisor.bin */
    const char *guest;        /* path of the guest ELF */
    const char *guest_args;   /* the guest's command line */
    const char *initrd;       /* a module for the guest, or NULL */
    const char *cpu_model;    /* QEMU -cpu */
    unsigned vcpus, pcpus, slots;
    uint64_t mem, lowmem;     /* bytes */
    bool guard, lazy, policy_stop;
    bool sstep;               /* single-step test mode (kmap.sstep=1) */
    bool native;              /* boot the guest itself, without kmapvisor (the baseline) */
    bool cached;              /* cached windows (kmap.cached=1) */
    bool icount;              /* TCG only: -icount shift=0,sleep=off (the TSC counts instructions) */
    const char *hv_extra;     /* more hypervisor options, "key=value ..." */
    const char *input;        /* typed on the serial console (escapes \n \r \t \\), or NULL */
    const char *input_after;  /* ...once the console has shown this text (NULL: at once) */
    const char *plugin;       /* QEMU -plugin argument (TCG only; e.g. build/insn-split.so,out=F), or NULL */
    enum accel accel;
    double timeout;           /* seconds */
    bool quiet;               /* do not stream the console */
    FILE *log;                /* a copy of the console, or NULL */
    char *capture;            /* if non-NULL, the console is kept here... */
    size_t capture_size;      /* ...up to this many bytes */
};

/* Exit statuses of `kmapvisor run` (docs/tools.md). */
enum run_status {
    RUN_POWEROFF = 0,   /* the guest powered off: success */
    RUN_CRASH = 1,      /* the guest crashed or was stopped by the hypervisor */
    RUN_USAGE = 2,      /* bad command line */
    RUN_REBOOT = 3,     /* the guest asked for a reboot */
    RUN_PANIC = 4,      /* the hypervisor panicked */
    RUN_TIMEOUT = 5,    /* killed at the timeout */
    RUN_BUILD = 6,      /* the domain could not be built (bad image / config) */
    RUN_QEMU = 7,       /* QEMU failed, or the machine reset */
};

struct run_result {
    enum run_status status;
    enum accel accel_used;
    char accel_reason[256];
    double seconds;
};

int run_guest(const struct run_config *cfg, struct run_result *res);
const char *accel_name(enum accel a);
const char *run_status_name(enum run_status s);

#endif
