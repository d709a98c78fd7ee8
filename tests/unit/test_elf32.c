/* SPDX-License-Identifier: GPL-2.0-only */
#include "unit.h"
#include <stdlib.h>
#include <string.h>
#include <xen/elfnote.h>
#include "hypervisor/elf32.h"

#define LO 0xc0000000u
#define LOWMEM 0x4000000u   /* 64 MiB */
#define HI (LO + LOWMEM)

/* A note: "Xen", a type, and a 4-byte value or a short string. */
struct note {
    uint32_t namesz, descsz, type;
    char name[4];
    uint32_t desc[12];
};

struct img {
    struct {
        uint8_t ident[16];
        uint16_t type, machine;
        uint32_t version, entry, phoff, shoff, flags;
        uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
    } eh;
    struct {
        uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
    } ph[3];                  /* text, notes, and an unused slot */
    struct note note[4];
    uint8_t text[64];
    /* for the legacy string: null section, __xen_guest, .shstrtab */
    struct {
        uint32_t name, type, flags, addr, offset, size, link, info, addralign, entsize;
    } sh[3];
    char shstrtab[32];
    char legacy[160];
};

static void set_note(struct img *m, unsigned i, uint32_t type, const void *desc, uint32_t size)
{
    (void)size; /* every note takes its whole slot, so the next one follows it */
    m->note[i] = (struct note){ 4, sizeof(m->note[i].desc), type, "Xen", { 0 } };
    memcpy(m->note[i].desc, desc, size);
}
static void note_u32(struct img *m, unsigned i, uint32_t type, uint32_t v) { set_note(m, i, type, &v, 4); }

static struct img good(void)
{
    struct img m;
    memset(&m, 0, sizeof(m));
    memcpy(m.eh.ident, "\177ELF\001\001\001", 7);
    m.eh.type = 2;
    m.eh.machine = 3;
    m.eh.entry = 0xc0100000;
    m.eh.phoff = offsetof(struct img, ph);
    m.eh.phentsize = sizeof(m.ph[0]);
    m.eh.phnum = 3;
    m.ph[0].type = 1;
    m.ph[0].offset = offsetof(struct img, text);
    m.ph[0].vaddr = m.ph[0].paddr = 0xc0100000;
    m.ph[0].filesz = sizeof(m.text);
    m.ph[0].memsz = 0x3000;
    m.ph[0].flags = 5;
    m.ph[1].type = 4;
    m.ph[1].offset = offsetof(struct img, note);
    m.ph[1].filesz = sizeof(m.note);
    note_u32(&m, 0, XEN_ELFNOTE_HYPERCALL_PAGE, 0xc0101000);
    note_u32(&m, 1, XEN_ELFNOTE_VIRT_BASE, LO);
    set_note(&m, 2, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8);
    set_note(&m, 3, XEN_ELFNOTE_PAE_MODE, "yes", 4);
    return m;
}

static bool parse_into(const struct img *m, size_t len, struct elf32_image *e, char *why)
{
    return elf32_parse(m, len, LOWMEM, e, why, 128);
}
static bool parse(const struct img *m, size_t len, char *why)
{
    struct elf32_image e;
    return parse_into(m, len, &e, why);
}

START_TEST(accepts_good_image)
{
    struct img m = good();
    struct elf32_image e;
    char why[128];
    ck_assert_msg(parse_into(&m, sizeof(m), &e, why), "%s", why);
    ck_assert_uint_eq(e.entry, 0xc0100000);
    ck_assert_uint_eq(e.nr_segments, 1);
    ck_assert_uint_eq(e.hypercall_page, 0xc0101000);
    ck_assert_uint_eq(e.lowest, 0xc0100000);
    ck_assert_uint_eq(e.highest, 0xc0103000);
    ck_assert_uint_eq(e.virt_base, LO);
    ck_assert_str_eq(e.xen_version, "xen-3.0");
}
END_TEST

#define REJECT(mutation, expect)                                  \
    do {                                                          \
        struct img m = good();                                    \
        char why[128] = "";                                       \
        mutation;                                                 \
        ck_assert(!parse(&m, sizeof(m), why));                    \
        ck_assert_msg(strstr(why, expect), "got '%s'", why);      \
    } while (0)

START_TEST(rejects_malformed_headers)
{
    REJECT(m.eh.ident[0] = 0, "bad magic");
    REJECT(m.eh.ident[4] = 2, "not a 32-bit");
    REJECT(m.eh.ident[5] = 2, "little-endian");
    REJECT(m.eh.machine = 62, "not an i386");
    REJECT(m.eh.type = 3, "not an executable");
    REJECT(m.eh.phentsize = 20, "program header size");
    REJECT(m.eh.phnum = 0, "no program headers");
    REJECT(m.eh.phoff = 0xfffffff0u, "outside the image");
    REJECT(m.eh.phnum = 60000, "outside the image");
}
END_TEST

