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

/* kmap_op's arguments as a hypercall array holds them (the full path's
 * and multicall's), and as the trap frame holds them (the fast path's:
 * each register read only where the command uses it). */
static inline uint32_t kmap_arg_array(const void *src, unsigned i) { return ((const uint32_t *)src)[i]; }
static inline uint32_t kmap_arg_frame(const void *src, unsigned i)
{
    const struct trap_frame *f = src;
    switch (i) {
    case 0: return (uint32_t)f->rbx;
    case 1: return (uint32_t)f->rcx;
    case 2: return (uint32_t)f->rdx;
    case 3: return (uint32_t)f->rsi;
    default: return (uint32_t)f->rdi;
    }
}

/* kmap_op(cmd = arg 0, args 1-4), the arguments read through arg (one of
 * the two above: a constant, so the compiler inlines it).  fast: only the
 * window commands (push, pop, install, install_list, switch), else
 * KMAP_OP_NOT_FAST. */
static inline __attribute__((always_inline)) long kmap_op_decode(struct vcpu *v, const struct kmap_env *env,
                                                                uint32_t (*arg)(const void *, unsigned),
                                                                const void *src, bool fast)
{
#define a(i) arg(src, i)
    struct kmap_window *w = &v->win;
    long r;
    /* The hot commands first, tested in turn: a switch here compiles to a
     * jump table, whose bounds check and indirect jump cost the push and
     * the pop more than two compares. */
    uint32_t cmd = a(0);
    if (cmd == KMAPOP_push)
        r = kmap_push_op(w, env, a(1), a(2));
    else if (cmd == KMAPOP_pop)
        r = kmap_pop_op(w, env, a(1));
    else if (cmd == KMAPOP_install)
        r = kmap_install_op(w, env, a(1), a(2), a(3));
    else switch (cmd) {
    /* Out of line either way: with the vCPU's stored env (the same table
     * as the fast path's, kmap_env.h), which needs no copy on the stack. */
    case KMAPOP_install_list:
        r = kmap_install_list(w, &v->kenv, a(1), a(2), a(3));
        break;
    case KMAPOP_switch:
        r = kmap_switch(w, &v->kenv, a(1), a(2), a(3), a(4));
        break;
    default:
        if (fast)
            return KMAP_OP_NOT_FAST;
        r = kmap_op_other(v, src); /* the full path's: an array */
        break;
    }
#undef a
    /* Every rejected window call, whatever its command, meets the policy;
     * the fast path never runs under the stop policy, where it is r. */
    if (fast)
        return r;
    return kmap_policy(v, r, "");
}

#endif
