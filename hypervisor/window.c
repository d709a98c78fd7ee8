/* SPDX-License-Identifier: GPL-2.0-only */
/* The kmap window core: see window.h. */
#include "window_ops.h"
#include <xen/errno.h>

static const int err_code[KMAP_ERR_KINDS] = {
    [KMAP_ERR_NOT_OWNED] = -XEN_EPERM,
    [KMAP_ERR_PROTECTED] = -XEN_EACCES,
    [KMAP_ERR_FULL] = -XEN_ENOSPC,
    [KMAP_ERR_EMPTY] = -XEN_ENOENT,
    [KMAP_ERR_OUT_OF_WINDOW] = -XEN_ERANGE,
    [KMAP_ERR_MISALIGNED] = -XEN_EINVAL,
    [KMAP_ERR_NOT_NESTED] = -XEN_EBUSY,
    [KMAP_ERR_NOT_LIVE] = -XEN_ENXIO,
    [KMAP_ERR_BAD_PROT] = -XEN_EOPNOTSUPP,
    [KMAP_ERR_BAD_BUFFER] = -XEN_EFAULT,
    [KMAP_ERR_BAD_ARG] = -XEN_E2BIG,
    [KMAP_ERR_BAD_CMD] = -XEN_ENOSYS,
    [KMAP_ERR_BAD_PTE] = -XEN_EINVAL,
    [KMAP_ERR_NOT_TEST_MODE] = -XEN_EPERM,
};

static const char *const err_name[KMAP_ERR_KINDS] = {
    [KMAP_ERR_NOT_OWNED] = "frame not owned by the domain",
    [KMAP_ERR_PROTECTED] = "frame is protected (page table)",
    [KMAP_ERR_FULL] = "stack full",
    [KMAP_ERR_EMPTY] = "pop on an empty stack",
    [KMAP_ERR_OUT_OF_WINDOW] = "address outside the window",
    [KMAP_ERR_MISALIGNED] = "address not page aligned",
    [KMAP_ERR_NOT_NESTED] = "non-nested pop",
    [KMAP_ERR_NOT_LIVE] = "pop of a slot that is not live",
    [KMAP_ERR_BAD_PROT] = "protection bits not allowed",
    [KMAP_ERR_BAD_BUFFER] = "bad guest buffer",
    [KMAP_ERR_BAD_ARG] = "bad switch arguments",
    [KMAP_ERR_BAD_CMD] = "unknown command",
    [KMAP_ERR_BAD_PTE] = "PTE bits not implemented",
    [KMAP_ERR_NOT_TEST_MODE] = "sstep outside the test mode",
};

const char *kmap_err_name(enum kmap_err_kind kind)
{
    return kind < KMAP_ERR_KINDS ? err_name[kind] : "?";
}

long kmap_reject_at(struct kmap_window *w, enum kmap_err_kind kind, int expected, int given, uint32_t arg)
{
    w->stats.errors[kind]++;
    w->last_error = (struct kmap_error){ kind, expected, given, w->depth, arg };
    return err_code[kind];
}

int kw_install_lost(struct kmap_window *w, unsigned slot)
{
    w->stats.pte_writes++;
    w->pte[slot].present = false;
    return -XEN_EACCES;
}

long kmap_reject(struct kmap_window *w, enum kmap_err_kind kind, uint32_t arg)
{
    return kmap_reject_at(w, kind, -1, -1, arg);
}

void kmap_window_init(struct kmap_window *w, uint32_t base, unsigned nslots,
                      uint32_t flags, uint32_t allowed_prot)
{
    memset(w, 0, sizeof(*w));
    w->base = base;
    w->nslots = MIN(nslots, (unsigned)KMV_MAX_SLOTS);
    w->flags = flags;
    w->stride_pages = (flags & KMAP_WIN_GUARD) ? 2 : 1;
    w->stride_shift = (flags & KMAP_WIN_GUARD) ? 1 : 0;
    w->span = w->nslots * w->stride_pages * (uint32_t)PAGE_SIZE;
    w->allowed_prot = allowed_prot & KMAP_PROT_ALL;
    w->stats.nr_err_kinds = KMAP_ERR_KINDS;
}

