/* SPDX-License-Identifier: GPL-2.0-only */
#include "unit.h"
#include <stdlib.h>
#include <string.h>
#include <xen/elfnote.h>
#include "hypervisor/elf32.h"

#define LO 0xc0000000u
#define HI 0xc4000000u

struct img {
    struct {
        uint8_t ident[16];
        uint16_t type, machine;
        uint32_t version, entry, phoff, shoff, flags;
        uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
    } eh;
    struct {
        uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
    } ph[2];
    uint32_t note[6];
    uint8_t text[64];
};

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
    m.eh.phnum = 2;
    m.ph[0].type = 1;
    m.ph[0].offset = offsetof(struct img, text);
    m.ph[0].vaddr = 0xc0100000;
    m.ph[0].filesz = sizeof(m.text);
    m.ph[0].memsz = 0x3000;
    m.ph[0].flags = 5;
    m.ph[1].type = 4;
    m.ph[1].offset = offsetof(struct img, note);
    m.ph[1].filesz = sizeof(m.note);
    m.note[0] = 4;
    m.note[1] = 4;
    m.note[2] = XEN_ELFNOTE_HYPERCALL_PAGE;
    memcpy(&m.note[3], "Xen", 4);
    m.note[4] = 0xc0101000;
    return m;
}

static bool parse(const struct img *m, size_t len, char *why)
{
    struct elf32_image e;
    return elf32_parse(m, len, LO, HI, &e, why, 128);
}

START_TEST(accepts_good_image)
{
    struct img m = good();
    struct elf32_image e;
    char why[128];
    ck_assert_msg(elf32_parse(&m, sizeof(m), LO, HI, &e, why, sizeof(why)), "%s", why);
    ck_assert_uint_eq(e.entry, 0xc0100000);
    ck_assert_uint_eq(e.nr_segments, 1);
    ck_assert_uint_eq(e.hypercall_page, 0xc0101000);
    ck_assert_uint_eq(e.lowest, 0xc0100000);
    ck_assert_uint_eq(e.highest, 0xc0103000);
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
    REJECT(m.ph[0].vaddr = 0x1000, "outside guest lowmem");
    REJECT(m.ph[0].vaddr = 0xffffe000u, "outside guest lowmem"); /* vaddr + memsz wraps */
    REJECT(m.ph[0].memsz = 0xfffff000u, "outside guest lowmem");
    REJECT(m.eh.entry = 0xc0200000, "entry point");
    REJECT(m.ph[0].flags = 6, "entry point");          /* not executable */
    REJECT(m.ph[1].type = 1; m.ph[1].vaddr = 0xc0101000; m.ph[1].memsz = 0x1000, "overlap");
    REJECT(m.ph[0].type = 6, "no loadable");
    REJECT(m.note[4] = 0xc0101004, "not page aligned");
    REJECT(m.note[4] = 0xc0200000, "outside the image");
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
            b[(seed >> 8) % sizeof(m)] = (uint8_t)(seed >> 16);
        }
        struct elf32_image e;
        char why[128];
        if (elf32_parse(&m, sizeof(m), LO, HI, &e, why, sizeof(why)))
            for (unsigned s = 0; s < e.nr_segments; s++) {
                ck_assert_uint_ge(e.seg[s].vaddr, LO);
                ck_assert_uint_le((uint64_t)e.seg[s].vaddr + e.seg[s].memsz, HI);
                ck_assert_uint_le((uint64_t)e.seg[s].offset + e.seg[s].filesz, sizeof(m));
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
    tcase_add_test(tc, rejects_truncated);
    tcase_add_test(tc, random_corruption_is_safe);
    suite_add_tcase(s, tc);
    return s;
}
