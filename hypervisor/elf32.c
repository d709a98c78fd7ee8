/* SPDX-License-Identifier: GPL-2.0-only */
#include "elf32.h"
#include <xen/elfnote.h>

struct elf32_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf32_phdr {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

#define PT_LOAD 1
#define PT_NOTE 4
#define PF_X 1

static bool fail(char *why, size_t len, const char *msg, uint32_t a, uint32_t b)
{
    snprintf(why, len, msg, a, b);
    return false;
}

static void read_notes(const uint8_t *p, uint32_t size, struct elf32_image *out)
{
    uint32_t off = 0;
    while (off + 12 <= size) {
        uint32_t namesz, descsz, type;
        memcpy(&namesz, p + off, 4);
        memcpy(&descsz, p + off + 4, 4);
        memcpy(&type, p + off + 8, 4);
        uint32_t name_off = off + 12;
        uint32_t desc_off = name_off + ALIGN_UP(namesz, 4u);
        if (namesz > size || descsz > size || desc_off > size || desc_off + descsz > size ||
            desc_off < name_off)
            return; /* a torn note ends the list; the rest is ignored */
        if (namesz == 4 && !memcmp(p + name_off, "Xen", 4) &&
            type == XEN_ELFNOTE_HYPERCALL_PAGE && descsz >= 4)
            memcpy(&out->hypercall_page, p + desc_off, 4);
        off = desc_off + ALIGN_UP(descsz, 4u);
    }
}

bool elf32_parse(const void *image, size_t len, uint32_t virt_lo, uint32_t virt_hi,
                 struct elf32_image *out, char *why, size_t why_len)
{
    const uint8_t *img = image;
    struct elf32_ehdr eh;
    memset(out, 0, sizeof(*out));
    if (len < sizeof(eh))
        return fail(why, why_len, "image too small for an ELF header (%u bytes)", (uint32_t)len, 0);
    memcpy(&eh, img, sizeof(eh));
    if (memcmp(eh.ident, "\177ELF", 4))
        return fail(why, why_len, "not an ELF image (bad magic)", 0, 0);
    if (eh.ident[4] != 1)
        return fail(why, why_len, "not a 32-bit ELF image (class %u)", eh.ident[4], 0);
    if (eh.ident[5] != 1)
        return fail(why, why_len, "not a little-endian ELF image", 0, 0);
    if (eh.machine != 3)
        return fail(why, why_len, "not an i386 ELF image (machine %u)", eh.machine, 0);
    if (eh.type != 2)
        return fail(why, why_len, "not an executable ELF image (type %u)", eh.type, 0);
    if (eh.phentsize != sizeof(struct elf32_phdr))
        return fail(why, why_len, "bad program header size %u", eh.phentsize, 0);
    if (eh.phnum == 0)
        return fail(why, why_len, "no program headers", 0, 0);
    if (eh.phoff >= len || (uint64_t)eh.phoff + (uint64_t)eh.phnum * sizeof(struct elf32_phdr) > len)
        return fail(why, why_len, "program headers (offset %u, %u entries) outside the image",
                    eh.phoff, eh.phnum);

    out->lowest = UINT32_MAX;
    bool entry_ok = false;
    for (unsigned i = 0; i < eh.phnum; i++) {
        struct elf32_phdr ph;
        memcpy(&ph, img + eh.phoff + i * sizeof(ph), sizeof(ph));
        if (ph.type == PT_NOTE) {
            if ((uint64_t)ph.offset + ph.filesz <= len)
                read_notes(img + ph.offset, ph.filesz, out);
            continue;
        }
        if (ph.type != PT_LOAD || ph.memsz == 0)
            continue;
        if (ph.filesz > ph.memsz)
            return fail(why, why_len, "segment %u: file size larger than memory size", i, 0);
        if ((uint64_t)ph.offset + ph.filesz > len)
            return fail(why, why_len, "segment %u: data (offset %#x) beyond the end of the image", i, ph.offset);
        uint64_t end = (uint64_t)ph.vaddr + ph.memsz;
        if (ph.vaddr < virt_lo || end > virt_hi)
            return fail(why, why_len, "segment at %#x..%#x outside guest lowmem", ph.vaddr, (uint32_t)(end - 1));
        if (out->nr_segments == ELF32_MAX_SEGMENTS)
            return fail(why, why_len, "more than %u loadable segments", ELF32_MAX_SEGMENTS, 0);
        for (unsigned j = 0; j < out->nr_segments; j++) {
            const struct elf32_segment *s = &out->seg[j];
            if (ph.vaddr < s->vaddr + s->memsz && s->vaddr < end)
                return fail(why, why_len, "segments %u and %u overlap", j, i);
        }
        out->seg[out->nr_segments++] = (struct elf32_segment){
            ph.offset, ph.vaddr, ph.filesz, ph.memsz, ph.flags };
        out->lowest = MIN(out->lowest, ph.vaddr);
        out->highest = MAX(out->highest, (uint32_t)end);
        if (eh.entry >= ph.vaddr && eh.entry < end && (ph.flags & PF_X))
            entry_ok = true;
    }
    if (out->nr_segments == 0)
        return fail(why, why_len, "no loadable segments", 0, 0);
    if (!entry_ok)
        return fail(why, why_len, "entry point %#x is not in an executable segment", eh.entry, 0);
    if (out->hypercall_page && (out->hypercall_page & (PAGE_SIZE - 1)))
        return fail(why, why_len, "hypercall page %#x not page aligned", out->hypercall_page, 0);
    if (out->hypercall_page && (out->hypercall_page < out->lowest || out->hypercall_page >= out->highest))
        return fail(why, why_len, "hypercall page %#x outside the image", out->hypercall_page, 0);
    out->entry = eh.entry;
    return true;
}
