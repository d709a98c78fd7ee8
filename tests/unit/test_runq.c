/* SPDX-License-Identifier: GPL-2.0-only */
#include "unit.h"
#include "hypervisor/sched.h"

START_TEST(fifo_order)
{
    struct runq q;
    struct runq_link l[4] = { 0 };
    runq_init(&q);
    for (int i = 0; i < 4; i++)
        runq_push(&q, &l[i]);
    runq_push(&q, &l[1]); /* already queued: no-op */
    ck_assert_uint_eq(q.len, 4);
    for (int i = 0; i < 4; i++)
        ck_assert_ptr_eq(runq_pop(&q), &l[i]);
    ck_assert_ptr_null(runq_pop(&q));
    ck_assert_uint_eq(q.len, 0);
}
END_TEST

START_TEST(remove_middle_and_tail)
{
    struct runq q;
    struct runq_link l[3] = { 0 };
    runq_init(&q);
    for (int i = 0; i < 3; i++)
        runq_push(&q, &l[i]);
    ck_assert(runq_remove(&q, &l[1]));
    ck_assert(!runq_remove(&q, &l[1]));
    ck_assert(runq_remove(&q, &l[2]));
    runq_push(&q, &l[1]); /* the tail must be right after removing it */
    ck_assert_ptr_eq(runq_pop(&q), &l[0]);
    ck_assert_ptr_eq(runq_pop(&q), &l[1]);
    ck_assert_ptr_null(runq_pop(&q));
}
END_TEST

Suite *runq_suite(void)
{
    Suite *s = suite_create("runq");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, fifo_order);
    tcase_add_test(tc, remove_middle_and_tail);
    suite_add_tcase(s, tc);
    return s;
}
