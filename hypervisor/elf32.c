/* SPDX-License-Identifier: GPL-2.0-only */
/* The ELF loader's checks and Xen's notes: see elf32.h. */
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

struct elf32_shdr {
    uint32_t name, type, flags, addr, offset, size, link, info, addralign, entsize;
};

#define PT_LOAD 1
#define PT_NOTE 4
#define UNSET 0xffffffffu

static bool fail(char *why, size_t len, const char *msg, uint32_t a, uint32_t b)
{
    snprintf(why, len, msg, a, b);
    return false;
}

/* A note's or the legacy string's text, bounded and terminated. */
static void copy_text(char *dst, size_t size, const uint8_t *src, uint32_t len)
{
    size_t n = MIN((size_t)len, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static uint32_t note_value(const uint8_t *desc, uint32_t size)
{
    uint32_t v = 0;
    memcpy(&v, desc, MIN(size, 4u)); /* 4 bytes, or the low half of 8 (a 32-bit guest's address) */
    return v;
}

struct raw_notes {
    uint32_t virt_base, paddr_offset, entry, hypercall_page;
};

static void read_notes(const uint8_t *p, uint32_t size, struct elf32_image *out, struct raw_notes *n)
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
        const uint8_t *desc = p + desc_off;
        if (namesz == 4 && !memcmp(p + name_off, "Xen", 4)) {
            out->xen_notes = true;
            switch (type) {
            case XEN_ELFNOTE_ENTRY: n->entry = note_value(desc, descsz); break;
            case XEN_ELFNOTE_HYPERCALL_PAGE: n->hypercall_page = note_value(desc, descsz); break;
            case XEN_ELFNOTE_VIRT_BASE: n->virt_base = note_value(desc, descsz); break;
            case XEN_ELFNOTE_PADDR_OFFSET: n->paddr_offset = note_value(desc, descsz); break;
            case XEN_ELFNOTE_XEN_VERSION: copy_text(out->xen_version, sizeof(out->xen_version), desc, descsz); break;
            case XEN_ELFNOTE_GUEST_OS: copy_text(out->guest_os, sizeof(out->guest_os), desc, descsz); break;
            case XEN_ELFNOTE_LOADER: copy_text(out->loader, sizeof(out->loader), desc, descsz); break;
            case XEN_ELFNOTE_PAE_MODE: copy_text(out->pae_mode, sizeof(out->pae_mode), desc, descsz); break;
            case XEN_ELFNOTE_FEATURES: copy_text(out->features, sizeof(out->features), desc, descsz); break;
            default: break; /* BSD_SYMTAB, SUSPEND_CANCEL, ...: nothing to do for them here */
            }
        }
        off = desc_off + ALIGN_UP(descsz, 4u);
    }
}

/* The legacy "__xen_guest" section: "KEY=VALUE,KEY=VALUE,...". Used only
 * when the image has no Xen notes (as Xen does). */
static bool legacy_value(const char *s, const char *key, char *val, size_t len)
{
    size_t k = strlen(key);
    for (const char *p = s; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > k && !strncmp(p, key, k) && p[k] == '=') {
            size_t m = MIN(n - k - 1, len - 1);
            memcpy(val, p + k + 1, m);
            val[m] = '\0';
            return true;
        }
        p += n + (end ? 1 : 0);
    }
    return false;
}

