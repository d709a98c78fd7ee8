/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The highmem architectures and what kmap_local needs to know of each:
 * page size, data-cache colours (aliasing VIPT caches need the slot's
 * virtual colour to match the frame's), PTE encoding, flush needs.  The
 * values follow each architecture's Linux port (arch/<arch>/mm/highmem.c
 * and its pgtable headers); the library's unit tests check the slot
 * arithmetic for all of them.
 */
#include <stdbool.h>
#include <stddef.h>
#include "kmap_local_arch.h"

int strcmp(const char *a, const char *b);

const struct kmap_arch kmap_arches[] = {
    /* name        shift colours pte  present     write       nx         pfn  dflush tlb */
    { "x86-32-pae", 12, 1, 8, 1u << 0, 1u << 1, 1ull << 63, 12, false, false },
    { "x86-32",     12, 1, 4, 1u << 0, 1u << 1, 0,          12, false, false },
    { "arm",        12, 4, 4, 1u << 1, 0,       1u << 0,    12, true,  false }, /* ARMv6 VIPT aliasing: 4 colours */
    { "mips",       12, 2, 4, 1u << 0, 1u << 2, 0,          12, true,  true  }, /* 2 colours on 8K-way caches */
    { "powerpc",    12, 1, 4, 1u << 0, 1u << 1, 0,          12, false, true  },
    { "sparc32",    12, 1, 4, 1u << 0, 1u << 2, 0,          8,  true,  true  }, /* SRMMU: pfn at bit 8 */
    { "xtensa",     12, 2, 4, 1u << 0, 1u << 2, 0,          12, true,  false }, /* DCACHE_N_COLORS == 2 with 8K ways */
    { "arc",        13, 1, 4, 1u << 0, 1u << 1, 0,          13, false, false },
    { "csky",       12, 1, 4, 1u << 0, 1u << 1, 0,          12, true,  false },
    { "microblaze", 12, 1, 4, 1u << 0, 1u << 1, 0,          12, false, true  },
};
const unsigned kmap_nr_arches = sizeof(kmap_arches) / sizeof(kmap_arches[0]);

const struct kmap_arch *kmap_arch_find(const char *name)
{
    for (unsigned i = 0; i < kmap_nr_arches; i++)
        if (!strcmp(kmap_arches[i].name, name))
            return &kmap_arches[i];
    return NULL;
}
