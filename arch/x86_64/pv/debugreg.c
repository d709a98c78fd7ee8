/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * set_debugreg / get_debugreg: a vCPU's debug registers, as Xen keeps
 * them for a PV guest.  Breakpoint addresses must lie in the guest's own
 * space; DR7 may enable them (L0-3, G0-3, LE, GE) with any condition but
 * I/O (which needs CR4.DE, the hypervisor's), and never sets GD (which
 * would fault the hypervisor's own DR accesses).  The exit path loads them
 * with the vCPU (context.c); a #DB from the guest refreshes DR6 (exit.c).
 */
#include "pv.h"

#define DR7_ENABLES  0xffu         /* L0 G0 ... L3 G3 */
#define DR7_EXACT    (3u << 8)     /* LE, GE */
#define DR7_RESERVED_ONE (1u << 10)
#define DR7_GD       (1u << 13)
#define DR7_CONDS    0xffff0000u   /* R/W and LEN of each breakpoint */

/* Xen's rules for a debug register's value: 0 with *value as it is to be
 * stored, or the error. */
long pv_check_debugreg(uint32_t reg, uint32_t *value_io)
{
    uint32_t value = *value_io;
    switch (reg) {
    case 0: case 1: case 2: case 3:
        if (value > PV_M2P_VIRT_START - 4)
            return -XEN_EPERM; /* not the guest's address */
        break;
    case 6:
        value = (value & 0xe00fu) | 0xffff0ff0u; /* B0-3, BD, BS, BT; the rest as the CPU fixes it */
        break;
    case 7:
        if (value & ~(DR7_ENABLES | DR7_EXACT | DR7_RESERVED_ONE | DR7_CONDS) || (value & DR7_GD))
            return -XEN_EPERM;
        for (unsigned i = 0; i < 4; i++)
            if (((value >> (16 + 4 * i)) & 3) == 2)
                return -XEN_EPERM; /* an I/O breakpoint */
        value |= DR7_RESERVED_ONE;
        break;
    default:
        return -XEN_EINVAL;
    }
    *value_io = value;
    return 0;
}

long do_set_debugreg(struct vcpu *v, const uint32_t *a)
{
    uint32_t reg = a[0], value = a[1];
    long r = pv_check_debugreg(reg, &value);
    if (!r)
        v->arch->dr[reg] = value;
    return r;
}

long do_get_debugreg(struct vcpu *v, const uint32_t *a)
{
    uint32_t reg = a[0];
    if (reg > 7 || reg == 4 || reg == 5)
        return -XEN_EINVAL;
    return (long)v->arch->dr[reg];
}
