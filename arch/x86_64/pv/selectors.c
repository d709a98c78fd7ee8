/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every selector a guest hands the hypervisor, checked once, here.
 *
 * A selector the guest supplies ends up in a segment register or in the
 * frame the exit path's iretq pops: one that the CPU refuses there faults
 * in the hypervisor.  So nothing is stored before it passes these checks.
 *
 * The rules are Xen's for 32-bit PV guests, narrowed to what kmapvisor
 * gives a guest: no GDT or LDT of its own in the CPU (set_gdt and SET_LDT
 * check and record the guest's tables, desc_tables.c, but never load
 * them), so the only selectors a guest can name are Xen's flat
 * ones, ring-1 code and data (FLAT_RING1_CS/DS) and ring-3 code and data
 * (FLAT_RING3_CS/DS).  GDT entries below 0x1c00 (selectors below 0xe000)
 * are the guest's but empty in the CPU until its GDT is loaded, and the
 * hypervisor's own (HYP_CS 0xe008, HYP_DS 0xe010, the TSS 0xe040, in the
 * reserved area: layout.h) are never the guest's: all of them refused.  As on Xen, a code or stack selector with RPL 0
 * means the guest kernel's ring, 1 (the guest believes it runs in ring 0),
 * and is normalised to it (iret excepted: bounce.c).  A data selector may
 * also be null, or the flat ring-3 code selector (readable code).
 */
#include "pv.h"

/* The selector as it will be loaded, or 0 when refused. */
static uint16_t normalise(uint32_t sel, uint16_t ring1, uint16_t ring3, bool allow_user)
{
    if (sel > 0xffff)
        return 0;
    if ((sel & 3) == 0)
        sel |= 1; /* "ring 0" is the guest kernel's ring 1 */
    if (sel == ring1 || (allow_user && sel == ring3))
        return (uint16_t)sel;
    return 0;
}

bool pv_code_selector(uint32_t *sel, bool allow_user)
{
    uint16_t s = normalise(*sel, GUEST_RING1_CS, GUEST_RING3_CS, allow_user);
    if (s)
        *sel = s;
    return s != 0;
}

bool pv_stack_selector(uint32_t *sel, bool allow_user)
{
    uint16_t s = normalise(*sel, GUEST_RING1_DS, GUEST_RING3_DS, allow_user);
    if (s)
        *sel = s;
    return s != 0;
}

/* ds, es, fs, gs: null, flat ring-1 data with RPL 0 or 1, or a flat
 * ring-3 segment (data, or readable code) with any RPL; normalised to the
 * descriptor's DPL. */
bool pv_data_selector(uint32_t *sel)
{
    if (*sel <= 3) {
        *sel = 0;
        return true;
    }
    if (*sel > 0xffff)
        return false;
    if ((*sel & ~3u) == (GUEST_RING1_DS & ~3u) && (*sel & 3) <= 1) {
        *sel = GUEST_RING1_DS;
        return true;
    }
    if ((*sel & ~3u) == (GUEST_RING3_DS & ~3u) || (*sel & ~3u) == (GUEST_RING3_CS & ~3u)) {
        *sel |= 3;
        return true;
    }
    return false;
}
