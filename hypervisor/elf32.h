/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loader for the 32-bit ELF guest image.  Every field of the image is
 * untrusted: elf32_parse checks the whole image before anything is
 * copied, and says in one line what is wrong.  Pure; unit-tested.
 */
#ifndef HV_ELF32_H
#define HV_ELF32_H

#include <kmvlib.h>
#include <asm/page.h>

#define ELF32_MAX_SEGMENTS 16

struct elf32_segment {
    uint32_t offset, vaddr, filesz, memsz, flags;
};

struct elf32_image {
    uint32_t entry;
    uint32_t lowest, highest;     /* [lowest, highest) covers all segments */
    uint32_t hypercall_page;      /* from XEN_ELFNOTE_HYPERCALL_PAGE, or 0 */
    unsigned nr_segments;
    struct elf32_segment seg[ELF32_MAX_SEGMENTS];
};

/* Accepts only i386 executables whose loadable segments lie entirely in
 * [virt_lo, virt_hi).  On failure returns false and writes the reason. */
bool elf32_parse(const void *image, size_t len, uint32_t virt_lo, uint32_t virt_hi,
                 struct elf32_image *out, char *why, size_t why_len);

#endif
