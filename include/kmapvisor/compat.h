/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 32-bit (compat) layouts of Xen structures that Xen's public headers
 * declare with xen_ulong_t or uint64_t members: compiled for x86-64 (the
 * hypervisor), those headers give the 64-bit layout, while a 32-bit
 * guest lays them out with 32-bit fields and 4-byte packing.  Structures
 * whose members are all 32-bit (event channels, sched_shutdown) need no
 * compat form; xen/foreign/x86_32.h has start_info, shared_info,
 * trap_info and vcpu_guest_context.
 */
#ifndef KMAPVISOR_COMPAT_H
#define KMAPVISOR_COMPAT_H

#include <stdint.h>

/* struct multicall_entry */
struct kmv_multicall_entry32 {
    uint32_t op;
    uint32_t result;
    uint32_t args[6];
};

/* struct callback_register (xen_callback_t is {cs, eip} on x86_32) */
struct kmv_callback_register32 {
    uint16_t type;
    uint16_t flags;
    uint32_t cs;
    uint32_t eip;
};

/* struct vcpu_set_singleshot_timer: uint64_t timeout_abs_ns, uint32_t
 * flags, packed to 4 bytes (12, not 16, bytes long) */
struct kmv_singleshot_timer32 {
    uint32_t timeout_lo, timeout_hi;
    uint32_t flags;
};

/* struct xen_memory_map (buffer: a guest handle) */
struct kmv_memory_map32 {
    uint32_t nr_entries;
    uint32_t buffer;
};

/* struct xen_machphys_mfn_list (extent_start: a guest handle) */
struct kmv_machphys_mfn_list32 {
    uint32_t max_extents;
    uint32_t extent_start;
    uint32_t nr_extents;
};

/* struct mmuext_op: cmd, arg1 (mfn or linear_addr), arg2 (nr_ents,
 * vcpumask handle or src_mfn), all 32 bits for a 32-bit guest. */
struct kmv_mmuext_op32 {
    uint32_t cmd;
    uint32_t arg1;
    uint32_t arg2;
};

/* struct vcpu_runstate_info (Xen's compat_vcpu_runstate_info): 64-bit
 * members at 4-byte alignment, 44 bytes. */
struct kmv_runstate_info32 {
    int32_t state;
    uint64_t state_entry_time;
    uint64_t time[4];
} __attribute__((packed, aligned(4)));
_Static_assert(sizeof(struct kmv_runstate_info32) == 44, "compat vcpu_runstate_info is 44 bytes");

/* One entry of the E820 map XENMEM_memory_map returns (packed: 20 bytes). */
struct kmv_e820_entry {
    uint64_t addr, size;
    uint32_t type;
} __attribute__((packed));

/* struct xen_machphys_mapping (xen_ulong_t is 32 bits for a 32-bit guest) */
struct kmv_machphys_mapping32 {
    uint32_t v_start, v_end;
    uint32_t max_mfn;
};

/* struct physdev_set_iobitmap (bitmap: a guest handle) */
struct kmv_physdev_set_iobitmap32 {
    uint32_t bitmap;
    uint32_t nr_ports;
};

/* struct gnttab_setup_table (frame_list: a guest handle of 32-bit
 * xen_pfn_t on x86_32) */
struct kmv_gnttab_setup_table32 {
    uint16_t dom;
    uint16_t pad;
    uint32_t nr_frames;
    int16_t status;
    uint16_t pad2;
    uint32_t frame_list;
};

#endif
