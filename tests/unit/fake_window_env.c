/* SPDX-License-Identifier: GPL-2.0-only */
#include "fake_window_env.h"
#include <string.h>
#include <xen/errno.h>

static int check_frame(void *ctx, uint32_t mfn)
{
    (void)ctx;
    if (mfn < FAKE_OWNED_LO || mfn >= FAKE_OWNED_HI)
        return -XEN_EPERM;
    return mfn >= FAKE_PT_LO ? -XEN_EACCES : 0;
}

static int set_pte(void *ctx, unsigned idx, uint32_t mfn, uint32_t prot)
{
    struct fake_env *f = ctx;
    f->pte[idx] = ((uint64_t)mfn << 12) | ((uint64_t)prot << 1) | 1;
    f->pte_writes++;
    /* A frame retyped on another vCPU after the check: the real env
     * clears the entry again and reports the lost race. */
    if (mfn == f->retyped_mfn && mfn) {
        f->pte[idx] = 0;
        return -XEN_EACCES;
    }
    return 0;
}

static void clear_pte(void *ctx, unsigned idx)
{
    struct fake_env *f = ctx;
    f->pte[idx] = 0;
    f->pte_writes++;
}

static void flush_va(void *ctx, uint32_t va)
{
    struct fake_env *f = ctx;
    f->tlb[((va - 0xffe00000u) >> 12) & 511] = 0;
    f->flushes++;
}

static int guest_range(uint32_t gva, size_t len)
{
    if (gva < FAKE_GUEST_BASE || (uint64_t)gva + len > FAKE_GUEST_BASE + FAKE_GUEST_SIZE)
        return -XEN_EFAULT;
    return 0;
}

static int copy_to(void *ctx, uint32_t gva, const void *src, size_t len)
{
    struct fake_env *f = ctx;
    if (guest_range(gva, len) || f->guest_ro)
        return -XEN_EFAULT;
    memcpy(f->guest + (gva - FAKE_GUEST_BASE), src, len);
    return 0;
}

static int copy_from(void *ctx, void *dst, uint32_t gva, size_t len)
{
    struct fake_env *f = ctx;
    if (guest_range(gva, len))
        return -XEN_EFAULT;
    memcpy(dst, f->guest + (gva - FAKE_GUEST_BASE), len);
    return 0;
}

void fake_env_init(struct fake_env *f, struct kmap_env *env)
{
    memset(f, 0, sizeof(*f));
    *env = (struct kmap_env){ f, check_frame, set_pte, clear_pte, flush_va, copy_to, copy_from };
}

uint32_t fake_access(struct fake_env *f, const struct kmap_window *w, uint32_t va)
{
    unsigned idx = (va - w->base) >> 12;
    if (!f->tlb[idx])
        f->tlb[idx] = f->pte[idx]; /* a TLB fill; a not-present PTE is never cached */
    return f->tlb[idx] ? (uint32_t)(f->tlb[idx] >> 12) : 0;
}
