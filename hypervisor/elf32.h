/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loader for the 32-bit ELF guest image, by Xen's rules: the XEN_ELFNOTE_*
 * notes (or the legacy __xen_guest string) say where the image lives in
 * the guest's virtual space (VIRT_BASE, PADDR_OFFSET), where it starts
 * (ENTRY), where the hypercall page goes, and what it needs (XEN_VERSION,
 * LOADER, PAE_MODE, FEATURES).  Every field of the image is untrusted:
 * elf32_parse checks the whole image before anything is copied, and says
 * in one line what is wrong.  Pure; unit-tested.
 */
#ifndef HV_ELF32_H
#define HV_ELF32_H

#include <kmvlib.h>
#include <asm/page.h>

#define ELF32_MAX_SEGMENTS 16
/* Xen's HYPERVISOR_VIRT_START for PAE guests: the guest's space ends here. */
#define ELF32_GUEST_VIRT_END 0xf5800000u

struct elf32_segment {
    uint32_t offset, vaddr, filesz, memsz, flags;   /* vaddr: where it lands (p_paddr + virt_offset) */
};

struct elf32_image {
    uint32_t entry;
    uint32_t virt_base;           /* lowmem (guest pfn 0) is mapped here */
    uint32_t paddr_offset;
    uint32_t lowest, highest;     /* [lowest, highest) covers all segments */
    uint32_t hypercall_page;      /* virtual address, or 0 */
    bool xen_notes, legacy_string;
    char guest_os[32], xen_version[16], loader[16], pae_mode[24], features[128];
    unsigned nr_segments;
    struct elf32_segment seg[ELF32_MAX_SEGMENTS];
};

/* Accepts only i386 executables whose segments, placed by the notes, lie
 * in [virt_base, virt_base + lowmem_bytes) below ELF32_GUEST_VIRT_END,
 * with VIRT_BASE 2 MiB aligned.  On failure returns false and writes the
 * reason. */
bool elf32_parse(const void *image, size_t len, uint32_t lowmem_bytes, struct elf32_image *out, char *why,
                 size_t why_len);

#endif
