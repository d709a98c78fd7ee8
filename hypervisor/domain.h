/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domains and vCPUs: the arch-neutral part.  What an architecture's
 * personality keeps per vCPU and per domain (registers, trap tables,
 * page tables, guest memory layout) hangs off the opaque arch pointers;
 * the core never looks inside (x86 PV: arch/x86_64/pv/pv.h).
 */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <kmvlib.h>
#include <kmapvisor/limits.h>
#include <asm/spinlock.h>
#include "platform.h"
#include "event.h"
#include "sched.h"
#include "window.h"
#include "pvconsole.h"
#include "xenstore.h"

enum vcpu_state { VCPU_DOWN, VCPU_RUNNABLE, VCPU_RUNNING, VCPU_BLOCKED };

/* Xen's runstate accounting (RUNSTATE_running/runnable/blocked/offline;
 * times in ns of system time, platform->now_ns), changed with the vCPU's
 * state under the scheduler's lock; seq is odd while it changes, so that
 * readers without the lock (vcpu_runstate_get) see it whole. */
struct vcpu_runstate {
    uint32_t seq;
    int state;
    uint64_t state_entry_time;
    uint64_t time[4];
};

struct domain;
struct arch_vcpu;
struct arch_domain;

struct vcpu {
    struct domain *d;
    unsigned id;
    struct runq_link rq;
    volatile int state;                /* enum vcpu_state, under the scheduler's lock */
    bool initialised;                  /* has a context to run (set under d->lock) */
    struct sched_cpu *running_on;      /* while RUNNING */
    volatile uint64_t timer_deadline;  /* ns of system time; 0 = none */
    struct vcpu_info_x86_32 *info;     /* in shared_info */
    /* Requests of the running vCPU, carried out by its exit path. */
    bool want_block, want_yield, want_down, want_up;
    struct kmap_window win;
    struct kmap_env kenv;              /* the window's view of this vCPU (set once at build) */
    struct vcpu_runstate runstate;
    struct arch_vcpu *arch;
};

struct domain_config {
    uint64_t mem_bytes, lowmem_bytes;
    unsigned nr_vcpus;
    unsigned kmap_slots;
    uint32_t kmap_flags;              /* KMAP_WIN_* */
    uint32_t kmap_allowed_prot;
};

struct domain {
    unsigned id;
    struct domain_config cfg;
    unsigned nr_vcpus;
    struct vcpu vcpu[KMV_MAX_VCPUS];
    struct shared_info_x86_32 *shared;
    struct evtchn_table evtchn;
    spinlock_t evtchn_lock;            /* the port table and its bits */
    spinlock_t lock;                   /* vCPU contexts (initialise / up) */
    volatile bool dying;
    char cmdline[1024];
    struct pvconsole cons;             /* the console ring's backend (backend.c) */
    struct xenstore store;             /* the xenstore's */
    struct arch_domain *arch;
};

/* backend.c: the hypervisor's ends of the console ring and the xenstore. */
enum { KMV_BACKEND_CONSOLE, KMV_BACKEND_STORE };
/* Bind both backends' channels and set up their rings (guest pages the
 * builder gave); the guest's ports out.  0 or a Xen errno. */
int domain_backends_init(struct domain *d, struct xencons_interface *cons, struct xenstore_domain_interface *store,
                         unsigned *cons_port, unsigned *store_port);
/* The guest sent on a backend's port: run that backend. */
void domain_backend_notify(struct domain *d, unsigned backend);
/* Console input waiting at the platform: into d's console ring (one CPU
 * polls, from its tick). */
void console_input_poll(struct domain *d);

extern struct domain *dom0;

/* Parse the hypervisor command line's domain options (mem=, lowmem=,
 * vcpus=, kmap.*=); false with the reason in why. */
bool domain_config_from_cmdline(const char *cmdline, struct domain_config *cfg, char *why, size_t len);
/* The core's part of building: every vCPU's identity, window and event
 * state.  The arch's builder calls it once shared_info exists. */
void domain_init_vcpus(struct domain *d, struct shared_info_x86_32 *shared);
_Noreturn void domain_shutdown(struct domain *d, unsigned reason);
/* Stop the domain for a guest error: the message, the vCPU's registers,
 * and the crash status. */
_Noreturn void domain_crash(struct vcpu *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vcpu_send_virq(struct vcpu *v, unsigned virq);
/* After an event-channel send, unmask or backend notification: wake the
 * vCPU it named (kick >= 0), nothing for EVTCHN_NO_KICK. */
void domain_kick(struct domain *d, int kick);
/* A rejected window call stops the domain when its policy says so;
 * returns r otherwise.  path names the entry ("", " (update_va_mapping)"). */
long kmap_policy(struct vcpu *v, long r, const char *path);
/* vtimer.c: fire the one-shot guest timers that are due (every CPU's tick). */
void vtimer_tick(void);
/* Xen's vcpu_time_info scale for a TSC of tsc_hz. */
void time_scale(uint64_t tsc_hz, uint32_t *mul, int8_t *shift);
/* ns of a TSC delta by that scale (what a guest computes from its
 * vcpu_time_info): ((delta << shift) * mul) >> 32. */
uint64_t time_scale_delta(uint64_t delta, uint32_t mul, int8_t shift);
/* schedule.c: a vCPU's runstate (Xen's struct vcpu_runstate_info, in ns
 * of system time) as of the last change, or up to now (the time since
 * the last change added to the current state's, as Xen's
 * vcpu_runstate_get). */
void vcpu_runstate_get(const struct vcpu *v, struct vcpu_runstate *out, bool to_now);

#endif
