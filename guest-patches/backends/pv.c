/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Backends for 32-bit PV guests of kmapvisor:
 *  - pv:  kmapvisor's kmap_op (push/pop, and KMAPOP_switch for batched
 *         replay: one trap for a whole context switch);
 *  - xen: Xen's update_va_mapping on the slot's address, as any Xen PV
 *         guest writes its fixmap PTEs: kmapvisor's window, or on Xen the
 *         guest's own slot area (a slice per vCPU: the address the
 *         library gives already is this vCPU's).
 */
#include <stddef.h>
#include <kmapvisor/abi.h>
#include <xen/xen.h>
#include "kmap_backends.h"

static const struct kmap_hypercall_ops *hc;
static const struct kmap_arch *x86_pae; /* a Xen PV guest's PTE format */

static struct slot_cache {
    uint32_t pfn, prot;
    bool valid;
} cached[KMAP_BACKEND_MAX_CPUS][KMAP_LOCAL_MAX];

/* A new registration is a new window: nothing is cached in it yet. */
void kmap_backend_pv_register(const struct kmap_hypercall_ops *ops)
{
    hc = ops;
    x86_pae = kmap_arch_find("x86-32-pae");
    for (unsigned c = 0; c < KMAP_BACKEND_MAX_CPUS; c++)
        for (unsigned s = 0; s < KMAP_LOCAL_MAX; s++)
            cached[c][s].valid = false;
}

static inline bool is_err(long r) { return KMV_IS_ERR(r); }

static uint32_t prot_of(uint32_t p) { return (p & KMAP_PROT_RW) ? KMAP_PROT_WRITE : 0; }

/* The hypervisor keeps the stack: it answers with the slot's address. */
static int pv_push(unsigned slot, uint32_t pfn, uint32_t prot)
{
    (void)slot;
    long r = hc->kmap_op(KMAPOP_push, hc->pfn_to_mfn(pfn), prot_of(prot), 0, 0);
    if (is_err(r))
        return (int)r;
    return (int)kmap_local_slot_at((uintptr_t)r);
}

static int pv_pop(unsigned slot)
{
    return (int)hc->kmap_op(KMAPOP_pop, kmap_local_slot_addr(slot), 0, 0, 0);
}

/* Per-CPU scratch for the switch call; used with events masked. */
static struct kmap_entry pv_save[KMAP_BACKEND_MAX_CPUS][KMAP_LOCAL_MAX], pv_restore[KMAP_BACKEND_MAX_CPUS][KMAP_LOCAL_MAX];

static int pv_replay(unsigned base, unsigned depth, const struct kmap_local_entry *restore, unsigned n)
{
    unsigned cpu = hc->cpu();
    for (unsigned i = 0; i < n; i++)
        pv_restore[cpu][i] = (struct kmap_entry){ hc->pfn_to_mfn(restore[i].pfn), prot_of(restore[i].prot) };
    long r = hc->kmap_op(KMAPOP_switch, base, (unsigned long)pv_save[cpu], (unsigned long)pv_restore[cpu], n);
    if (is_err(r))
        return (int)r;
    return r == (long)(depth - base) ? 0 : -1001;
}

const struct kmap_local_backend kmap_backend_pv = { "pv", true, pv_push, pv_pop, pv_replay };

/* The guest names the slot, as a Xen PV kernel writes its fixmap PTE. */
static int xen_push(unsigned slot, uint32_t pfn, uint32_t prot)
{
    uint64_t pte = kmap_arch_mk_pte(x86_pae, hc->pfn_to_mfn(pfn), prot & KMAP_PROT_RW);
    long r = hc->update_va_mapping((uint32_t)kmap_local_slot_addr(slot), pte, UVMF_INVLPG);
    return r ? (int)r : (int)slot;
}

/* The slot is this vCPU's alone (its window, or its slice of a shared
 * area), so only this vCPU's TLB can hold it: a local invlpg, as Linux's
 * Xen code flushes a kmap_local slot. */
static int xen_pop(unsigned slot)
{
    return (int)hc->update_va_mapping((uint32_t)kmap_local_slot_addr(slot), 0, UVMF_INVLPG | UVMF_LOCAL);
}

const struct kmap_local_backend kmap_backend_xen = { "xen", false, xen_push, xen_pop, NULL };

/*
 * pv-cached: kmapvisor's cached windows (KMAP_WIN_CACHED).  We own the
 * index; per vCPU we remember what each slot of our window maps.  A push
 * of the frame a slot already maps costs nothing; any other push is one
 * KMAPOP_install, which validates the frame and flushes the slot if it
 * replaces a mapping.  A pop costs nothing: the stale PTE maps one of our
 * own frames in our own window, and is replaced (and flushed) before the
 * slot is used for anything else.
 */

static int cached_push(unsigned slot, uint32_t pfn, uint32_t prot)
{
    struct slot_cache *c = &cached[hc->cpu()][slot];
    if (c->valid && c->pfn == pfn && c->prot == prot)
        return (int)slot;
    long r = hc->kmap_op(KMAPOP_install, kmap_local_slot_addr(slot), hc->pfn_to_mfn(pfn), prot_of(prot), 0);
    if (r) {
        c->valid = false;
        return (int)r;
    }
    *c = (struct slot_cache){ pfn, prot, true };
    return (int)slot;
}

static int cached_pop(unsigned slot)
{
    (void)slot;
    return 0;
}


/* Batched replay for cached windows: one KMAPOP_install_list for the
 * incoming task's slots (the hypervisor skips those that already map the
 * right frame), none at all when every slot already does. */
static struct kmap_entry cached_list[KMAP_BACKEND_MAX_CPUS][KMAP_LOCAL_MAX];

static int cached_replay(unsigned base, unsigned depth, const struct kmap_local_entry *restore, unsigned n)
{
    (void)depth;
    unsigned cpu = hc->cpu(), misses = 0;
    for (unsigned i = 0; i < n; i++) {
        const struct slot_cache *c = &cached[cpu][base + i];
        misses += !(c->valid && c->pfn == restore[i].pfn && c->prot == restore[i].prot);
        cached_list[cpu][i] = (struct kmap_entry){ hc->pfn_to_mfn(restore[i].pfn), prot_of(restore[i].prot) };
    }
    if (!misses)
        return 0;
    long r = hc->kmap_op(KMAPOP_install_list, kmap_local_slot_addr(base), (unsigned long)cached_list[cpu], n, 0);
    for (unsigned i = 0; i < n; i++)
        cached[cpu][base + i] = (struct slot_cache){ restore[i].pfn, restore[i].prot, r == 0 };
    return (int)r;
}

const struct kmap_local_backend kmap_backend_pv_cached = { "pv-cached", false, cached_push, cached_pop, cached_replay };
