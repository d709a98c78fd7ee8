/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The native backend: the kernel owns its page tables and writes the
 * window PTE itself, in its arch's encoding, then flushes its own TLB
 * entry, as Linux's kmap_local does on bare metal.  The baseline the PV
 * backends are measured against.
 */
#include <stddef.h>
#include "kmap_backends.h"

static const struct kmap_native_ops *native;

void kmap_backend_native_register(const struct kmap_native_ops *ops)
{
    native = ops;
}

static int native_push(unsigned slot, uint32_t pfn, uint32_t prot)
{
    const struct kmap_arch *a = kmap_local_arch;
    /* Not present before (pop cleared and flushed it): no flush needed,
     * unless the MMU caches invalid entries. */
    native->set_pte(slot, kmap_arch_mk_pte(a, pfn, prot & KMAP_PROT_RW));
    if (a->flush_tlb_on_map)
        native->flush(kmap_local_slot_addr(slot));
    return (int)slot;
}

static int native_pop(unsigned slot)
{
    uintptr_t va = kmap_local_slot_addr(slot);
    if (kmap_local_arch->flush_dcache_on_unmap && native->flush_dcache)
        native->flush_dcache(va); /* write back the alias before it goes */
    native->set_pte(slot, 0);
    native->flush(va); /* the old translation may be cached */
    return 0;
}

const struct kmap_local_backend kmap_backend_native = { "native", false, native_push, native_pop, NULL };
