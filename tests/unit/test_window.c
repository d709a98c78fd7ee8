/* SPDX-License-Identifier: GPL-2.0-only */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xen/errno.h>
#include "fake_window_env.h"

#define BASE 0xffe00000u
#define W KMAP_PROT_WRITE

static struct fake_env fe;
static struct kmap_env env;
static struct kmap_window w;

static void setup_window(unsigned slots, uint32_t flags)
{
    fake_env_init(&fe, &env);
    kmap_window_init(&w, BASE, slots, flags, KMAP_PROT_WRITE);
}

START_TEST(push_pop_nested)
{
    setup_window(16, 0);
    ck_assert_int_eq(kmap_push(&w, &env, 1001, W), BASE);
    ck_assert_int_eq(kmap_push(&w, &env, 1002, 0), BASE + 0x1000);
    ck_assert_uint_eq(w.depth, 2);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE), 1001);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE + 0x1000), 1002);
    ck_assert_int_eq(kmap_pop(&w, &env, BASE + 0x1000), 0);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE + 0x1000), 0); /* gone from the TLB too */
    ck_assert_int_eq(kmap_pop(&w, &env, BASE), 0);
    ck_assert_uint_eq(w.depth, 0);
    ck_assert_uint_eq(w.stats.pushes, 2);
    ck_assert_uint_eq(w.stats.pops, 2);
    ck_assert_uint_eq(w.stats.max_depth, 2);
}
END_TEST

START_TEST(eager_push_needs_no_flush)
{
    setup_window(16, 0);
    kmap_push(&w, &env, 1001, W);
    ck_assert_uint_eq(fe.flushes, 0);
    kmap_pop(&w, &env, BASE);
    ck_assert_uint_eq(fe.flushes, 1);
    kmap_push(&w, &env, 1005, W);
    ck_assert_uint_eq(fe.flushes, 1); /* the PTE was not present: nothing cached */
    ck_assert_uint_eq(fake_access(&fe, &w, BASE), 1005);
}
END_TEST

/* Every rejected call: its own error, its own counter, state unchanged. */
#define EXPECT_REJECT(call, err, k)                                             \
    do {                                                                        \
        unsigned d0 = w.depth;                                                  \
        uint64_t before = w.stats.errors[k];                                    \
        ck_assert_int_eq((call), (err));                                        \
        ck_assert_uint_eq(w.stats.errors[k], before + 1);                       \
        ck_assert_uint_eq(w.last_error.kind, k);                                \
        ck_assert_uint_eq(w.depth, d0);                                         \
    } while (0)

START_TEST(validation_errors)
{
    setup_window(4, 0);
    EXPECT_REJECT(kmap_push(&w, &env, 5, W), -XEN_EPERM, KMAP_ERR_NOT_OWNED);
    EXPECT_REJECT(kmap_push(&w, &env, 2000, W), -XEN_EPERM, KMAP_ERR_NOT_OWNED);
    EXPECT_REJECT(kmap_push(&w, &env, 1995, W), -XEN_EACCES, KMAP_ERR_PROTECTED);
    EXPECT_REJECT(kmap_push(&w, &env, 1001, KMAP_PROT_USER), -XEN_EOPNOTSUPP, KMAP_ERR_BAD_PROT);
    EXPECT_REJECT(kmap_push(&w, &env, 1001, KMAP_PROT_EXEC | W), -XEN_EOPNOTSUPP, KMAP_ERR_BAD_PROT);
    EXPECT_REJECT(kmap_push(&w, &env, 1001, 0x80), -XEN_EOPNOTSUPP, KMAP_ERR_BAD_PROT);
    EXPECT_REJECT(kmap_pop(&w, &env, BASE), -XEN_ENOENT, KMAP_ERR_EMPTY);
    for (unsigned i = 0; i < 4; i++)
        ck_assert_int_eq(kmap_push(&w, &env, 1001 + i, W), BASE + i * 0x1000);
    EXPECT_REJECT(kmap_push(&w, &env, 1009, W), -XEN_ENOSPC, KMAP_ERR_FULL);
    EXPECT_REJECT(kmap_pop(&w, &env, BASE + 0x1004), -XEN_EINVAL, KMAP_ERR_MISALIGNED);
    EXPECT_REJECT(kmap_pop(&w, &env, BASE + 4 * 0x1000), -XEN_ERANGE, KMAP_ERR_OUT_OF_WINDOW);
    EXPECT_REJECT(kmap_pop(&w, &env, BASE - 0x1000), -XEN_ERANGE, KMAP_ERR_OUT_OF_WINDOW);
    EXPECT_REJECT(kmap_pop(&w, &env, 0xc0000000u), -XEN_ERANGE, KMAP_ERR_OUT_OF_WINDOW);
    EXPECT_REJECT(kmap_pop(&w, &env, BASE + 0x1000), -XEN_EBUSY, KMAP_ERR_NOT_NESTED);
    ck_assert_int_eq(w.last_error.expected_slot, 3);
    ck_assert_int_eq(w.last_error.given_slot, 1);
    char msg[160];
    kmap_describe_error(&w, msg, sizeof(msg));
    ck_assert_msg(strstr(msg, "expected slot 3") && strstr(msg, "got slot 1") && strstr(msg, "depth 4"), "%s", msg);
    kmap_pop(&w, &env, BASE + 0x3000);
    kmap_pop(&w, &env, BASE + 0x2000);
    EXPECT_REJECT(kmap_pop(&w, &env, BASE + 0x3000), -XEN_ENXIO, KMAP_ERR_NOT_LIVE);
    /* The survivors still map what they mapped. */
    ck_assert_uint_eq(fake_access(&fe, &w, BASE), 1001);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE + 0x1000), 1002);
}
END_TEST

