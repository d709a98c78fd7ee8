/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86 PV personality: how kmapvisor looks to a 32-bit Xen PV guest.
 * Hypercall decoding (a table, hypercall.c, one file per family),
 * bounce frames and iret (bounce.c), guest memory (guest_mem.c), the
 * guest's page tables and the window's view of them (guest_pt.c), the
 * domain builder (dom_build.c), the single-step test mode (sstep.c), and
 * the exit path to the guest (exit.c, context.c).
 *
 * All of it but exit.c and context.c also builds on the host, against a
 * fake machine (tests/host/), so that unit tests and the fuzzer can
 * drive hypercall decoding directly.
 */
#ifndef PV_PV_H
#define PV_PV_H

#include "hypervisor/domain.h"
#include "hypervisor/frame_alloc.h"
#include <asm/regs.h>
#include <asm/page.h>
#include <asm/layout.h>
#include <asm/spinlock.h>
#include <kmapvisor/abi.h>
#include <kmapvisor/compat.h>
#include <xen/xen.h>
#include <xen/foreign/x86_32.h>
#include <xen/errno.h>

#define NR_HYPERCALLS 56

/* Xen's compat guest selectors: GUEST_RING1_CS etc. in <asm/layout.h>. */
_Static_assert(GUEST_RING1_CS == FLAT_RING1_CS_X86_32 && GUEST_RING1_DS == FLAT_RING1_DS_X86_32,
               "kmapvisor's guest selectors are Xen's");

/* One entry of a vCPU's virtual IDT (set_trap_table). */
struct trap_entry32 {
    uint16_t cs;
    uint8_t flags;    /* TI_GET_IF: mask events on entry */
    uint8_t valid;
    uint32_t eip;
};

/* Page types of a domain's frames: one 32-bit word per pfn (page_type.h). */

struct arch_vcpu {
    struct trap_frame regs;            /* guest registers while not running */
    uint16_t ds, es, fs, gs;
    uint64_t cr3;                      /* this vCPU's PML4 (machine address) */
    uint64_t *window_pt;               /* this vCPU's window page table */
    uint64_t *l3c, *l2s;               /* its copy of the guest L3 and shadow of the pae_xen_l2 (guest_pt.c) */
    uint32_t base_mfn;                 /* the guest L3 it runs on (holds a type reference), or 0 */
    uint32_t xen_l2_mfn;               /* that L3's slot 3: the L2 l2s mirrors */
    volatile bool need_flush;          /* flush its TLB before it next runs guest code (tlb.c) */
    void *last_pcpu;                   /* where its window was last loaded (struct pcpu *) */
    struct trap_entry32 traps[256];
    uint32_t event_cs, event_eip, failsafe_cs, failsafe_eip;
    uint32_t kernel_ss, kernel_sp;
    bool virtual_ts;                   /* the guest's CR0.TS (fpu_taskswitch, clts) */
    uint32_t dr[8];                    /* its debug registers (debugreg.c): 0-3, 6, 7 */
    uint64_t hypercalls[NR_HYPERCALLS]; /* calls by number, for the traps statistic */
    uint64_t hv_tsc;                   /* TSC ticks its traps spent in the hypervisor */
    uint64_t cr3_loads;                /* CR3 loads on entry to it */
    /* Recorded by callback_op, physdev_op (physdev_op.c, callbacks.c). */
    uint32_t nmi_eip;                  /* 0: none */
    uint8_t iopl;                      /* virtual IOPL (PHYSDEVOP_set_iopl) */
    /* runstate.c: the guest virtual address of its registered
     * vcpu_runstate_info (compat layout), 0 for none; the lock orders the
     * copies into it (a switch-out on one CPU, a switch-in on another). */
    uint32_t runstate_gva;
    spinlock_t runstate_lock;
    uint32_t iobmp, iobmp_limit;       /* guest I/O bitmap and its ports (PHYSDEVOP_set_iobitmap) */
    /* Its descriptor tables (desc_tables.c): frames holding a seg-desc
     * type reference each; recorded and validated, not loaded. */
    uint32_t gdt_mfn[14], gdt_ents;
    uint32_t ldt_mfn[16], ldt_base, ldt_ents;
};

#define KMV_GRANT_FRAMES 4             /* frames of a domain's grant table (v1: 512 entries each) */
#define M2P_NONE UINT32_MAX            /* an m2p entry: not this domain's frame (Xen's INVALID_M2P_ENTRY) */
/* Xen's compat machine-to-phys table in a PAE guest's space (read-only). */
#define PV_M2P_VIRT_START 0xf5800000u    /* __MACH2PHYS_VIRT_START_PAE */
#define PV_M2P_VIRT_END   0xf6800000u    /* __MACH2PHYS_VIRT_END_PAE */

