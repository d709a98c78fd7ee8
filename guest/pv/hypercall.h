/* SPDX-License-Identifier: GPL-2.0-only */
/* Hypercalls of the mini guest: int $0x82 with Xen's 32-bit PV convention.
 * The fast paths trap directly; the hypercall page is used for iret. */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/event_channel.h>
#include <xen/version.h>
#include <kmapvisor/abi.h>

static inline long hypercall5(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3,
                              unsigned long a4, unsigned long a5)
{
    long r;
    __asm__ volatile("int $0x82"
                     : "=a"(r), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4), "+D"(a5)
                     : "0"(nr)
                     : "memory");
    return r;
}

#define hypercall0(nr) hypercall5(nr, 0, 0, 0, 0, 0)
#define hypercall1(nr, a) hypercall5(nr, (unsigned long)(a), 0, 0, 0, 0)
#define hypercall2(nr, a, b) hypercall5(nr, (unsigned long)(a), (unsigned long)(b), 0, 0, 0)
#define hypercall3(nr, a, b, c) hypercall5(nr, (unsigned long)(a), (unsigned long)(b), (unsigned long)(c), 0, 0)

static inline long HYPERVISOR_console_write(const char *s, unsigned len)
{
    return hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, len, s);
}
static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_sched_op, cmd, arg);
}
static inline long HYPERVISOR_vcpu_op(int cmd, unsigned vcpu, void *arg)
{
    return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}
static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_event_channel_op, cmd, arg);
}
static inline long HYPERVISOR_set_timer_op(uint64_t deadline)
{
    return hypercall2(__HYPERVISOR_set_timer_op, (uint32_t)deadline, (uint32_t)(deadline >> 32));
}
static inline long HYPERVISOR_set_trap_table(const void *table)
{
    return hypercall1(__HYPERVISOR_set_trap_table, table);
}
static inline long HYPERVISOR_set_callbacks(unsigned ecs, void *eeip, unsigned fcs, void *feip)
{
    return hypercall5(__HYPERVISOR_set_callbacks, ecs, (unsigned long)eeip, fcs, (unsigned long)feip, 0);
}
static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_xen_version, cmd, arg);
}
static inline long HYPERVISOR_update_va_mapping(uint32_t va, uint64_t pte, unsigned flags)
{
    return hypercall5(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte, (uint32_t)(pte >> 32), flags, 0);
}
static inline long HYPERVISOR_multicall(void *list, unsigned n)
{
    return hypercall2(__HYPERVISOR_multicall, list, n);
}
static inline long HYPERVISOR_kmap_op(unsigned cmd, unsigned long a1, unsigned long a2,
                                      unsigned long a3, unsigned long a4)
{
    return hypercall5(KMV_HYPERVISOR_kmap_op, cmd, a1, a2, a3, a4);
}
static inline _Noreturn void HYPERVISOR_shutdown(unsigned reason)
{
    struct sched_shutdown s = { .reason = reason };
    HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
    for (;;)
        ;
}

#endif
