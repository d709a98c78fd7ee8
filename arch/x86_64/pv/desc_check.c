/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen's check_descriptor (xen/arch/x86/pv/descriptor-tables.c, 4.17) for
 * a compat guest, written from its rules:
 * - not present: always faults when loaded, so it is accepted unchanged;
 * - DPL below the guest kernel's ring (0) becomes 1 (Xen's
 *   __fixup_guest_selector): a guest descriptor is never ring 0;
 * - code and data: no 64-bit code (L); otherwise any base and limit.  A
 *   compat guest's segments wrap at 4 GiB and the hypervisor lives above
 *   it, so no limit can reach it; what lies at 0xF5800000 and up (the
 *   read-only M2P, the window) is guarded by paging, as on Xen.  A flat
 *   segment (base 0) whose limit passes 0xF5800000 is widened to 4 GiB,
 *   as Xen does for old PAE guests whose segments stopped at 0xF6800000;
 * - system descriptors: type 0 (the second half of a call gate) is
 *   harmless; a call gate is kept only if its target is a guest code
 *   selector (a GDT index below the reserved area, an LDT selector, or
 *   the flat ring-1 code selector 0xe019), its reserved bits (5-7 of the
 *   high word) are clear, and then it is forced to DPL 0 with the DPL
 *   kept in the selector's RPL (compat mode has no 32-bit call gates:
 *   any use faults, as on Xen); every other system type (LDT, TSS,
 *   interrupt and trap gates, task gates) is refused.
 */
#include "desc_check.h"

#define FLAT_RING1_CS 0xe019u

static bool gate_selector_ok(uint32_t sel)
{
    return (sel >> 3) < PV_GDT_MAX_ENTS || sel == FLAT_RING1_CS || (sel & 4);
}

bool pv_check_descriptor(uint64_t *d)
{
    uint32_t a = (uint32_t)*d, b = (uint32_t)(*d >> 32);
    if (!(b & SEGD_P))
        return true;
    uint32_t dpl = (b & SEGD_DPL) >> 13;
    if (dpl == 0)
        dpl = 1;
    b = (b & ~SEGD_DPL) | dpl << 13;
    if (b & SEGD_S) {
        if (b & SEGD_L)
            return false;
        uint32_t base = (b & 0xff000000u) | (b & 0xffu) << 16 | a >> 16;
        uint64_t limit = (uint64_t)((b & 0xf0000u) | (a & 0xffffu)) + 1;
        if (b & SEGD_G)
            limit <<= 12;
        if (base == 0 && limit > PV_COMPAT_VIRT_START) {
            a |= 0xffffu;
            b |= 0xf0000u;
        }
    } else {
        if ((b & SEGD_TYPE) == 0)
            return true; /* as Xen: unchanged (it never loads) */
        if ((b & SEGD_TYPE) != SEGD_CALL_GATE)
            return false;
        uint32_t cs = a >> 16;
        if (!gate_selector_ok(cs))
            return false;
        b &= ~SEGD_DPL;
        a = (a & 0xffffu) | ((cs & ~3u) | dpl) << 16;
        if (b & 0xe0u)
            return false;
    }
    *d = a | (uint64_t)b << 32;
    return true;
}