START_TEST(guard_pages)
{
    setup_window(8, KMAP_WIN_GUARD);
    ck_assert_int_eq(kmap_push(&w, &env, 1001, W), BASE);
    ck_assert_int_eq(kmap_push(&w, &env, 1002, W), BASE + 0x2000);
    ck_assert_uint_eq(fe.pte[1], 0); /* the guard stays unmapped */
    EXPECT_REJECT(kmap_pop(&w, &env, BASE + 0x1000), -XEN_ERANGE, KMAP_ERR_OUT_OF_WINDOW);
    ck_assert_int_eq(kmap_pop(&w, &env, BASE + 0x2000), 0);
    ck_assert(kmap_va_in_window(&w, BASE + 15 * 0x1000));
    ck_assert(!kmap_va_in_window(&w, BASE + 16 * 0x1000));
}
END_TEST

START_TEST(lazy_reuse_and_replace)
{
    setup_window(16, KMAP_WIN_LAZY);
    kmap_push(&w, &env, 1001, W);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE), 1001);
    unsigned writes = fe.pte_writes, flushes = fe.flushes;
    kmap_pop(&w, &env, BASE);
    ck_assert_uint_eq(fe.pte_writes, writes); /* pop leaves the PTE */
    ck_assert_uint_eq(fe.flushes, flushes);
    kmap_push(&w, &env, 1001, W);             /* same frame, same slot: free */
    ck_assert_uint_eq(fe.pte_writes, writes);
    ck_assert_uint_eq(w.stats.lazy_hits, 1);
    kmap_pop(&w, &env, BASE);
    kmap_push(&w, &env, 1002, W);             /* another frame: replace and flush */
    ck_assert_uint_eq(fe.pte_writes, writes + 1);
    ck_assert_uint_eq(fe.flushes, flushes + 1);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE), 1002);
    kmap_pop(&w, &env, BASE);
    kmap_push(&w, &env, 1002, 0);             /* same frame, other protection: replace */
    ck_assert_uint_eq(fe.pte_writes, writes + 2);
    ck_assert_uint_eq(w.stats.lazy_hits, 1);
}
END_TEST

static struct kmap_entry *guest_entries(uint32_t gva)
{
    return (struct kmap_entry *)(fe.guest + (gva - FAKE_GUEST_BASE));
}

