/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest segment descriptors (GDT and LDT entries of a 32-bit PV guest):
 * Xen's check_descriptor for a compat guest (desc_check.c), and the
 * limits of the tables (Xen's FIRST_RESERVED_GDT_ENTRY: the guest owns
 * GDT entries below 0x1c00, i.e. selectors below 0xe000, in up to 14
 * frames; the hypervisor's flat selectors 0xe019.. sit above).
 */
#ifndef PV_DESC_CHECK_H
#define PV_DESC_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#define PV_GDT_MAX_ENTS    0x1c00u   /* FIRST_RESERVED_GDT_ENTRY */
#define PV_GDT_MAX_FRAMES  14u
#define PV_LDT_MAX_ENTS    8192u
#define PV_LDT_MAX_FRAMES  16u
#define PV_DESCS_PER_FRAME 512u
/* HYPERVISOR_COMPAT_VIRT_START for a PAE guest (the M2P starts there). */
#define PV_COMPAT_VIRT_START 0xf5800000u

/* Descriptor bits, in the high word (Xen's _SEGMENT_*). */
#define SEGD_TYPE 0x00000f00u
#define SEGD_S    0x00001000u   /* code or data (else a system descriptor) */
#define SEGD_DPL  0x00006000u
#define SEGD_P    0x00008000u
#define SEGD_L    0x00200000u   /* 64-bit code */
#define SEGD_G    0x00800000u
#define SEGD_CALL_GATE 0x00000c00u

/*
 * Xen's check_descriptor() for a 32-bit PV domain.  true: *d is safe to
 * hand the CPU, possibly after a fix-up written back into *d (a DPL 0
 * becomes 1; a flat segment reaching past the compat hypervisor start
 * is widened to 4 GiB; a call gate's DPL moves into its selector's RPL
 * and the gate becomes DPL 0).  false: refused.
 */
bool pv_check_descriptor(uint64_t *d);

#endif