uint32_t kmap_slot_va(const struct kmap_window *w, unsigned slot)
{
    return kw_slot_va(w, slot);
}

bool kmap_va_in_window(const struct kmap_window *w, uint32_t va)
{
    return kw_va_in_window(w, va);
}

long kmap_push(struct kmap_window *w, const struct kmap_env *env, uint32_t mfn, uint32_t prot)
{
    return kmap_push_op(w, env, mfn, prot);
}

long kmap_pop(struct kmap_window *w, const struct kmap_env *env, uint32_t va)
{
    return kmap_pop_op(w, env, va);
}

long kmap_install(struct kmap_window *w, const struct kmap_env *env, uint32_t va, uint32_t mfn, uint32_t prot)
{
    return kmap_install_op(w, env, va, mfn, prot);
}

long kmap_switch(struct kmap_window *w, const struct kmap_env *env, uint32_t base,
                 uint32_t save_gva, uint32_t restore_gva, uint32_t nrestore)
{
    struct kmap_entry restore[KMV_MAX_SLOTS];
    if (base > w->depth || nrestore > w->nslots - base)
        return kmap_reject_at(w, KMAP_ERR_BAD_ARG, -1, -1, base > w->depth ? base : nrestore);
    unsigned nsave = w->depth - base;
    size_t esz = sizeof(struct kmap_entry);
    /* Buffers must be 4-byte aligned and must not lie in the window,
     * which this call is about to change under them. */
    if ((nsave && ((save_gva & 3) || kmap_va_in_window(w, save_gva) ||
                   kmap_va_in_window(w, save_gva + (uint32_t)(nsave * esz) - 1))) ||
        (nrestore && ((restore_gva & 3) || kmap_va_in_window(w, restore_gva) ||
                      kmap_va_in_window(w, restore_gva + (uint32_t)(nrestore * esz) - 1))))
        return kmap_reject_at(w, KMAP_ERR_BAD_BUFFER, -1, -1, nsave ? save_gva : restore_gva);
    /* Read the restore list once (another vCPU may be changing it) and
     * validate all of it before touching the stack: a failed switch
     * leaves everything as it was. */
    if (nrestore && env->copy_from_guest(env->ctx, restore, restore_gva, nrestore * esz))
        return kmap_reject_at(w, KMAP_ERR_BAD_BUFFER, -1, -1, restore_gva);
    for (unsigned i = 0; i < nrestore; i++) {
        long r = kw_check_entry(w, env, restore[i].mfn, restore[i].prot);
        if (r)
            return r;
    }
    if (nsave && env->copy_to_guest(env->ctx, save_gva, &w->live[base], nsave * esz))
        return kmap_reject_at(w, KMAP_ERR_BAD_BUFFER, -1, -1, save_gva);

    /* Replace slot by slot.  Nothing runs in the guest until we return,
     * so a slot whose old and new entries are equal is simply kept.
     * The one way to fail from here: a restored frame retyped on another
     * vCPU after its check (kw_install lost the race).  The stack then
     * ends below that entry (the outgoing entries are saved already, the
     * slots above are emptied like the rest) and the call fails. */
    unsigned top = MAX(w->depth, base + nrestore), end = base + nrestore;
    for (unsigned s = base; s < top; s++) {
        if (s < end && kw_install(w, env, s, restore[s - base].mfn, restore[s - base].prot) == 0)
            continue;
        if (s < end)
            end = s; /* lost: this slot is empty, the rest are emptied */
        else
            kw_uninstall(w, env, s);
    }
    memcpy(&w->live[base], restore, (end - base) * esz);
    w->stats.pops += nsave;
    w->stats.pushes += end - base;
    w->depth = end;
    w->stats.switches++;
    kw_note_depth(w);
    if (unlikely(end != base + nrestore))
        return kmap_reject_at(w, KMAP_ERR_PROTECTED, -1, (int)end, restore[end - base].mfn);
    return (long)nsave;
}

