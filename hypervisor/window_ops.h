/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The window's hot calls (push, pop, install) and their helpers, inline:
 * window.c defines kmap_push, kmap_pop and kmap_install from them, and an
 * arch's hypercall fast path may use them directly with an env whose
 * callbacks the compiler can see, so that one kmap call is one function
 * with no indirect call.  The same code, the same checks, either way.
 * Rejections are out of line (kmap_reject_at, window.c).
 */
#ifndef HV_WINDOW_OPS_H
#define HV_WINDOW_OPS_H

#include "window.h"
#include <xen/errno.h>

#define HOT static inline __attribute__((always_inline))

/* Count and describe a rejected call; returns its negated errno. */
__attribute__((noinline, cold)) long kmap_reject_at(struct kmap_window *w, enum kmap_err_kind kind, int expected,
                                                    int given, uint32_t arg);

HOT uint32_t kw_slot_va(const struct kmap_window *w, unsigned slot)
{
    return w->base + ((uint32_t)slot << (PAGE_SHIFT + w->stride_shift));
}

HOT bool kw_va_in_window(const struct kmap_window *w, uint32_t va)
{
    return va >= w->base && va - w->base < w->span;
}

/* Slot index of a window address, or a negative errno via kmap_reject_at(). */
HOT long kw_va_to_slot(struct kmap_window *w, uint32_t va)
{
    if (unlikely(va & (PAGE_SIZE - 1)))
        return kmap_reject_at(w, KMAP_ERR_MISALIGNED, -1, -1, va);
    if (unlikely(!kw_va_in_window(w, va)))
        return kmap_reject_at(w, KMAP_ERR_OUT_OF_WINDOW, -1, -1, va);
    uint32_t page = (va - w->base) >> PAGE_SHIFT;
    if (unlikely(page & (w->stride_pages - 1)))
        return kmap_reject_at(w, KMAP_ERR_OUT_OF_WINDOW, -1, -1, va); /* a guard page */
    return page >> w->stride_shift;
}

HOT long kw_check_entry(struct kmap_window *w, const struct kmap_env *env, uint32_t mfn, uint32_t prot)
{
    if (unlikely(prot & ~w->allowed_prot))
        return kmap_reject_at(w, KMAP_ERR_BAD_PROT, -1, -1, prot);
    int r = env->check_frame(env->ctx, mfn);
    if (unlikely(r))
        return kmap_reject_at(w, r == -XEN_EACCES ? KMAP_ERR_PROTECTED : KMAP_ERR_NOT_OWNED, -1, -1, mfn);
    return 0;
}

/* kw_install's lost race, out of line: set_pte has cleared the PTE and
 * flushed its page (the old translation with it), so the slot is empty. */
__attribute__((noinline, cold)) int kw_install_lost(struct kmap_window *w, unsigned slot);

/* Make slot's PTE map (mfn, prot).  The only place that writes a present
 * PTE: it flushes exactly when an old translation may be cached.
 * Returns 0, or -XEN_EACCES when the frame was retyped on another vCPU
 * after kw_check_entry (env->set_pte lost the race): the slot is then
 * empty, and the caller fails the call rather than report a mapping
 * that is already gone. */
HOT int kw_install(struct kmap_window *w, const struct kmap_env *env, unsigned slot,
                   uint32_t mfn, uint32_t prot)
{
    struct kmap_pte_state *p = &w->pte[slot];
    if (p->present && p->mfn == mfn && p->prot == prot) {
        w->stats.lazy_hits++;
        return 0;
    }
    if (unlikely(env->set_pte(env->ctx, slot << w->stride_shift, mfn, prot)))
        return kw_install_lost(w, slot);
    w->stats.pte_writes++;
    if (p->present) {
        env->flush_va(env->ctx, kw_slot_va(w, slot));
        w->stats.flushes++;
    }
    *p = (struct kmap_pte_state){ mfn, prot, true };
    return 0;
}

/* Drop slot's translation: eager mode clears and flushes; lazy mode
 * leaves it for a later push of the same frame. */
HOT void kw_uninstall(struct kmap_window *w, const struct kmap_env *env, unsigned slot)
{
    struct kmap_pte_state *p = &w->pte[slot];
    if ((w->flags & KMAP_WIN_LAZY) || !p->present)
        return;
    env->clear_pte(env->ctx, slot << w->stride_shift);
    env->flush_va(env->ctx, kw_slot_va(w, slot));
    w->stats.pte_writes++;
    w->stats.flushes++;
    p->present = false;
}

HOT void kw_note_depth(struct kmap_window *w)
{
    if (w->depth > w->stats.max_depth)
        w->stats.max_depth = w->depth;
}

HOT long kmap_push_op(struct kmap_window *w, const struct kmap_env *env, uint32_t mfn, uint32_t prot)
{
    if (unlikely(w->depth >= w->nslots))
        return kmap_reject_at(w, KMAP_ERR_FULL, -1, (int)w->depth, mfn);
    long r = kw_check_entry(w, env, mfn, prot);
    if (r)
        return r;
    unsigned slot = w->depth;
    if (unlikely(kw_install(w, env, slot, mfn, prot)))
        return kmap_reject_at(w, KMAP_ERR_PROTECTED, -1, (int)slot, mfn);
    w->live[slot] = (struct kmap_entry){ mfn, prot };
    w->depth++;
    w->stats.pushes++;
    kw_note_depth(w);
    return (long)kw_slot_va(w, slot);
}

HOT long kmap_pop_op(struct kmap_window *w, const struct kmap_env *env, uint32_t va)
{
    long slot = kw_va_to_slot(w, va);
    if (unlikely(slot < 0))
        return slot;
    if (unlikely((unsigned)slot + 1 != w->depth)) { /* not the top: say why */
        if (w->depth == 0)
            return kmap_reject_at(w, KMAP_ERR_EMPTY, -1, (int)slot, va);
        if ((unsigned)slot >= w->depth)
            return kmap_reject_at(w, KMAP_ERR_NOT_LIVE, (int)w->depth - 1, (int)slot, va);
        return kmap_reject_at(w, KMAP_ERR_NOT_NESTED, (int)w->depth - 1, (int)slot, va);
    }
    kw_uninstall(w, env, (unsigned)slot);
    w->depth--;
    w->stats.pops++;
    return 0;
}

HOT long kmap_install_op(struct kmap_window *w, const struct kmap_env *env, uint32_t va, uint32_t mfn, uint32_t prot)
{
    if (!(w->flags & KMAP_WIN_CACHED))
        return kmap_reject_at(w, KMAP_ERR_BAD_CMD, -1, -1, va);
    long slot = kw_va_to_slot(w, va);
    if (slot < 0)
        return slot;
    long r = kw_check_entry(w, env, mfn, prot);
    if (r)
        return r;
    /* flushes if it replaces a present PTE */
    if (unlikely(kw_install(w, env, (unsigned)slot, mfn, prot)))
        return kmap_reject_at(w, KMAP_ERR_PROTECTED, -1, (int)slot, mfn);
    w->stats.pushes++;
    return 0;
}

#endif