static void read_legacy(const uint8_t *img, size_t len, const struct elf32_ehdr *eh, struct elf32_image *out,
                        struct raw_notes *n)
{
    if (!eh->shoff || eh->shentsize != sizeof(struct elf32_shdr) || eh->shstrndx >= eh->shnum ||
        eh->shoff >= len || (uint64_t)eh->shoff + (uint64_t)eh->shnum * sizeof(struct elf32_shdr) > len)
        return;
    struct elf32_shdr strtab;
    memcpy(&strtab, img + eh->shoff + eh->shstrndx * sizeof(strtab), sizeof(strtab));
    if ((uint64_t)strtab.offset + strtab.size > len)
        return;
    for (unsigned i = 0; i < eh->shnum; i++) {
        struct elf32_shdr sh;
        memcpy(&sh, img + eh->shoff + i * sizeof(sh), sizeof(sh));
        if (sh.name >= strtab.size || strtab.size - sh.name < 12 ||
            memcmp(img + strtab.offset + sh.name, "__xen_guest", 12) || (uint64_t)sh.offset + sh.size > len)
            continue;
        char s[512], v[32];
        copy_text(s, sizeof(s), img + sh.offset, sh.size);
        uint64_t x;
        out->legacy_string = true;
        if (legacy_value(s, "VIRT_BASE", v, sizeof(v)) && parse_uint(v, &x))
            n->virt_base = (uint32_t)x;
        if (legacy_value(s, "ELF_PADDR_OFFSET", v, sizeof(v)) && parse_uint(v, &x))
            n->paddr_offset = (uint32_t)x;
        if (legacy_value(s, "HYPERCALL_PAGE", v, sizeof(v)) && parse_uint(v, &x))
            n->hypercall_page = (uint32_t)x << PAGE_SHIFT; /* a page number; virt_base added below */
        legacy_value(s, "XEN_VER", out->xen_version, sizeof(out->xen_version));
        legacy_value(s, "GUEST_OS", out->guest_os, sizeof(out->guest_os));
        legacy_value(s, "LOADER", out->loader, sizeof(out->loader));
        legacy_value(s, "PAE", out->pae_mode, sizeof(out->pae_mode));
        legacy_value(s, "FEATURES", out->features, sizeof(out->features));
        return;
    }
}

/* Features a guest may require ("!name" in FEATURES): those kmapvisor has. */
static bool feature_supported(const char *f, size_t n)
{
    static const char *const have[] = { "pae_pgdir_above_4gb", "writable_page_tables" /* pv/ptwr.c */ };
    for (unsigned i = 0; i < ARRAY_SIZE(have); i++)
        if (strlen(have[i]) == n && !strncmp(have[i], f, n))
            return true;
    return false;
}

static bool check_requirements(const struct elf32_image *out, char *why, size_t len)
{
    if (out->xen_version[0] && strcmp(out->xen_version, "xen-3.0"))
        return snprintf(why, len, "XEN_VERSION=%s: kmapvisor speaks xen-3.0", out->xen_version), false;
    if (out->loader[0] && strcmp(out->loader, "generic"))
        return snprintf(why, len, "LOADER=%s: kmapvisor has the generic loader only", out->loader), false;
    if (out->pae_mode[0] && strcmp(out->pae_mode, "yes") && strcmp(out->pae_mode, "bimodal") &&
        strcmp(out->pae_mode, "yes[extended-cr3]"))
        return snprintf(why, len, "PAE_MODE=%s: kmapvisor runs PAE guests only", out->pae_mode), false;
    for (const char *p = out->features; *p;) {
        size_t n = 0;
        while (p[n] && p[n] != '|')
            n++;
        if (*p == '!' && !feature_supported(p + 1, n - 1))
            return snprintf(why, len, "the image requires feature %.*s, which kmapvisor lacks", (int)(n - 1),
                            p + 1), false;
        p += n + (p[n] ? 1 : 0);
    }
    return true;
}