long kmap_query(struct kmap_window *w, const struct kmap_env *env, uint32_t info_gva, unsigned vcpu_id)
{
    struct kmap_window_info info = {
        .base = w->base,
        .nslots = w->nslots,
        .stride = w->stride_pages * (uint32_t)PAGE_SIZE,
        .depth = w->depth,
        .flags = w->flags,
        .vcpu = vcpu_id,
    };
    if ((info_gva & 3) || kmap_va_in_window(w, info_gva) ||
        env->copy_to_guest(env->ctx, info_gva, &info, sizeof(info)))
        return kmap_reject_at(w, KMAP_ERR_BAD_BUFFER, -1, -1, info_gva);
    return 0;
}

long kmap_get_stats(struct kmap_window *w, const struct kmap_env *env, uint32_t stats_gva)
{
    if ((stats_gva & 3) || kmap_va_in_window(w, stats_gva) ||
        env->copy_to_guest(env->ctx, stats_gva, &w->stats, sizeof(w->stats)))
        return kmap_reject_at(w, KMAP_ERR_BAD_BUFFER, -1, -1, stats_gva);
    return 0;
}

long kmap_install_list(struct kmap_window *w, const struct kmap_env *env, uint32_t va, uint32_t list_gva,
                       uint32_t n)
{
    struct kmap_entry list[KMV_MAX_SLOTS];
    if (!(w->flags & KMAP_WIN_CACHED))
        return kmap_reject_at(w, KMAP_ERR_BAD_CMD, -1, -1, va);
    long first = kw_va_to_slot(w, va);
    if (first < 0)
        return first;
    if (n > w->nslots - (uint32_t)first)
        return kmap_reject_at(w, KMAP_ERR_BAD_ARG, -1, (int)first, n);
    if (n && ((list_gva & 3) || kmap_va_in_window(w, list_gva) ||
              env->copy_from_guest(env->ctx, list, list_gva, n * sizeof(list[0]))))
        return kmap_reject_at(w, KMAP_ERR_BAD_BUFFER, -1, -1, list_gva);
    for (uint32_t i = 0; i < n; i++) {
        long r = kw_check_entry(w, env, list[i].mfn, list[i].prot);
        if (r)
            return r;
    }
    /* A frame retyped on another vCPU after its check fails the call at
     * that entry; the entries before it stay installed (a cached window
     * keeps no stack to unwind). */
    for (uint32_t i = 0; i < n; i++) {
        if (unlikely(kw_install(w, env, (unsigned)first + i, list[i].mfn, list[i].prot))) {
            w->stats.pushes += i;
            return kmap_reject_at(w, KMAP_ERR_PROTECTED, -1, (int)(first + i), list[i].mfn);
        }
    }
    w->stats.pushes += n;
    w->stats.switches++;
    return 0;
}

long kmap_update_va_mapping(struct kmap_window *w, const struct kmap_env *env, uint32_t va, bool present,
                            uint32_t mfn, uint32_t prot)
{
    long slot = kw_va_to_slot(w, va);
    if (slot < 0)
        return slot;
    if (!present) {
        if (w->depth == 0)
            return kmap_reject_at(w, KMAP_ERR_EMPTY, -1, (int)slot, va);
        if ((unsigned)slot != w->depth - 1)
            return kmap_reject_at(w, KMAP_ERR_NOT_NESTED, (int)w->depth - 1, (int)slot, va);
        return kmap_pop(w, env, va);
    }
    if ((unsigned)slot != w->depth)
        return kmap_reject_at(w, w->depth >= w->nslots ? KMAP_ERR_FULL : KMAP_ERR_NOT_NESTED,
                      (int)w->depth, (int)slot, va);
    long r = kmap_push(w, env, mfn, prot);
    return r < 0 ? r : 0;
}

void kmap_describe_error(const struct kmap_window *w, char *buf, size_t len)
{
    const struct kmap_error *e = &w->last_error;
    if (e->kind == KMAP_ERR_NOT_NESTED || e->kind == KMAP_ERR_NOT_LIVE)
        snprintf(buf, len, "%s: expected slot %d (va %#x), got slot %d (va %#x), depth %u",
                     kmap_err_name(e->kind), e->expected_slot,
                     e->expected_slot >= 0 ? kmap_slot_va(w, (unsigned)e->expected_slot) : 0,
                     e->given_slot, e->arg, e->depth);
    else
        snprintf(buf, len, "%s: argument %#x, depth %u", kmap_err_name(e->kind), e->arg, e->depth);
}
