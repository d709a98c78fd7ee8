/* Domains and vCPUs (hypervisor build only: the vCPU holds arch state). */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include "lib.h"
#include "event.h"
#include "sched.h"
#include "window.h"
#include "../arch/x86_64/cpu.h"

#define MAX_VCPUS 16
#define GUEST_VIRT_BASE 0xc0000000u
#define GUEST_WINDOW_BASE 0xffe00000u   /* last 2 MiB: one page-table page */
#define GUEST_MAX_LOWMEM (896u << 20)

enum vcpu_state { VCPU_DOWN, VCPU_RUNNABLE, VCPU_RUNNING, VCPU_BLOCKED };

/* Frame types of a domain's pages. */
enum frame_type { FT_RAM, FT_PAGETABLE };

struct trap_entry32 {
    uint16_t cs;
    uint8_t flags;    /* bit 2: mask events on entry (TBF_INTERRUPT) */
    uint8_t valid;
    uint32_t eip;
};

struct domain;

struct vcpu {
    struct domain *d;
    unsigned id;
    struct runq_link rq;
    volatile int state;                /* enum vcpu_state, under sched_lock */
    bool initialised;                  /* has a context (VCPUOP_initialise) */
    struct pcpu *running_on;           /* while RUNNING */
    struct pcpu *last_pcpu;            /* where its window was last loaded */
    struct trap_frame regs;            /* guest registers while not running */
    uint16_t ds, es, fs, gs;
    uint64_t cr3;                      /* this vCPU's PML4 (machine address) */
    uint64_t *window_pt;               /* this vCPU's window page table */
    struct kmap_window win;
    struct kmap_env kenv;              /* the window's view of this vCPU (set once at build) */
    struct trap_entry32 traps[256];
    uint32_t event_cs, event_eip, failsafe_cs, failsafe_eip;
    uint32_t kernel_ss, kernel_sp;
    volatile uint64_t timer_deadline;  /* ns of system time; 0 = none */
    struct vcpu_info_x86_32 *info;     /* in shared_info */
    /* Requests from the running vCPU, carried out by its exit path. */
    bool want_block, want_yield, want_down, want_up;
    /* Single-step test mode: where we are in the stepped region. */
    bool sstep_active;
    uint32_t sstep_boundary, sstep_target;
    uint64_t hypercalls[56];
};

struct domain_config {
    uint64_t mem_bytes, lowmem_bytes;
    unsigned nr_vcpus;
    unsigned kmap_slots;
    uint32_t kmap_flags;              /* KMAP_WIN_GUARD | LAZY | STOP */
    uint32_t kmap_allowed_prot;
};

struct domain {
    unsigned id;
    struct domain_config cfg;
    unsigned nr_vcpus;
    struct vcpu vcpu[MAX_VCPUS];
    uint64_t base_mfn, nr_pages;       /* machine frames [base, base + nr) */
    uint32_t lowmem_pages, nr_usable_pages;
    uint8_t *frame_type;               /* per pfn: enum frame_type */
    struct shared_info_x86_32 *shared;
    struct evtchn_table evtchn;
    spinlock_t evtchn_lock;            /* the port table and its bits */
    volatile bool dying;
    char cmdline[1024];
    /* Single-step test mode (KMAP_WIN_SSTEP), over all vCPUs. */
    spinlock_t sstep_lock;
    uint64_t sstep_regions, sstep_boundaries, sstep_injections;
    uint32_t sstep_longest, sstep_next_target;
    uint32_t sstep_eips[4096];         /* distinct EIPs where we injected */
    unsigned sstep_nr_eips;
};
void sstep_debug_trap(struct vcpu *v);
long sstep_op(struct vcpu *v, uint32_t begin);

extern struct domain *dom0;

/* domain.c */
bool domain_config_from_cmdline(const char *cmdline, struct domain_config *cfg, char *why, size_t len);
int domain_build(struct domain *d, const struct domain_config *cfg, const void *image, size_t len,
                 const char *guest_cmdline, char *why, size_t why_len);
_Noreturn void domain_shutdown(struct domain *d, unsigned reason);
_Noreturn void domain_crash(struct vcpu *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vcpu_send_virq(struct vcpu *v, unsigned virq);
void domain_kick_result(struct domain *d, int r);
void vcpu_reset_regs(struct vcpu *v);
void vcpu_up(struct vcpu *v);

/* hypercall.c */
void hypercall_dispatch(struct vcpu *v);

#endif