/* shared_info, the console and xenstore rings, the pirq EOI bitmap, and
 * room for a vcpu_info and a runstate area per vCPU. */
#define PV_MAX_HELD (4 + 2 * KMV_MAX_VCPUS)

struct arch_domain {
    uint32_t nr_pages;                 /* pfns [0, nr_pages) */
    uint32_t virt_base;                /* lowmem (pfn 0) is mapped here (the image's VIRT_BASE) */
    uint32_t lowmem_pages, nr_usable_pages;
    uint32_t *p2m;                     /* pfn -> mfn (the hypervisor's copy) */
    uint32_t *m2p;                     /* the guest's read-only machine-to-phys table (MMU_MACHPHYS_UPDATE writes it) */
    uint32_t *owner;                   /* mfn -> pfn, or M2P_NONE: whose a frame is (the hypervisor's own copy) */
    uint64_t m2p_frames;               /* host frames m2p and owner cover */
    uint32_t *pgt;                     /* per pfn: page type, count and flags (page_type.h) */
    spinlock_t mmu_lock;               /* page-table types and entries (page_type.c) */
    uint32_t dying[64];                /* pfns whose page-table type ended, awaiting a TLB flush */
    unsigned nr_dying;
    struct { uint32_t mfn; bool writable; } shared[16]; /* frames the hypervisor shares (pv_share_frame) */
    unsigned nr_shared;
    /* The domain's frames the hypervisor writes through its own mapping
     * for as long as the domain lives, each holding a permanent writable
     * type reference (pv_hold_writable, page_type.c; docs/security.md). */
    struct { uint32_t pfn; const char *what; } held[PV_MAX_HELD];
    unsigned nr_held;
    uint32_t vm_assist;                /* VMASST_TYPE_* bits the guest enabled */
    uint32_t time_mul;                 /* the vcpu_time_info scale (runstate.c), the hypervisor's own copy */
    int8_t time_shift;
    struct arch_vcpu vcpu[KMV_MAX_VCPUS];
    /* grant_op.c, physdev_op.c */
    uint32_t grant_mfn[KMV_GRANT_FRAMES], grant_frames;
    uint32_t pirq_eoi_gmfn;
    bool pirq_eoi_gmfn_set;
};

static inline struct trap_frame *vregs(struct vcpu *v) { return &v->arch->regs; }

/* The domain's pfn behind a machine frame, or M2P_NONE: the one question
 * every guest-named frame is asked first. */
static inline uint32_t pv_mfn_to_pfn(const struct arch_domain *ad, uint64_t mfn)
{
    return mfn < ad->m2p_frames ? ad->owner[mfn] : M2P_NONE;
}

/* What the PV layer takes from the x86 host (arch/x86_64/; fakes in
 * tests/host/ for host builds). */
extern struct frame_allocator host_frames;
extern uint64_t kernel_cr3;
extern uint64_t tsc_khz;
extern unsigned nr_pcpus;
uint64_t tsc_at_boot(void);
uint64_t host_tsc(void);              /* the TSC now */
uint64_t tsc_to_ns(uint64_t tsc);     /* system time (platform->now_ns's clock) at a TSC value */
bool host_frame_is_ram(uint64_t mfn);
unsigned detect_accel(void);

/* hypercall.c: the table and its dispatch. */
typedef long (*hypercall_fn)(struct vcpu *v, const uint32_t *a);
struct hypercall {
    hypercall_fn fn;
    uint8_t nargs;            /* arguments it reads: ebx, ecx, edx, esi, edi */
    int8_t in_multicall;      /* 0, or the error it gives inside a multicall */
    const char *name;
};
extern const struct hypercall hypercall_table[NR_HYPERCALLS];
/* The guest trapped with int $0x82: dispatch on eax, result in eax. */
void hypercall_dispatch(struct vcpu *v);
/* One call with its arguments (also what multicall and the fuzzer use). */
long hypercall_call(struct vcpu *v, uint32_t nr, const uint32_t *args, bool nested);

/* A vCPU's count of each hypercall (KMAPOP_stats' traps): taken by
 * hypercall_call and by the fast path (exit.c), which skips it. */
static inline void pv_count_hypercall(struct vcpu *v, uint32_t nr)
{
    v->arch->hypercalls[nr]++;
}

