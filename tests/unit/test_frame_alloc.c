/* SPDX-License-Identifier: GPL-2.0-only */
#include "unit.h"
#include "hypervisor/frame_alloc.h"

static uint64_t bm[64];
static struct frame_allocator fa;

static void setup(void)
{
    fa_init(&fa, bm, 64 * 64);
}

START_TEST(starts_all_used)
{
    setup();
    ck_assert_uint_eq(fa.nfree, 0);
    ck_assert_int_eq(fa_alloc(&fa, 1, 1), -1);
}
END_TEST

START_TEST(add_reserve_count)
{
    setup();
    fa_add_free(&fa, 10, 1000);
    ck_assert_uint_eq(fa.nfree, 1000);
    fa_add_free(&fa, 500, 20); /* already free: no double count */
    ck_assert_uint_eq(fa.nfree, 1000);
    fa_reserve(&fa, 0, 128);
    ck_assert_uint_eq(fa.nfree, 1000 - 118);
    ck_assert(!fa_is_free(&fa, 127));
    ck_assert(fa_is_free(&fa, 128));
    ck_assert(!fa_is_free(&fa, 1010));
}
END_TEST

START_TEST(alloc_contiguous_aligned)
{
    setup();
    fa_add_free(&fa, 3, 2000);
    int64_t a = fa_alloc(&fa, 512, 512);
    ck_assert_int_eq(a, 512);
    int64_t b = fa_alloc(&fa, 5, 1);
    ck_assert_int_eq(b, 3);
    int64_t c = fa_alloc(&fa, 512, 512);
    ck_assert_int_eq(c, 1024);
    ck_assert_int_eq(fa_alloc(&fa, 512, 512), -1); /* 1536..2047 crosses the end at 2003 */
    fa_free(&fa, 512, 512);
    ck_assert_int_eq(fa_alloc(&fa, 512, 512), 512);
    ck_assert_int_eq(fa_alloc(&fa, 0, 1), -1);
    ck_assert_int_eq(fa_alloc(&fa, 1, 3), -1); /* not a power of two */
}
END_TEST

START_TEST(alloc_skips_holes)
{
    setup();
    fa_add_free(&fa, 0, 4096);
    fa_reserve(&fa, 100, 1);
    int64_t a = fa_alloc(&fa, 200, 1);
    ck_assert_int_eq(a, 101);
    for (int64_t i = a; i < a + 200; i++)
        ck_assert(!fa_is_free(&fa, (uint64_t)i));
    ck_assert_uint_eq(fa.nfree, 4096 - 201);
}
END_TEST

/* fa_alloc_run takes whatever free run comes next, however fragmented
 * memory is, and never hands out a frame twice. */
START_TEST(runs_from_anywhere)
{
    static uint64_t bm[16];
    struct frame_allocator fa;
    fa_init(&fa, bm, 1000);
    fa_add_free(&fa, 10, 990);
    for (uint64_t i = 10; i < 1000; i += 7)
        fa_reserve(&fa, i, 2); /* holes every 7 frames */
    uint64_t got, total = 0, expect = fa.nfree;
    static bool seen[1000];
    int64_t at;
    while ((at = fa_alloc_run(&fa, 4, &got)) >= 0) {
        ck_assert_uint_ge(got, 1);
        ck_assert_uint_le(got, 4);
        for (uint64_t f = (uint64_t)at; f < (uint64_t)at + got; f++) {
            ck_assert(!seen[f]);
            seen[f] = true;
        }
        total += got;
    }
    ck_assert_uint_eq(total, expect);
    ck_assert_uint_eq(fa.nfree, 0);
    fa_free(&fa, 500, 3);
    ck_assert_int_eq(fa_alloc_run(&fa, 10, &got), 500); /* a freed run below the hint is found again */
    ck_assert_uint_eq(got, 3);
}
END_TEST

Suite *frame_alloc_suite(void)
{
    Suite *s = suite_create("frame_alloc");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, starts_all_used);
    tcase_add_test(tc, add_reserve_count);
    tcase_add_test(tc, alloc_contiguous_aligned);
    tcase_add_test(tc, alloc_skips_holes);
    tcase_add_test(tc, runs_from_anywhere);
    suite_add_tcase(s, tc);
    return s;
}