START_TEST(switch_saves_and_restores)
{
    setup_window(16, 0);
    for (unsigned i = 0; i < 5; i++)
        kmap_push(&w, &env, 1100 + i, W);
    uint32_t save = FAKE_GUEST_BASE, restore = FAKE_GUEST_BASE + 0x1000;
    struct kmap_entry *r = guest_entries(restore);
    r[0] = (struct kmap_entry){ 1200, W };
    r[1] = (struct kmap_entry){ 1103, W }; /* same as the old slot 3: kept */
    unsigned traps_before = fe.pte_writes;
    ck_assert_int_eq(kmap_switch(&w, &env, 2, save, restore, 2), 3);
    struct kmap_entry *s = guest_entries(save);
    ck_assert_uint_eq(s[0].mfn, 1102);
    ck_assert_uint_eq(s[1].mfn, 1103);
    ck_assert_uint_eq(s[2].mfn, 1104);
    ck_assert_uint_eq(w.depth, 4);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE + 0x2000), 1200);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE + 0x3000), 1103);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE + 0x4000), 0);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE), 1100);
    ck_assert_uint_eq(fe.pte_writes - traps_before, 2); /* slot 2 replaced, slot 4 cleared */
    ck_assert_uint_eq(w.stats.switches, 1);
}
END_TEST

START_TEST(switch_is_all_or_nothing)
{
    setup_window(8, 0);
    kmap_push(&w, &env, 1100, W);
    kmap_push(&w, &env, 1101, W);
    uint32_t save = FAKE_GUEST_BASE, restore = FAKE_GUEST_BASE + 0x100;
    struct kmap_entry *r = guest_entries(restore);
    r[0] = (struct kmap_entry){ 1200, W };
    r[1] = (struct kmap_entry){ 5, W }; /* not owned */
    unsigned writes = fe.pte_writes;
    EXPECT_REJECT(kmap_switch(&w, &env, 0, save, restore, 2), -XEN_EPERM, KMAP_ERR_NOT_OWNED);
    ck_assert_uint_eq(fe.pte_writes, writes);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE), 1100);
    EXPECT_REJECT(kmap_switch(&w, &env, 3, save, restore, 0), -XEN_E2BIG, KMAP_ERR_BAD_ARG);
    EXPECT_REJECT(kmap_switch(&w, &env, 0, save, restore, 9), -XEN_E2BIG, KMAP_ERR_BAD_ARG);
    EXPECT_REJECT(kmap_switch(&w, &env, 0, 0x100, restore, 1), -XEN_EFAULT, KMAP_ERR_BAD_BUFFER);
    EXPECT_REJECT(kmap_switch(&w, &env, 0, save + 2, restore, 1), -XEN_EFAULT, KMAP_ERR_BAD_BUFFER);
    EXPECT_REJECT(kmap_switch(&w, &env, 0, BASE, restore, 1), -XEN_EFAULT, KMAP_ERR_BAD_BUFFER);
    EXPECT_REJECT(kmap_switch(&w, &env, 0, save, 0xdead0000u, 1), -XEN_EFAULT, KMAP_ERR_BAD_BUFFER);
    fe.guest_ro = true;
    r[1] = (struct kmap_entry){ 1300, W };
    EXPECT_REJECT(kmap_switch(&w, &env, 0, save, restore, 2), -XEN_EFAULT, KMAP_ERR_BAD_BUFFER);
    ck_assert_uint_eq(fe.pte_writes, writes);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE + 0x1000), 1101);
}
END_TEST

/* A frame that passes the check but is pinned as a table on another vCPU
 * before its PTE is written (the real env sees the new type after its
 * store, clears the PTE and reports it): the call fails, and no slot the
 * guest was told about is left empty. */
