/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake of what the kmap window needs from the hypervisor, for host
 * tests: a window page table, a software TLB that caches translations
 * exactly as hardware may (until invlpg), frame ownership, and a small
 * guest memory.  It records every PTE write and flush.
 */
#ifndef TESTS_FAKE_WINDOW_ENV_H
#define TESTS_FAKE_WINDOW_ENV_H

#include <stdbool.h>
#include <stdint.h>
#include "hypervisor/window.h"

#define FAKE_OWNED_LO 1000u
#define FAKE_OWNED_HI 2000u   /* [LO, HI) owned by the domain */
#define FAKE_PT_LO 1990u      /* [PT_LO, HI) are page tables */
#define FAKE_GUEST_BASE 0x10000u
#define FAKE_GUEST_SIZE 0x10000u

struct fake_env {
    uint64_t pte[512];        /* 0 = not present; else mfn << 12 | prot << 1 | 1 */
    uint64_t tlb[512];        /* cached translation, 0 = none */
    unsigned pte_writes, flushes;
    uint8_t guest[FAKE_GUEST_SIZE];
    bool guest_ro;            /* make guest memory read-only */
    uint32_t retyped_mfn;     /* != 0: this frame passes check_frame but is retyped
                               * before set_pte (another vCPU pinned it): set_pte fails */
};

void fake_env_init(struct fake_env *f, struct kmap_env *env);
/* Touch a window address as the guest would: through the TLB.  Returns
 * the mfn seen, or 0 for a fault (not present). */
uint32_t fake_access(struct fake_env *f, const struct kmap_window *w, uint32_t va);

#endif
