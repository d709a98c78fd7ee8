#include "unit.h"
#include "../../hypervisor/lib.h"

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
}
END_TEST

Suite *lib_suite(void)
{
    Suite *s = suite_create("lib");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, sizes_parse);
    tcase_add_test(tc, sizes_reject_garbage);
    tcase_add_test(tc, format);
    suite_add_tcase(s, tc);
    return s;
}