START_TEST(lost_retype_race_fails_the_call)
{
    setup_window(8, 0);
    kmap_push(&w, &env, 1100, W);
    fe.retyped_mfn = 1101;
    EXPECT_REJECT(kmap_push(&w, &env, 1101, W), -XEN_EACCES, KMAP_ERR_PROTECTED);
    ck_assert_uint_eq(w.depth, 1);
    ck_assert_uint_eq(w.stats.pushes, 1);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE + 0x1000), 0);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE), 1100);
    /* The next push takes the same slot and works. */
    ck_assert_int_eq(kmap_push(&w, &env, 1102, W), (long)(BASE + 0x1000));
    /* A switch whose second restored entry loses: the outgoing entries are
     * saved, the stack ends below the lost entry, the rest is emptied. */
    kmap_push(&w, &env, 1103, W);
    uint32_t save = FAKE_GUEST_BASE, restore = FAKE_GUEST_BASE + 0x100;
    struct kmap_entry *r = guest_entries(restore);
    r[0] = (struct kmap_entry){ 1200, W };
    r[1] = (struct kmap_entry){ 1101, W };
    r[2] = (struct kmap_entry){ 1201, W };
    ck_assert_int_eq(kmap_switch(&w, &env, 1, save, restore, 3), -XEN_EACCES);
    ck_assert_uint_eq(w.last_error.kind, KMAP_ERR_PROTECTED);
    ck_assert_uint_eq(guest_entries(save)[0].mfn, 1102);
    ck_assert_uint_eq(guest_entries(save)[1].mfn, 1103);
    ck_assert_uint_eq(w.depth, 2);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE + 0x1000), 1200);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE + 0x2000), 0);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE + 0x3000), 0);
    /* Cached mode: install and install_list fail at the lost entry. */
    setup_window(8, KMAP_WIN_CACHED); /* a fresh fake: the list again */
    fe.retyped_mfn = 1101;
    r[0] = (struct kmap_entry){ 1200, W };
    r[1] = (struct kmap_entry){ 1101, W };
    r[2] = (struct kmap_entry){ 1201, W };
    EXPECT_REJECT(kmap_install(&w, &env, BASE, 1101, W), -XEN_EACCES, KMAP_ERR_PROTECTED);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE), 0);
    EXPECT_REJECT(kmap_install_list(&w, &env, BASE, restore, 3), -XEN_EACCES, KMAP_ERR_PROTECTED);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE), 1200);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE + 0x1000), 0);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE + 0x2000), 0);
}
END_TEST

/* The window's side of update_va_mapping, the PTE already decoded (the
 * PV layer's decoding is tested in test_pv.c). */
START_TEST(update_va_mapping_path)
{
    setup_window(4, 0);
    ck_assert_int_eq(kmap_update_va_mapping(&w, &env, BASE, true, 1001, W), 0);
    ck_assert_uint_eq(w.depth, 1);
    ck_assert_uint_eq(w.live[0].prot, KMAP_PROT_WRITE);
    /* Not the next free slot. */
    EXPECT_REJECT(kmap_update_va_mapping(&w, &env, BASE + 0x2000, true, 1002, W), -XEN_EBUSY, KMAP_ERR_NOT_NESTED);
    /* An executable mapping, not allowed for this domain. */
    EXPECT_REJECT(kmap_update_va_mapping(&w, &env, BASE + 0x1000, true, 1002, W | KMAP_PROT_EXEC), -XEN_EOPNOTSUPP,
                  KMAP_ERR_BAD_PROT);
    EXPECT_REJECT(kmap_update_va_mapping(&w, &env, BASE + 0x1000, true, 1u << 28, W), -XEN_EPERM,
                  KMAP_ERR_NOT_OWNED);
    /* A pop that is not the top. */
    EXPECT_REJECT(kmap_update_va_mapping(&w, &env, BASE + 0x1000, false, 0, 0), -XEN_EBUSY, KMAP_ERR_NOT_NESTED);
    ck_assert_int_eq(kmap_update_va_mapping(&w, &env, BASE, false, 0, 0), 0); /* not present: pop */
    ck_assert_uint_eq(w.depth, 0);
}
END_TEST

START_TEST(query_and_stats)
{
    setup_window(24, KMAP_WIN_GUARD | KMAP_WIN_STOP);
    kmap_push(&w, &env, 1001, W);
    ck_assert_int_eq(kmap_query(&w, &env, FAKE_GUEST_BASE, 3), 0);
    struct kmap_window_info *info = (struct kmap_window_info *)fe.guest;
    ck_assert_uint_eq(info->base, BASE);
    ck_assert_uint_eq(info->nslots, 24);
    ck_assert_uint_eq(info->stride, 8192);
    ck_assert_uint_eq(info->depth, 1);
    ck_assert_uint_eq(info->vcpu, 3);
    ck_assert_uint_eq(info->flags, KMAP_WIN_GUARD | KMAP_WIN_STOP);
    EXPECT_REJECT(kmap_query(&w, &env, 0x10, 0), -XEN_EFAULT, KMAP_ERR_BAD_BUFFER);
    ck_assert_int_eq(kmap_get_stats(&w, &env, FAKE_GUEST_BASE + 0x100), 0);
    struct kmap_vcpu_stats *st = (struct kmap_vcpu_stats *)(fe.guest + 0x100);
    ck_assert_uint_eq(st->pushes, 1);
    ck_assert_uint_eq(st->nr_err_kinds, KMAP_ERR_KINDS);
    ck_assert_uint_eq(st->errors[KMAP_ERR_BAD_BUFFER], 1);
}
END_TEST

