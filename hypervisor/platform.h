/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the arch-neutral core needs from the machine, as one table of
 * functions that the arch fills in at boot (arch/x86_64/main.c) and host
 * tests fill with fakes (tests/host/).  Calling through the table, not
 * by name, keeps the dependency one way: the arch calls the core, the
 * core never names an arch function (docs/architecture.md).
 */
#ifndef HV_PLATFORM_H
#define HV_PLATFORM_H

#include <kmvlib.h>

struct vcpu;

struct hv_platform {
    /* Write to the console (any CPU; the arch serialises lines). */
    void (*console_write)(const char *s, size_t len);
    /* Nanoseconds since boot. */
    uint64_t (*now_ns)(void);
    /* Make a physical CPU leave the guest / its idle wait and reschedule
     * (nothing when cpu is the caller's own). */
    void (*kick_cpu)(unsigned cpu);
    /* Print a stopped vCPU's registers for the diagnostic. */
    void (*dump_vcpu)(const struct vcpu *v);
    /* The end of the machine: a KMV_EXIT_* code for the runner.  A host
     * test's fake returns through longjmp. */
    __attribute__((noreturn)) void (*machine_exit)(unsigned code);
    /* The physical CPU this code runs on (0 .. nr_cpus - 1). */
    unsigned (*this_cpu)(void);
    /* Stop every other CPU before a panic exits. */
    void (*stop_other_cpus)(void);
    /* One byte of console input, or -1 when none is waiting (polled). */
    int (*console_getc)(void);
};

extern const struct hv_platform *platform;

/* console.c: formatted output and the panic path, through the platform. */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Console output from a source: a source that starts writing while
 * another has left a line unfinished starts on a new line, so a guest's
 * line and the hypervisor's messages never share a line. */
enum console_source { CONSOLE_HV, CONSOLE_GUEST };
void console_emit(enum console_source src, const char *s, size_t len);

#endif