START_TEST(rejects_bad_segments)
{
    REJECT(m.ph[0].filesz = 0x4000, "file size larger");
    REJECT(m.ph[0].offset = 0xffffff00u, "beyond the end");
    REJECT(m.ph[0].paddr = 0x1000, "outside guest lowmem");
    REJECT(m.ph[0].paddr = 0xffffe000u, "outside guest lowmem"); /* paddr + memsz wraps */
    REJECT(m.ph[0].memsz = 0xfffff000u, "outside guest lowmem");
    REJECT(m.eh.entry = 0xc0200000, "entry point");
    REJECT(m.eh.entry = 0xc0103000, "entry point");    /* the image's end */
    REJECT(m.eh.entry = 0xc00fffff, "entry point");    /* below it */
    REJECT(m.ph[2].type = 1; m.ph[2].paddr = 0xc0101000; m.ph[2].memsz = 0x1000, "overlap");
    REJECT(m.ph[0].type = 6, "no loadable");
    REJECT(note_u32(&m, 0, XEN_ELFNOTE_HYPERCALL_PAGE, 0xc0101004), "not page aligned");
    REJECT(note_u32(&m, 0, XEN_ELFNOTE_HYPERCALL_PAGE, 0xc0200000), "outside the image");
}
END_TEST

/* Xen ignores p_flags: the entry point need only lie within the image.
 * Linux's startup_xen is in .init.text, which the linker puts in a
 * read-write segment without PF_X. */
START_TEST(entry_without_pf_x)
{
    struct elf32_image e;
    char why[128];
    struct img m = good();
    m.ph[0].flags = 6; /* RW, not executable */
    ck_assert_msg(parse_into(&m, sizeof(m), &e, why), "%s", why);
    ck_assert_uint_eq(e.entry, 0xc0100000);
    /* As Linux: text (R+X) first, the entry in a later RW segment. */
    m = good();
    m.ph[0].memsz = 0x2000;
    m.ph[2] = m.ph[0];
    m.ph[2].vaddr = m.ph[2].paddr = 0xc0104000;
    m.ph[2].memsz = 0x1000;
    m.ph[2].flags = 6;
    m.eh.entry = 0xc0104010;
    ck_assert_msg(parse_into(&m, sizeof(m), &e, why), "%s", why);
    ck_assert_uint_eq(e.nr_segments, 2);
    ck_assert_uint_eq(e.entry, 0xc0104010);
    ck_assert_uint_eq(e.highest, 0xc0105000);
    /* In the gap between them (Xen maps the whole image range). */
    m.eh.entry = 0xc0102800;
    ck_assert_msg(parse_into(&m, sizeof(m), &e, why), "%s", why);
    /* Past the last segment: refused. */
    m.eh.entry = 0xc0105000;
    ck_assert(!parse_into(&m, sizeof(m), &e, why));
    ck_assert_msg(strstr(why, "entry point 0xc0105000 outside the image"), "got '%s'", why);
}
END_TEST

/* Xen's notes place and start the image, and say what it needs. */
START_TEST(notes_by_xen_rules)
{
    struct elf32_image e;
    char why[128];
    /* Linked at 0 (as GRUB is), no VIRT_BASE: lowmem from 0. */
    struct img m = good();
    m.ph[0].vaddr = m.ph[0].paddr = 0x100000, m.eh.entry = 0x100010;
    note_u32(&m, 0, XEN_ELFNOTE_HYPERCALL_PAGE, 0x101000);
    m.note[1].type = 99; /* no VIRT_BASE */
    ck_assert_msg(parse_into(&m, sizeof(m), &e, why), "%s", why);
    ck_assert_uint_eq(e.virt_base, 0);
    ck_assert_uint_eq(e.seg[0].vaddr, 0x100000);
    /* Linux's way: p_paddr physical, VIRT_BASE 3 GiB, PADDR_OFFSET 0. */
    m = good();
    m.ph[0].paddr = 0x100000;
    note_u32(&m, 2, XEN_ELFNOTE_PADDR_OFFSET, 0);
    ck_assert_msg(parse_into(&m, sizeof(m), &e, why), "%s", why);
    ck_assert_uint_eq(e.seg[0].vaddr, 0xc0100000);
    /* ENTRY overrides e_entry. */
    m = good();
    m.eh.entry = 0x12345678;
    note_u32(&m, 2, XEN_ELFNOTE_ENTRY, 0xc0100020);
    ck_assert_msg(parse_into(&m, sizeof(m), &e, why), "%s", why);
    ck_assert_uint_eq(e.entry, 0xc0100020);
    /* What kmapvisor cannot give is refused, with the reason. */
    REJECT(set_note(&m, 2, XEN_ELFNOTE_XEN_VERSION, "xen-2.0", 8), "XEN_VERSION=xen-2.0");
    REJECT(set_note(&m, 2, XEN_ELFNOTE_LOADER, "elf", 4), "LOADER=elf");
    REJECT(set_note(&m, 3, XEN_ELFNOTE_PAE_MODE, "no", 3), "PAE_MODE=no");
    REJECT(set_note(&m, 3, XEN_ELFNOTE_FEATURES, "!supervisor_mode_kernel", 24), "feature supervisor_mode_kernel");
    REJECT(note_u32(&m, 1, XEN_ELFNOTE_VIRT_BASE, 0xc0001000), "not 2 MiB aligned");
    REJECT(note_u32(&m, 1, XEN_ELFNOTE_VIRT_BASE, 0xf4000000), "hypervisor's space");
    /* Optional features and bimodal PAE are fine. */
    m = good();
    set_note(&m, 2, XEN_ELFNOTE_FEATURES, "writable_page_tables|!pae_pgdir_above_4gb", 42);
    set_note(&m, 3, XEN_ELFNOTE_PAE_MODE, "bimodal", 8);
    ck_assert_msg(parse_into(&m, sizeof(m), &e, why), "%s", why);
    /* Required writable page tables (Linux's): emulated (pv/ptwr.c). */
    set_note(&m, 2, XEN_ELFNOTE_FEATURES, "!writable_page_tables", 22);
    ck_assert_msg(parse_into(&m, sizeof(m), &e, why), "%s", why);
}
END_TEST

