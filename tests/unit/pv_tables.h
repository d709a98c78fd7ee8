/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the PV MMU tests (test_pv_mmu.c, test_pv_desc.c, test_pv_ptwr.c,
 * test_pv_held.c) ask of a frame and do with one call: its host mapping,
 * machine address and type word, one mmu_update request and one
 * mmuext op through the real dispatch.  The requests use fixed scratch
 * offsets: mmu_update's at SCRATCH (count done at SCRATCH + 0x1000), the
 * mmuext op's at SCRATCH + 0x2000.
 */
#ifndef TESTS_PV_TABLES_H
#define TESTS_PV_TABLES_H

#include <string.h>
#include "pv_fixture.h"
#include "arch/x86_64/pv/page_type.h"

static inline uint64_t *frame(uint32_t mfn) { return fake_phys_to_virt((uint64_t)mfn << PAGE_SHIFT); }
static inline uint64_t ma(uint32_t mfn) { return (uint64_t)mfn << PAGE_SHIFT; }
static inline uint32_t word(uint32_t mfn) { return dom.arch->pgt[pv_mfn_to_pfn(dom.arch, mfn)]; }
static inline uint32_t count(uint32_t mfn) { return word(mfn) & PGT_COUNT; }
static inline uint32_t type(uint32_t mfn) { return word(mfn) & PGT_TYPE; }

/* One mmu_update request of vCPU 0's, for this domain. */
static inline long mmu(uint64_t ptr, uint64_t val)
{
    struct mmu_update u = { ptr, val };
    memcpy(g(SCRATCH), &u, sizeof(u));
    return HC(v0, __HYPERVISOR_mmu_update, SCRATCH, 1, SCRATCH + 0x1000, DOMID_SELF, 0);
}

/* One mmuext op of v's, for this domain. */
static inline long ext_on(struct vcpu *v, uint32_t cmd, uint32_t a1, uint32_t a2)
{
    struct kmv_mmuext_op32 op = { cmd, a1, a2 };
    memcpy(g(SCRATCH + 0x2000), &op, sizeof(op));
    return HC(v, __HYPERVISOR_mmuext_op, SCRATCH + 0x2000, 1, 0, DOMID_SELF, 0);
}
static inline long ext(uint32_t cmd, uint32_t a1, uint32_t a2) { return ext_on(v0, cmd, a1, a2); }

#endif