START_TEST(cached_install)
{
    setup_window(8, KMAP_WIN_CACHED | KMAP_WIN_LAZY);
    ck_assert_int_eq(kmap_install(&w, &env, BASE + 0x3000, 1001, W), 0);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE + 0x3000), 1001);
    unsigned writes = fe.pte_writes, flushes = fe.flushes;
    ck_assert_int_eq(kmap_install(&w, &env, BASE + 0x3000, 1001, W), 0); /* same: nothing to do */
    ck_assert_uint_eq(fe.pte_writes, writes);
    ck_assert_int_eq(kmap_install(&w, &env, BASE + 0x3000, 1002, W), 0); /* replace: write and flush */
    ck_assert_uint_eq(fe.pte_writes, writes + 1);
    ck_assert_uint_eq(fe.flushes, flushes + 1);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE + 0x3000), 1002);
    EXPECT_REJECT(kmap_install(&w, &env, BASE + 0x3000, 5, W), -XEN_EPERM, KMAP_ERR_NOT_OWNED);
    EXPECT_REJECT(kmap_install(&w, &env, BASE + 0x3000, 1995, W), -XEN_EACCES, KMAP_ERR_PROTECTED);
    EXPECT_REJECT(kmap_install(&w, &env, BASE + 0x8000, 1001, W), -XEN_ERANGE, KMAP_ERR_OUT_OF_WINDOW);
    EXPECT_REJECT(kmap_install(&w, &env, BASE + 0x10, 1001, W), -XEN_EINVAL, KMAP_ERR_MISALIGNED);
    EXPECT_REJECT(kmap_install(&w, &env, BASE, 1001, KMAP_PROT_USER), -XEN_EOPNOTSUPP, KMAP_ERR_BAD_PROT);
    ck_assert_uint_eq(fake_access(&fe, &w, BASE + 0x3000), 1002); /* untouched by the rejects */
    /* Not in cached mode: the call does not exist. */
    setup_window(8, 0);
    EXPECT_REJECT(kmap_install(&w, &env, BASE, 1001, W), -XEN_ENOSYS, KMAP_ERR_BAD_CMD);
}
END_TEST

/*
 * A long random run against a reference model: the model is the obvious
 * stack; after every step the window must agree with it, and every live
 * slot, read through the software TLB, must show its own frame (which
 * catches a missing flush).
 */
struct model {
    unsigned depth;
    struct kmap_entry e[KMV_MAX_SLOTS];
};

static void check_against_model(const struct model *m, unsigned long step, unsigned seed)
{
    ck_assert_msg(w.depth == m->depth, "seed %u step %lu: depth %u, model %u", seed, step, w.depth, m->depth);
    for (unsigned i = 0; i < m->depth; i++) {
        ck_assert_msg(w.live[i].mfn == m->e[i].mfn, "seed %u step %lu slot %u", seed, step, i);
        uint32_t seen = fake_access(&fe, &w, kmap_slot_va(&w, i));
        ck_assert_msg(seen == m->e[i].mfn, "seed %u step %lu: slot %u shows frame %u, expected %u", seed,
                      step, i, seen, m->e[i].mfn);
    }
    if (!(w.flags & KMAP_WIN_LAZY))
        for (unsigned i = m->depth; i < w.nslots; i++)
            ck_assert_msg(fake_access(&fe, &w, kmap_slot_va(&w, i)) == 0,
                          "seed %u step %lu: dead slot %u still mapped", seed, step, i);
}

