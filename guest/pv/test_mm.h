/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the in-guest PV MMU tests (test=mmu, desc, ptwr, kmap and the
 * hostile hypframes and ptwr groups) each need: a pfn's machine frame,
 * a frame's machine address, one mmu_update request and one mmuext op
 * for this domain, through the raw hypercalls.
 */
#ifndef GUEST_TEST_MM_H
#define GUEST_TEST_MM_H

#include "pv.h"

static inline uint32_t mfn_of(uint32_t pfn) { return ((const uint32_t *)start_info->mfn_list)[pfn]; }
static inline uint64_t ma(uint32_t mfn) { return (uint64_t)mfn << PAGE_SHIFT; }

/* One mmu_update request: its result (the count done is not kept). */
static inline long mmu1(uint64_t ptr, uint64_t val)
{
    struct mmu_update u = { .ptr = ptr, .val = val };
    unsigned done = 0;
    return hypercall5(__HYPERVISOR_mmu_update, (unsigned long)&u, 1, (unsigned long)&done, DOMID_SELF, 0);
}

/* One mmuext op: arg1 is a frame or a linear address (the same word),
 * arg2 a count (SET_LDT's nr_ents) or unused. */
static inline long ext(unsigned cmd, uint32_t a1, uint32_t a2)
{
    struct mmuext_op op = { .cmd = cmd };
    op.arg1.mfn = a1;
    op.arg2.nr_ents = a2;
    return hypercall5(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF, 0);
}

#endif
