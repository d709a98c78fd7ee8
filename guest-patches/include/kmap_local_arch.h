/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Arch hooks of the kmap_local library, for every architecture that has
 * highmem.  An arch describes its slot layout (the colour count of its
 * data cache: a virtually indexed cache with aliases needs a slot whose
 * virtual colour matches the page's), its PTE encoding, and which flushes
 * it needs around a mapping.  The table in arch/ fills these in; the
 * library turns a stack index and a frame into a slot with
 * kmap_arch_slot().
 */
#ifndef KMAP_LOCAL_ARCH_H
#define KMAP_LOCAL_ARCH_H

#include <stdbool.h>
#include <stdint.h>

struct kmap_arch {
    const char *name;
    unsigned page_shift;
    unsigned colours;           /* 1 = no cache aliasing */
    unsigned pte_bytes;         /* 4, or 8 with PAE/LPAE/64-bit PTEs */
    uint64_t pte_present, pte_write, pte_nx;  /* PTE bits */
    unsigned pfn_shift;         /* where the frame number sits in a PTE */
    bool flush_dcache_on_unmap; /* write back an aliasing D-cache before unmap */
    bool flush_tlb_on_map;      /* some MMUs cache invalid entries */
};

extern const struct kmap_arch kmap_arches[];
extern const unsigned kmap_nr_arches;
const struct kmap_arch *kmap_arch_find(const char *name);

/* The slot for stack index idx and frame pfn: with c colours, index i
 * owns slots [i*c, i*c + c) and the frame's colour picks one of them, so
 * the virtual and physical colours agree. */
static inline unsigned kmap_arch_slot(const struct kmap_arch *a, unsigned idx, uint32_t pfn)
{
    return idx * a->colours + (pfn & (a->colours - 1));
}

static inline uint64_t kmap_arch_mk_pte(const struct kmap_arch *a, uint32_t pfn, bool write)
{
    return ((uint64_t)pfn << a->pfn_shift) | a->pte_present | (write ? a->pte_write : 0) | a->pte_nx;
}

#endif
