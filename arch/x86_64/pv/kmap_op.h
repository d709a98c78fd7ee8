/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one decoder of kmap_op (Xen has one per hypercall, in one table):
 * the full path's do_kmap_op (kmap_op.c) and the hypercall fast path
 * (pv_fast_hypercall, exit.c) both call kmap_op_decode.  It is always
 * inlined, so the fast path's copy sees that path's constant env and
 * inlines the window's hot calls; the full path's uses the vCPU's stored
 * env.  The kmap policy is applied here, once, for every command.
 */
#ifndef PV_KMAP_OP_H
#define PV_KMAP_OP_H

#include "pv.h"
#include "hypervisor/window_ops.h"

/* kmap_op_decode(..., fast) for a command that is not a window command:
 * nothing was done, and the caller takes the full path. */
#define KMAP_OP_NOT_FAST (-(1L << 62)) /* no result or errno looks like it */

/* query, stats, sstep, reset_stats and unknown commands (kmap_op.c). */
long kmap_op_other(struct vcpu *v, const uint32_t *a);

/* kmap_op(cmd = a[0], a[1..4]).  fast: only the window commands (push,
 * pop, install, install_list, switch), else KMAP_OP_NOT_FAST. */
static inline __attribute__((always_inline)) long kmap_op_decode(struct vcpu *v, const struct kmap_env *env,
                                                                const uint32_t *a, bool fast)
{
    struct kmap_window *w = &v->win;
    long r;
    switch (a[0]) {
    case KMAPOP_push:
        r = kmap_push_op(w, env, a[1], a[2]);
        break;
    case KMAPOP_pop:
        r = kmap_pop_op(w, env, a[1]);
        break;
    case KMAPOP_install:
        r = kmap_install_op(w, env, a[1], a[2], a[3]);
        break;
    /* Out of line either way: with the vCPU's stored env (the same table
     * as the fast path's, kmap_env.h), which needs no copy on the stack. */
    case KMAPOP_install_list:
        r = kmap_install_list(w, &v->kenv, a[1], a[2], a[3]);
        break;
    case KMAPOP_switch:
        r = kmap_switch(w, &v->kenv, a[1], a[2], a[3], a[4]);
        break;
    default:
        if (fast)
            return KMAP_OP_NOT_FAST;
        r = kmap_op_other(v, a);
        break;
    }
    /* Every rejected window call, whatever its command, meets the policy
     * (the fast path never runs under the stop policy: there it is r). */
    return unlikely(r < 0) ? kmap_policy(v, r, "") : r;
}

#endif