static void random_run(uint32_t flags, unsigned slots, unsigned seed, unsigned long steps)
{
    setup_window(slots, flags);
    struct model m = { 0 };
    srand(seed);
    uint32_t save = FAKE_GUEST_BASE, restore = FAKE_GUEST_BASE + 0x4000;
    for (unsigned long step = 0; step < steps; step++) {
        int op = rand() % 100;
        uint32_t mfn = FAKE_OWNED_LO + (uint32_t)(rand() % 24); /* few frames: lazy reuse happens */
        if (op < 45) {
            if (rand() % 20 == 0)
                mfn = (rand() % 2) ? 7 : FAKE_PT_LO + 1; /* invalid */
            long r = kmap_push(&w, &env, mfn, W);
            bool ok = m.depth < slots && mfn >= FAKE_OWNED_LO && mfn < FAKE_PT_LO;
            ck_assert_msg((r >= 0) == ok, "seed %u step %lu: push %u -> %ld", seed, step, mfn, r);
            if (ok) {
                ck_assert_uint_eq((uint32_t)r, kmap_slot_va(&w, m.depth));
                m.e[m.depth++] = (struct kmap_entry){ mfn, W };
            }
        } else if (op < 85) {
            unsigned slot = m.depth && rand() % 10 ? m.depth - 1 : (unsigned)(rand() % slots);
            long r = kmap_pop(&w, &env, kmap_slot_va(&w, slot));
            bool ok = m.depth && slot == m.depth - 1;
            ck_assert_msg((r == 0) == ok, "seed %u step %lu: pop slot %u at depth %u -> %ld", seed, step,
                          slot, m.depth, r);
            if (ok)
                m.depth--;
        } else {
            unsigned base = (unsigned)(rand() % (m.depth + 1));
            unsigned n = (unsigned)(rand() % (slots - base + 1));
            struct kmap_entry *r = guest_entries(restore);
            for (unsigned i = 0; i < n; i++)
                r[i] = (struct kmap_entry){ FAKE_OWNED_LO + (uint32_t)(rand() % 24), W };
            long res = kmap_switch(&w, &env, base, save, restore, n);
            ck_assert_msg(res == (long)(m.depth - base), "seed %u step %lu: switch -> %ld", seed, step, res);
            struct kmap_entry *s = guest_entries(save);
            for (unsigned i = base; i < m.depth; i++)
                ck_assert_uint_eq(s[i - base].mfn, m.e[i].mfn);
            memcpy(&m.e[base], r, n * sizeof(*r));
            m.depth = base + n;
        }
        check_against_model(&m, step, seed);
    }
}

static unsigned test_seed(void)
{
    const char *s = getenv("KMV_SEED");
    return s ? (unsigned)strtoul(s, NULL, 0) : (unsigned)time(NULL);
}

START_TEST(random_against_model)
{
    unsigned seed = test_seed();
    printf("window: random model test, seed %u (set KMV_SEED to repeat), 3 x 100000 operations\n", seed);
    fflush(stdout);
    random_run(0, 16, seed, 100000);
    random_run(KMAP_WIN_LAZY, 16, seed + 1, 100000);
    random_run(KMAP_WIN_GUARD | KMAP_WIN_LAZY, 7, seed + 2, 100000);
}
END_TEST

Suite *window_suite(void)
{
    Suite *s = suite_create("window");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, push_pop_nested);
    tcase_add_test(tc, eager_push_needs_no_flush);
    tcase_add_test(tc, validation_errors);
    tcase_add_test(tc, guard_pages);
    tcase_add_test(tc, lazy_reuse_and_replace);
    tcase_add_test(tc, switch_saves_and_restores);
    tcase_add_test(tc, switch_is_all_or_nothing);
    tcase_add_test(tc, lost_retype_race_fails_the_call);
    tcase_add_test(tc, update_va_mapping_path);
    tcase_add_test(tc, query_and_stats);
    tcase_add_test(tc, cached_install);
    suite_add_tcase(s, tc);
    TCase *rnd = tcase_create("random");
    tcase_set_timeout(rnd, 120);
    tcase_add_test(rnd, random_against_model);
    suite_add_tcase(s, rnd);
    return s;
}