/* The legacy __xen_guest string, for images without notes. */
START_TEST(legacy_string)
{
    struct img m = good();
    struct elf32_image e;
    char why[128];
    m.ph[1].type = 0; /* no notes */
    m.ph[0].paddr = 0x100000;
    static const char s[] = "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xC0000000,ELF_PADDR_OFFSET=0x0,"
                            "HYPERCALL_PAGE=0x101,LOADER=generic,PAE=yes";
    memcpy(m.legacy, s, sizeof(s));
    memcpy(m.shstrtab, "\0__xen_guest\0.shstrtab", 23);
    m.eh.shoff = offsetof(struct img, sh);
    m.eh.shentsize = sizeof(m.sh[0]);
    m.eh.shnum = 3;
    m.eh.shstrndx = 2;
    m.sh[1].name = 1, m.sh[1].offset = offsetof(struct img, legacy), m.sh[1].size = sizeof(s);
    m.sh[2].name = 13, m.sh[2].offset = offsetof(struct img, shstrtab), m.sh[2].size = 23;
    ck_assert_msg(parse_into(&m, sizeof(m), &e, why), "%s", why);
    ck_assert(e.legacy_string && !e.xen_notes);
    ck_assert_uint_eq(e.virt_base, 0xc0000000);
    ck_assert_uint_eq(e.seg[0].vaddr, 0xc0100000);
    ck_assert_uint_eq(e.hypercall_page, 0xc0101000);
    ck_assert_str_eq(e.guest_os, "linux");
    memcpy(m.legacy + 3, "X", 1); /* GUESX_OS: the rest still read */
    memcpy(strstr(m.legacy, "PAE=yes"), "PAE=no,", 7);
    ck_assert(!parse(&m, sizeof(m), why));
    ck_assert_msg(strstr(why, "PAE_MODE=no"), "%s", why);
}
END_TEST

START_TEST(rejects_truncated)
{
    struct img m = good();
    char why[128];
    ck_assert(!parse(&m, 10, why));
    ck_assert(strstr(why, "too small"));
    ck_assert(!parse(&m, offsetof(struct img, text) + 10, why));
}
END_TEST

/* Random corruption must never crash the parser nor accept an image
 * whose segments break the rules. */
START_TEST(random_corruption_is_safe)
{
    unsigned seed = 12345;
    for (int i = 0; i < 20000; i++) {
        struct img m = good();
        uint8_t *b = (uint8_t *)&m;
        for (int k = 0; k < 1 + i % 4; k++) {
            seed = seed * 1103515245 + 12345;
            b[(seed >> 8) % offsetof(struct img, sh)] = (uint8_t)(seed >> 16);
        }
        struct elf32_image e;
        char why[128];
        if (parse_into(&m, sizeof(m), &e, why)) {
            ck_assert_uint_eq(e.virt_base % (2u << 20), 0);
            ck_assert_uint_le((uint64_t)e.virt_base + LOWMEM, ELF32_GUEST_VIRT_END);
            for (unsigned s = 0; s < e.nr_segments; s++) {
                ck_assert_uint_ge(e.seg[s].vaddr, e.virt_base);
                ck_assert_uint_le((uint64_t)e.seg[s].vaddr + e.seg[s].memsz, (uint64_t)e.virt_base + LOWMEM);
                ck_assert_uint_le((uint64_t)e.seg[s].offset + e.seg[s].filesz, sizeof(m));
            }
        }
    }
}
END_TEST

Suite *elf32_suite(void)
{
    Suite *s = suite_create("elf32");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, accepts_good_image);
    tcase_add_test(tc, rejects_malformed_headers);
    tcase_add_test(tc, rejects_bad_segments);
    tcase_add_test(tc, entry_without_pf_x);
    tcase_add_test(tc, notes_by_xen_rules);
    tcase_add_test(tc, legacy_string);
    tcase_add_test(tc, rejects_truncated);
    tcase_add_test(tc, random_corruption_is_safe);
    suite_add_tcase(s, tc);
    return s;
}
