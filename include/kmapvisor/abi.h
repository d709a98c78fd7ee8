/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmapvisor public ABI: the extensions on top of Xen's 32-bit PV ABI.
 *
 * Everything that Xen already defines (hypercall numbers, start_info,
 * shared_info, event channels, sched_op, vcpu_op, update_va_mapping,
 * multicall) is taken from the Xen public headers unchanged.  This header
 * adds only what Xen has no equivalent for: the kmap window calls and
 * start_info's kmapvisor extension (struct kmv_start_ext); the compat
 * (32-bit) layouts the Xen headers leave to the hypervisor are in
 * compat.h, which it includes.  It is included by the 64-bit hypervisor and by 32-bit
 * guests alike, so it uses fixed-width types only.
 *
 * See docs/abi.md for the full description, errors and costs.
 */
#ifndef KMAPVISOR_ABI_H
#define KMAPVISOR_ABI_H

#include <stdint.h>
#include <xen/xen.h>
#include "limits.h"
#include "compat.h"

/*
 * kmap_op lives in the hypercall range Xen reserves for architectures
 * (__HYPERVISOR_arch_0..7).  Xen/x86 uses arch_0 (mca) and arch_1
 * (paging_domctl_cont); arch_4 is unused by any Xen version.
 */
#define KMV_HYPERVISOR_kmap_op __HYPERVISOR_arch_4 /* 52 */

/*
 * kmap_op(cmd, a1, a2, a3, a4): number in eax, cmd in ebx, a1..a4 in
 * ecx, edx, esi, edi.  Result in eax.  A result in [-4095, -1] is a
 * negated Xen errno; any other value is the call's result.  Window
 * addresses are page aligned and so never collide with an error value.
 */
#define KMAPOP_push       0 /* (mfn, prot)              -> slot address    */
#define KMAPOP_pop        1 /* (address)                -> 0               */
#define KMAPOP_switch     2 /* (base, save, restore, n) -> entries saved   */
#define KMAPOP_query      3 /* (struct kmap_window_info *)   -> 0          */
#define KMAPOP_stats      4 /* (struct kmap_vcpu_stats *)    -> 0          */
#define KMAPOP_reset_stats 5 /* ()                      -> 0               */
#define KMAPOP_sstep      6 /* (1 = begin, 0 = end)     -> 0  (test mode)  */
#define KMAPOP_install    7 /* (address, mfn, prot)     -> 0  (cached mode)  */
#define KMAPOP_install_list 8 /* (address, entries, n)  -> 0  (cached mode): n slots from address */

/* Protection bits for push and for switch's restore entries. */
#define KMAP_PROT_WRITE   (1u << 0) /* writable mapping                    */
#define KMAP_PROT_USER    (1u << 1) /* ring-3 accessible: refused unless allowed */
#define KMAP_PROT_EXEC    (1u << 2) /* executable: refused unless allowed  */
#define KMAP_PROT_ALL     (KMAP_PROT_WRITE | KMAP_PROT_USER | KMAP_PROT_EXEC)

/* One live window entry, as saved and restored by KMAPOP_switch. */
struct kmap_entry {
    uint32_t mfn;  /* machine frame number */
    uint32_t prot; /* KMAP_PROT_* */
};

/* Window layout flags. */
#define KMAP_WIN_GUARD    (1u << 0) /* an unmapped guard page follows every slot */
#define KMAP_WIN_LAZY     (1u << 1) /* lazy pops: PTE left in place */
#define KMAP_WIN_STOP     (1u << 2) /* policy: misuse stops the domain */
/* Test mode: KMAPOP_sstep single-steps the guest between begin and end
 * and raises VIRQ_TIMER at one instruction boundary of each stepped
 * region, a later boundary each time (docs/replay-proof.md). */
#define KMAP_WIN_SSTEP    (1u << 3)
/* Cached mode (kmap.cached=1): the guest owns the slot index and caches
 * what each slot maps; KMAPOP_install validates a frame and writes one
 * slot's PTE, and a pop needs no call at all (the PTE stays, as in lazy
 * mode).  A slot that already maps the frame costs the guest no trap.
 * The hypervisor then checks ownership and protection but not nesting. */
#define KMAP_WIN_CACHED   (1u << 4)

/*
 * Where the window is.  Slot i lives at base + i * stride; the same
 * address on every vCPU, backed by a per-vCPU page-table page.
 */
