/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmapvisor's limits, defaults and fixed numbers: the one place each is
 * written.  The hypervisor, the guests, the guest library and the tools
 * all derive their checks from here (docs/abi.md).  Fixed-width types
 * only: included by 64-bit, 32-bit and host builds alike.
 */
#ifndef KMAPVISOR_LIMITS_H
#define KMAPVISOR_LIMITS_H

/* The kmap window of each vCPU. */
#define KMV_MAX_SLOTS        256          /* slots per vCPU window */
#define KMV_DEFAULT_SLOTS    16           /* Linux's KM_MAX_IDX */
#define KMV_WINDOW_BASE      0xffe00000u  /* the last 2 MiB: one page-table page */

/* Domains. */
#define KMV_MAX_VCPUS        16
#define KMV_MAX_PCPUS        8            /* CPUs of the machine kmapvisor uses */
#define KMV_GUEST_VIRT_BASE  0xc0000000u  /* where the builder maps lowmem */
#define KMV_MIN_MEM_MB       16u
#define KMV_MAX_MEM_MB       (16u << 10)  /* 16 GiB */
#define KMV_MIN_LOWMEM_MB    8u
#define KMV_MAX_LOWMEM_MB    856u         /* 3 GiB + 856 MiB = Xen's HYPERVISOR_VIRT_START (PAE) */
#define KMV_LOWMEM_ALIGN_MB  2u           /* lowmem comes in 2 MiB runs of host frames (the boot tables map it with 4 KiB pages) */
#define KMV_DEFAULT_MEM_MB   512u
#define KMV_DEFAULT_LOWMEM_MB 128u

/* QEMU's isa-debug-exit: the hypervisor (and the native guest) write one
 * of these codes to the port, and QEMU exits with (code << 1) | 1. */
#define KMV_DEBUG_EXIT_PORT  0xf4
#define KMV_EXIT_POWEROFF 0x10
#define KMV_EXIT_CRASH    0x11
#define KMV_EXIT_REBOOT   0x12
#define KMV_EXIT_PANIC    0x13
#define KMV_EXIT_BUILD    0x14 /* the domain could not be built (bad image or config) */

/* A hypercall result in [-4095, -1] is a negated Xen errno; anything else
 * (a window address is above 2 GiB, so negative as a 32-bit long) is a
 * value. */
#define KMV_IS_ERR(r) ((unsigned long)(long)(r) > (unsigned long)-4096L)

#endif
