/* SPDX-License-Identifier: GPL-2.0-only */
#include "unit.h"
#include <kmvlib.h>

START_TEST(sizes_parse)
{
    uint64_t v;
    ck_assert(parse_size("512M", &v) && v == 512ull << 20);
    ck_assert(parse_size("1G", &v) && v == 1ull << 30);
    ck_assert(parse_size("16k", &v) && v == 16384);
    ck_assert(parse_size("4096", &v) && v == 4096);
    ck_assert(parse_size("0x1000", &v) && v == 4096);
}
END_TEST

START_TEST(sizes_reject_garbage)
{
    uint64_t v = 7;
    ck_assert(!parse_size("", &v));
    ck_assert(!parse_size("M", &v));
    ck_assert(!parse_size("12Q", &v));
    ck_assert(!parse_size("1.5G", &v));
    ck_assert(!parse_size("99999999999999999999G", &v));
    ck_assert(!parse_size("-1", &v));
    ck_assert_uint_eq(v, 7);
}
END_TEST

START_TEST(format)
{
    char b[64];
    kmv_snprintf(b, sizeof(b), "%d %u %x %#x %s %5s|%-4s|%03d", -12, 34u, 0xabu, 0x10u, "hi", "r", "l", 7);
    ck_assert_str_eq(b, "-12 34 ab 0x10 hi     r|l   |007");
    kmv_snprintf(b, sizeof(b), "%llu %lld", (unsigned long long)1 << 40, -(long long)5);
    ck_assert_str_eq(b, "1099511627776 -5");
    ck_assert_int_eq(kmv_snprintf(b, 4, "abcdef"), 6);
    ck_assert_str_eq(b, "abc");
    kmv_snprintf(b, sizeof(b), "%lu %zu %ld|%-5d|%5d|%X", 4000000000ul, (size_t)17, -3l, -42, -42, 0xbeefu);
    ck_assert_str_eq(b, "4000000000 17 -3|-42  |  -42|BEEF");
}
END_TEST

/* C's precision: a string's at most N bytes (the bytes after them never
 * read), an integer's at least N digits; '*' takes either from the
 * arguments. */
START_TEST(format_precision)
{
    char b[96];
    kmv_snprintf(b, sizeof(b), "[%.*s]", 3, "writable_page_tables");
    ck_assert_str_eq(b, "[wri]");
    kmv_snprintf(b, sizeof(b), "[%.2s|%.0s|%.9s|%5.2s|%-5.2s]", "abc", "abc", "abc", "abc", "abc");
    ck_assert_str_eq(b, "[ab||abc|   ab|ab   ]");
    /* Not NUL-terminated: the precision bounds the read. */
    static const char unterminated[4] = { 'w', 'x', 'y', 'z' };
    kmv_snprintf(b, sizeof(b), "%.*s!", 4, unterminated);
    ck_assert_str_eq(b, "wxyz!");
    /* A negative precision from '*' is no precision. */
    kmv_snprintf(b, sizeof(b), "%.*s", -1, "all");
    ck_assert_str_eq(b, "all");
    /* Width from '*', negative meaning left-justified. */
    kmv_snprintf(b, sizeof(b), "[%*s|%*s|%*d]", 4, "r", -4, "l", 3, 7);
    ck_assert_str_eq(b, "[   r|l   |  7]");
    /* Integers: minimum digits, the '0' flag ignored, 0 with precision 0 empty. */
    kmv_snprintf(b, sizeof(b), "%.3d|%.3d|%6.3x|%-6.3u|%.0d|%.0u|%#.4x", 7, -7, 0xau, 5u, 0, 0u, 0x1fu);
    ck_assert_str_eq(b, "007|-007|   00a|005   |||0x001f");
    char zero_flag[] = "%06.3d"; /* not a literal: gcc warns of the ignored flag */
    kmv_snprintf(b, sizeof(b), zero_flag, 12);
    ck_assert_str_eq(b, "   012");
    kmv_snprintf(b, sizeof(b), "%.*llu|%.10lld", 12, 1ull << 32, -5ll);
    ck_assert_str_eq(b, "004294967296|-0000000005");
    /* The domain builder's refusal (hypervisor/elf32.c; the host build of
     * elf32.c uses the C library's snprintf, the hypervisor this one): the
     * name is the part of FEATURES before the next '|'. */
    const char *features = "!writable_page_tables|pae_pgdir_above_4gb";
    kmv_snprintf(b, sizeof(b), "the image requires feature %.*s, which kmapvisor lacks", 20, features + 1);
    ck_assert_str_eq(b, "the image requires feature writable_page_tables, which kmapvisor lacks");
    /* Truncation still reports the full length. */
    ck_assert_int_eq(kmv_snprintf(b, 4, "%.5s", "abcdefgh"), 5);
    ck_assert_str_eq(b, "abc");
}
END_TEST

START_TEST(division)
{
    uint32_t rem;
    ck_assert_uint_eq(kmv_div_u64(1099511627781ull, 10, &rem), 109951162778ull);
    ck_assert_uint_eq(rem, 1);
    ck_assert_uint_eq(kmv_div_u64(UINT64_MAX, 0xffffffffu, &rem), 0x100000001ull);
    ck_assert_uint_eq(rem, 0);
    ck_assert_uint_eq(kmv_div_u64(7, 8, NULL), 0);
}
END_TEST

START_TEST(command_lines)
{
    char v[8];
    const char *cl = "mem=512M  kmap.slots=32 kmap=x vcpus=4 kmap.slotsx=9 long=abcdefghijkl";
    ck_assert_str_eq(cmdline_get(cl, "kmap.slots", v, sizeof(v)), "32");
    ck_assert_str_eq(cmdline_get(cl, "mem", v, sizeof(v)), "512M");
    ck_assert_str_eq(cmdline_get(cl, "vcpus", v, sizeof(v)), "4");
    ck_assert_ptr_null(cmdline_get(cl, "slots", v, sizeof(v)));   /* whole keys only */
    ck_assert_ptr_null(cmdline_get(cl, "kmap.slot", v, sizeof(v)));
    ck_assert_str_eq(cmdline_get(cl, "long", v, sizeof(v)), "abcdefg"); /* truncated to the buffer */
    uint64_t n;
    ck_assert(parse_uint("0x1F", &n) && n == 31);
    ck_assert(parse_uint("18446744073709551615", &n) && n == UINT64_MAX);
    ck_assert(!parse_uint("18446744073709551616", &n));
    ck_assert(!parse_uint("0x", &n) && !parse_uint("12a", &n));
}
END_TEST

Suite *lib_suite(void)
{
    Suite *s = suite_create("lib");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, sizes_parse);
    tcase_add_test(tc, sizes_reject_garbage);
    tcase_add_test(tc, format);
    tcase_add_test(tc, format_precision);
    tcase_add_test(tc, division);
    tcase_add_test(tc, command_lines);
    suite_add_tcase(s, tc);
    return s;
}