struct kmap_window_info {
    uint32_t base;    /* guest virtual address of slot 0 */
    uint32_t nslots;  /* S */
    uint32_t stride;  /* bytes between slots: 4096, or 8192 with guards */
    uint32_t depth;   /* live entries on this vCPU's stack */
    uint32_t flags;   /* KMAP_WIN_* */
    uint32_t vcpu;    /* the vCPU that answered */
};

/* Kinds of rejected calls, each with its own counter. */
enum kmap_err_kind {
    KMAP_ERR_NOT_OWNED,     /* -EPERM:     frame not owned by the domain          */
    KMAP_ERR_PROTECTED,     /* -EACCES:    frame is a page table / hypervisor's   */
    KMAP_ERR_FULL,          /* -ENOSPC:    push on a full stack                   */
    KMAP_ERR_EMPTY,         /* -ENOENT:    pop on an empty stack                  */
    KMAP_ERR_OUT_OF_WINDOW, /* -ERANGE:    address outside the window / a guard   */
    KMAP_ERR_MISALIGNED,    /* -EINVAL:    address not page aligned               */
    KMAP_ERR_NOT_NESTED,    /* -EBUSY:     pop of a live slot that is not the top */
    KMAP_ERR_NOT_LIVE,      /* -ENXIO:     pop of a slot above the top            */
    KMAP_ERR_BAD_PROT,      /* -EOPNOTSUPP: protection bits not allowed           */
    KMAP_ERR_BAD_BUFFER,    /* -EFAULT:    guest buffer unmapped / misaligned / bad */
    KMAP_ERR_BAD_ARG,       /* -E2BIG:     switch base above depth / too many entries */
    KMAP_ERR_BAD_CMD,       /* -ENOSYS:    unknown kmap_op command                */
    KMAP_ERR_BAD_PTE,       /* -EINVAL:    update_va_mapping PTE with bits we do not implement */
    KMAP_ERR_NOT_TEST_MODE, /* -EPERM:     KMAPOP_sstep outside the single-step test mode */
    KMAP_ERR_KINDS
};

struct kmap_vcpu_stats {
    uint64_t pushes;      /* successful pushes (including via switch / uvm) */
    uint64_t pops;        /* successful pops */
    uint64_t switches;    /* successful KMAPOP_switch calls */
    uint64_t lazy_hits;   /* pushes that reused a lazily kept PTE */
    uint64_t pte_writes;  /* PTE writes to the window */
    uint64_t flushes;     /* single-page TLB flushes of the window */
    uint32_t max_depth;   /* deepest stack seen */
    uint32_t nr_err_kinds;/* == KMAP_ERR_KINDS */
    uint64_t errors[KMAP_ERR_KINDS];
    uint64_t traps;       /* every hypercall this vCPU made (this one included) */
    /* TSC ticks this vCPU's traps spent in the hypervisor: from the TSC
     * read at the start of trap_entry to the one at the end of the exit
     * path, before the register pops and the iretq (docs/abi.md).  Under
     * QEMU -icount shift=0 the TSC counts instructions, so this is the
     * hypervisor's instruction count.  Like traps, never reset. */
    uint64_t hv_tsc;
    uint64_t cr3_loads;   /* CR3 loads on entry to this vCPU (each flushes its TLB) */
};

/* kmapvisor start-info extension: at offset KMV_START_EXT_OFFSET in the
 * start_info page, so that a guest finds the window without a call. */
#define KMV_START_EXT_OFFSET 2048
#define KMV_START_EXT_MAGIC  0x4b4d4150u /* "KMAP" */
struct kmv_start_ext {
    uint32_t magic;
    uint32_t version;            /* 1 */
    uint32_t nr_vcpus;           /* vCPUs the domain was built with */
    uint32_t lowmem_pages;       /* pages of lowmem mapped at virt_base */
    uint32_t virt_base;          /* 0xC0000000 */
    uint32_t first_highmem_pfn;  /* first pfn not mapped in lowmem */
    uint32_t nr_usable_pages;    /* pfns [0, nr_usable_pages) are the guest's RAM */
    uint32_t first_free_pfn;     /* first pfn after the image and boot data */
    uint32_t tsc_khz;            /* TSC frequency */
    struct kmap_window_info window;
    uint32_t accel;              /* KMV_ACCEL_* as detected by the hypervisor */
    uint32_t nr_pcpus;
};

#define KMV_ACCEL_UNKNOWN 0
#define KMV_ACCEL_TCG     1
#define KMV_ACCEL_KVM     2

#endif /* KMAPVISOR_ABI_H */
