/*
 * The native backend: the kernel owns its page tables and writes the
 * window PTE itself, then flushes its own TLB entry, as Linux's
 * kmap_local does on bare metal.  The baseline the PV backends are
 * measured against.
 */
#include <stddef.h>
#include "../include/kmap_local.h"
#include "kmap_backends.h"

static int native_push(unsigned slot, uint32_t pfn, uint32_t prot)
{
    /* Not present before (pop cleared and flushed it): no flush needed. */
    *kmap_native_pte(slot) = ((uint64_t)pfn << 12) | 1 | ((prot & KMAP_PROT_RW) ? 2 : 0) | (1ull << 63);
    return (int)slot;
}

static int native_pop(unsigned slot)
{
    *kmap_native_pte(slot) = 0;
    kmap_native_flush(kmap_local_slot_addr(slot)); /* the old translation may be cached */
    return 0;
}

const struct kmap_local_backend kmap_backend_native = { "native", false, native_push, native_pop, NULL };
