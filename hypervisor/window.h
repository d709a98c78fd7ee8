/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kmap window of one vCPU: a strictly nested stack of transient
 * mapping slots that the hypervisor owns.  This file is the arch-neutral
 * core; what it needs from the rest of the hypervisor (frame ownership,
 * PTE writes, TLB flushes, guest memory) comes through struct kmap_env,
 * so the same code runs in the hypervisor and in host unit tests.
 *
 * TLB rule: a slot's PTE is cached in the TLB only while it is present.
 *  - pop (eager mode) clears the PTE and flushes that one page;
 *  - push into a slot whose PTE is not present needs no flush;
 *  - push over a present PTE of another frame (lazy mode, or switch)
 *    writes it and flushes the page.
 * Windows are per vCPU and no other vCPU can see them, so a flush is
 * always local to the physical CPU that runs the vCPU (docs/window.md).
 */
#ifndef HV_WINDOW_H
#define HV_WINDOW_H

#include <kmvlib.h>
#include <asm/page.h>
#include <kmapvisor/abi.h>

#include <kmapvisor/limits.h>

struct kmap_env {
    void *ctx;
    /* 0 if the domain owns mfn and may map it, else -XEN_EPERM (not
     * owned) or -XEN_EACCES (a page table or hypervisor frame). */
    int (*check_frame)(void *ctx, uint32_t mfn);
    /* Write / clear the window PTE with index pte_index.  set_pte returns
     * 0, or -XEN_EACCES when the frame became a page table (or another
     * non-data type) on another vCPU between check_frame and the write:
     * the PTE is then cleared again and flushed, and the call fails. */
    int (*set_pte)(void *ctx, unsigned pte_index, uint32_t mfn, uint32_t prot);
    void (*clear_pte)(void *ctx, unsigned pte_index);
    /* Flush one page of this vCPU's window from this CPU's TLB. */
    void (*flush_va)(void *ctx, uint32_t va);
    /* Guest memory; return 0 or -XEN_EFAULT. */
    int (*copy_to_guest)(void *ctx, uint32_t gva, const void *src, size_t len);
    int (*copy_from_guest)(void *ctx, void *dst, uint32_t gva, size_t len);
};

/* The precise account of the last rejected call. */
struct kmap_error {
    enum kmap_err_kind kind;
    int expected_slot;   /* the top slot, for a non-nested pop; else -1 */
    int given_slot;      /* the slot the call named; else -1 */
    unsigned depth;
    uint32_t arg;        /* the offending address / frame / value */
};

/* What a window slot's PTE holds right now (lazy mode keeps it after pop). */
struct kmap_pte_state {
    uint32_t mfn;
    uint32_t prot;
    bool present;
};

struct kmap_window {
    uint32_t base;          /* guest virtual address of slot 0 */
    unsigned nslots;
    unsigned stride_pages;  /* 1, or 2 with guard pages */
    unsigned stride_shift;  /* log2(stride_pages): 0 or 1 */
    uint32_t span;          /* bytes the window covers: nslots * stride_pages pages */
    unsigned depth;
    uint32_t flags;         /* KMAP_WIN_* */
    uint32_t allowed_prot;  /* subset of KMAP_PROT_ALL this domain may use */
    struct kmap_entry live[KMV_MAX_SLOTS];
    struct kmap_pte_state pte[KMV_MAX_SLOTS];
    struct kmap_vcpu_stats stats;
    struct kmap_error last_error;
};

void kmap_window_init(struct kmap_window *w, uint32_t base, unsigned nslots,
                      uint32_t flags, uint32_t allowed_prot);
/* Each returns the result for the guest: an address, a count, 0, or a
 * negated Xen errno (see abi.h for which error means what). */
long kmap_push(struct kmap_window *w, const struct kmap_env *env, uint32_t mfn, uint32_t prot);
long kmap_pop(struct kmap_window *w, const struct kmap_env *env, uint32_t va);
long kmap_switch(struct kmap_window *w, const struct kmap_env *env, uint32_t base,
                 uint32_t save_gva, uint32_t restore_gva, uint32_t nrestore);
long kmap_query(struct kmap_window *w, const struct kmap_env *env, uint32_t info_gva, unsigned vcpu_id);
long kmap_get_stats(struct kmap_window *w, const struct kmap_env *env, uint32_t stats_gva);
/* update_va_mapping on a window address, its PTE already decoded by the
 * arch: present pushes (mfn, prot) into the next free slot, which must be
 * va's; not present pops the top slot, which must be va's. */
long kmap_update_va_mapping(struct kmap_window *w, const struct kmap_env *env, uint32_t va, bool present,
                            uint32_t mfn, uint32_t prot);
/* Cached mode: validate and write one slot; the stack is the guest's. */
long kmap_install(struct kmap_window *w, const struct kmap_env *env, uint32_t va, uint32_t mfn, uint32_t prot);
/* Cached mode: entries[0..n) into n consecutive slots from va, in one
 * call; all validated before any is written. */
long kmap_install_list(struct kmap_window *w, const struct kmap_env *env, uint32_t va, uint32_t list_gva,
                       uint32_t n);
bool kmap_va_in_window(const struct kmap_window *w, uint32_t va);
/* Record a call the arch's decoder refused (an unknown command, a PTE it
 * cannot take): counted and described like the core's own rejections. */
long kmap_reject(struct kmap_window *w, enum kmap_err_kind kind, uint32_t arg);
uint32_t kmap_slot_va(const struct kmap_window *w, unsigned slot);
/* One line describing w->last_error, for the stop policy's diagnostic. */
void kmap_describe_error(const struct kmap_window *w, char *buf, size_t len);
const char *kmap_err_name(enum kmap_err_kind kind);

#endif