/* The handlers, one family per file. */
long do_set_trap_table(struct vcpu *v, const uint32_t *a);    /* callbacks.c */
long do_set_callbacks(struct vcpu *v, const uint32_t *a);
long do_callback_op(struct vcpu *v, const uint32_t *a);
long do_stack_switch(struct vcpu *v, const uint32_t *a);
long do_fpu_taskswitch(struct vcpu *v, const uint32_t *a);
long do_vcpu_op(struct vcpu *v, const uint32_t *a);           /* vcpu_op.c */
long do_set_timer_op(struct vcpu *v, const uint32_t *a);
long do_event_channel_op(struct vcpu *v, const uint32_t *a);  /* evtchn_op.c */
long do_kmap_op(struct vcpu *v, const uint32_t *a);           /* kmap_op.c */
long do_update_va_mapping(struct vcpu *v, const uint32_t *a);
long pv_window_update_va_mapping(struct vcpu *v, uint32_t va, uint64_t pte);
long do_console_io(struct vcpu *v, const uint32_t *a);        /* misc_op.c */
long do_xen_version(struct vcpu *v, const uint32_t *a);
long do_sched_op(struct vcpu *v, const uint32_t *a);
long do_sched_op_compat(struct vcpu *v, const uint32_t *a);
long do_set_debugreg(struct vcpu *v, const uint32_t *a);     /* debugreg.c */
long do_get_debugreg(struct vcpu *v, const uint32_t *a);
long pv_check_debugreg(uint32_t reg, uint32_t *value);
long do_memory_op(struct vcpu *v, const uint32_t *a);         /* memory_op.c */
long do_vm_assist(struct vcpu *v, const uint32_t *a);
long do_multicall(struct vcpu *v, const uint32_t *a);         /* hypercall.c */
long do_physdev_op(struct vcpu *v, const uint32_t *a);        /* physdev_op.c */
long do_physdev_op_compat(struct vcpu *v, const uint32_t *a);
long do_grant_table_op(struct vcpu *v, const uint32_t *a);    /* grant_op.c */
long do_iret(struct vcpu *v, const uint32_t *a);              /* bounce.c */
long do_mmu_update(struct vcpu *v, const uint32_t *a);        /* mmu_update.c */
long do_mmuext_op(struct vcpu *v, const uint32_t *a);         /* mmuext_op.c */
long do_set_gdt(struct vcpu *v, const uint32_t *a);           /* desc_tables.c */
long do_update_descriptor(struct vcpu *v, const uint32_t *a);
/* MMUEXT_SET_LDT, under the MMU lock. */
long pv_set_ldt(struct vcpu *v, uint32_t linear, uint32_t ents);
/* update_va_mapping outside the window (va_mapping.c) */
long pv_update_va_mapping_guest(struct vcpu *v, uint32_t va, uint64_t pte, uint32_t flags);

/* selectors.c: Xen's rules for guest selectors; each normalises *sel
 * (RPL 0 means ring 1) and returns false to refuse it. */
bool pv_code_selector(uint32_t *sel, bool allow_user);
bool pv_stack_selector(uint32_t *sel, bool allow_user);
bool pv_data_selector(uint32_t *sel);

void pv_set_timer(struct vcpu *v, uint64_t deadline);

/* runstate.c: what a vCPU switch tells the guest, and the runstate calls. */
void pv_time_init(struct domain *d);          /* the domain's time scale (the builder) */
void pv_time_update(struct vcpu *v);          /* its vcpu_time_info to now */
void pv_runstate_publish(struct vcpu *t);     /* its registered runstate area, if any */
void pv_vcpu_switch(struct vcpu *prev, struct vcpu *next); /* the exit path, after sched_pick */
long pv_register_runstate(struct vcpu *v, struct vcpu *t, uint32_t arg);
long pv_get_runstate_info(struct vcpu *v, struct vcpu *t, uint32_t arg);

/* guest_mem.c: guest virtual memory, through the vCPU's own page tables
 * (walked in software, so a bad pointer is an error, never a fault). */
int copy_from_guest(struct vcpu *v, void *dst, uint32_t gva, size_t len);
int copy_to_guest(struct vcpu *v, uint32_t gva, const void *src, size_t len);
uint64_t guest_translate(struct vcpu *v, uint32_t gva, bool write);

/* guest_pt.c: each vCPU's hypervisor frames (PML4, L3 copy, top-GiB L2
 * shadow, window page table) and how they follow the guest's tables. */