bool elf32_parse(const void *image, size_t len, uint32_t lowmem_bytes, struct elf32_image *out, char *why,
                 size_t why_len)
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

    /* Xen's notes first; the legacy string only without them. */
    struct raw_notes n = { UNSET, UNSET, UNSET, UNSET };
    for (unsigned i = 0; i < eh.phnum; i++) {
        struct elf32_phdr ph;
        memcpy(&ph, img + eh.phoff + i * sizeof(ph), sizeof(ph));
        if (ph.type == PT_NOTE && (uint64_t)ph.offset + ph.filesz <= len)
            read_notes(img + ph.offset, ph.filesz, out, &n);
    }
    if (!out->xen_notes)
        read_legacy(img, len, &eh, out, &n);
    if (!check_requirements(out, why, why_len))
        return false;
    /* Xen's defaults: no VIRT_BASE is 0; no PADDR_OFFSET is VIRT_BASE (so
     * p_paddr is the virtual address); a legacy hypercall page is a page
     * number from VIRT_BASE. */
    out->virt_base = n.virt_base == UNSET ? 0 : n.virt_base;
    out->paddr_offset = n.paddr_offset == UNSET ? out->virt_base : n.paddr_offset;
    if (out->virt_base & ((2u << 20) - 1))
        return fail(why, why_len, "VIRT_BASE %#x is not 2 MiB aligned", out->virt_base, 0);
    if ((uint64_t)out->virt_base + lowmem_bytes > ELF32_GUEST_VIRT_END)
        return fail(why, why_len, "VIRT_BASE %#x + lowmem reaches the hypervisor's space at %#x", out->virt_base,
                    ELF32_GUEST_VIRT_END);
    uint32_t virt_offset = out->virt_base - out->paddr_offset;
    uint32_t lo = out->virt_base, hi = out->virt_base + lowmem_bytes;

    out->lowest = UINT32_MAX;
    out->entry = n.entry == UNSET ? eh.entry : n.entry;
    for (unsigned i = 0; i < eh.phnum; i++) {
        struct elf32_phdr ph;
        memcpy(&ph, img + eh.phoff + i * sizeof(ph), sizeof(ph));
        if (ph.type != PT_LOAD || ph.memsz == 0)
            continue;
        if (ph.filesz > ph.memsz)
            return fail(why, why_len, "segment %u: file size larger than memory size", i, 0);
        if ((uint64_t)ph.offset + ph.filesz > len)
            return fail(why, why_len, "segment %u: data (offset %#x) beyond the end of the image", i, ph.offset);
        uint32_t va = ph.paddr + virt_offset;
        uint64_t end = (uint64_t)va + ph.memsz;
        if (va < lo || end > hi)
            return fail(why, why_len, "segment at %#x..%#x outside guest lowmem", va, (uint32_t)(end - 1));
        if (out->nr_segments == ELF32_MAX_SEGMENTS)
            return fail(why, why_len, "more than %u loadable segments", ELF32_MAX_SEGMENTS, 0);
        for (unsigned j = 0; j < out->nr_segments; j++) {
            const struct elf32_segment *s = &out->seg[j];
            if (va < s->vaddr + s->memsz && s->vaddr < end)
                return fail(why, why_len, "segments %u and %u overlap", j, i);
        }
        out->seg[out->nr_segments++] = (struct elf32_segment){ ph.offset, va, ph.filesz, ph.memsz, ph.flags };
        out->lowest = MIN(out->lowest, va);
        out->highest = MAX(out->highest, (uint32_t)end);
    }
    if (out->nr_segments == 0)
        return fail(why, why_len, "no loadable segments", 0, 0);
    /* Xen's rule (libelf's elf_xen_addr_calc_check): the entry point lies
     * within the image, p_flags ignored: Linux's startup_xen is in
     * .init.text, in a segment without PF_X.  Xen also takes an entry
     * equal to the image's end; here it must be below it. */
    if (out->entry < out->lowest || out->entry >= out->highest)
        return fail(why, why_len, "entry point %#x outside the image", out->entry, 0);
    if (n.hypercall_page != UNSET)
        out->hypercall_page = n.hypercall_page + (out->legacy_string ? out->virt_base : 0);
    if (out->hypercall_page && (out->hypercall_page & (PAGE_SIZE - 1)))
        return fail(why, why_len, "hypercall page %#x not page aligned", out->hypercall_page, 0);
    if (out->hypercall_page && (out->hypercall_page < out->lowest || out->hypercall_page >= out->highest))
        return fail(why, why_len, "hypercall page %#x outside the image", out->hypercall_page, 0);
    return true;
}