unsigned guest_pt_frames(const struct domain *d);
int guest_pt_build(struct domain *d, struct vcpu *v, uint64_t *next_pt_pfn);
void vcpu_kmap_env(struct vcpu *v, struct kmap_env *env);
/* v now runs on the guest L3 l3_mfn (a type reference already taken). */
void pv_load_base(struct vcpu *v, uint32_t l3_mfn);
/* A guest L3 / pae_xen_l2 entry changed: every vCPU copy of it follows. */
void pv_propagate_l3e(struct domain *d, uint32_t l3_mfn, unsigned slot, uint64_t val);
void pv_propagate_l2e(struct domain *d, uint32_t l2_mfn, unsigned slot, uint64_t val);
/* boot_pt.c: the guest's initial page tables (Xen's builder layout). */
struct boot_pt {
    uint32_t pt_va, nr_frames;         /* the L3's address (start_info pt_base), the tables' number */
    uint64_t map_end;                  /* mapped with 4 KiB pages from VIRT_BASE to here */
    uint32_t l3_mfn;
};
int boot_pt_layout(const struct arch_domain *ad, uint32_t pt_va, struct boot_pt *bp);
void boot_pt_fill(const struct arch_domain *ad, struct boot_pt *bp);
int boot_pt_install(struct domain *d, const struct boot_pt *bp);
/* Xen's compat CR3 encoding of a frame (xen_pfn_to_cr3 for x86_32). */
static inline uint32_t pv_mfn_to_cr3(uint32_t mfn) { return mfn << 12 | mfn >> 20; }
static inline uint32_t pv_cr3_to_mfn(uint32_t cr3) { return cr3 >> 12 | cr3 << 20; }

/* bounce.c: exceptions and upcalls into the guest, Xen's frame format. */
bool guest_bounce(struct vcpu *v, unsigned vector, bool has_error, uint32_t error_code);
void guest_deliver_upcall(struct vcpu *v);
void vcpu_reset_regs(struct vcpu *v);

/* dom_build.c */
/* What the builder loads: the kernel image, and an optional module (an
 * initrd) that start_info's mod_start and mod_len tell the guest of. */
struct boot_blob {
    const void *data;
    size_t len;
};
int domain_build(struct domain *d, const struct domain_config *cfg, struct boot_blob kernel, struct boot_blob module,
                 const char *guest_cmdline, char *why, size_t why_len);
void pv_dump_vcpu(const struct vcpu *v);

/* The instruction decoders (emulate.c, priv_insn.c, ptwr.c) share these:
 * the guest's instruction bytes at its EIP (up to max, fewer where
 * mapped memory ends; how many), and the 32-bit register a ModRM or SIB
 * field names (0 eax, 1 ecx, 2 edx, 3 ebx, 4 esp, 5 ebp, 6 esi, 7 edi). */
unsigned pv_fetch_insn(struct vcpu *v, uint8_t *buf, unsigned max);
static inline uint64_t *pv_gpr(struct trap_frame *r, unsigned n)
{
    uint64_t *const regs[8] = { &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi, &r->rdi };
    return regs[n & 7];
}
/* ptwr.c: writable page tables.  A #PF of v at addr with error_code:
 * a direct write to an L1 entry, emulated (DONE: EIP past it), or to be
 * re-executed (RETRY: nothing changed), or the guest's #PF (REFUSED). */
enum pv_ptwr_result { PTWR_REFUSED, PTWR_DONE, PTWR_RETRY };
enum pv_ptwr_result pv_ptwr_emulate(struct vcpu *v, uint32_t addr, uint32_t error_code);

/* emulate.c: Xen's forced-emulation CPUID at a guest #UD (true: done). */
bool pv_emulate_ud(struct vcpu *v);
/* `int $n` that faulted on a DPL-0 gate: Xen's software interrupt to the
 * trap table's handler when its DPL admits the caller (true: done); else
 * *error_code becomes the one Xen reports for the #GP, n * 8 + 2. */
bool pv_soft_interrupt(struct vcpu *v, uint32_t *error_code);
/* mov to/from CR0, CR2, CR3, CR4 and clts from the guest kernel, as Xen
 * emulates them (true: done; false: the guest gets its #GP). */
bool pv_emulate_privileged(struct vcpu *v);
void pv_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]);
/* priv_insn.c: in/out by the virtual IOPL or I/O bitmap, rdmsr/wrmsr,
 * mov to/from debug registers (true: emulated; false: the guest's #GP). */
bool pv_emulate_priv_insn(struct vcpu *v);
bool pv_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val);
bool pv_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val);
/* dom_build.c: Xen's hypercall stubs into a page. */
void pv_fill_hypercall_page(uint8_t *page);

/* sstep.c: the single-step test mode (test-only state lives there). */
long sstep_op(struct vcpu *v, uint32_t begin);
bool sstep_active(const struct vcpu *v);
void sstep_debug_trap(struct vcpu *v);
void sstep_report(const struct domain *d);

#endif
