/* SPDX-License-Identifier: GPL-2.0-only */
#include "unit.h"
#include <string.h>
#include "hypervisor/event.h"

static struct shared_info_x86_32 si;
static struct evtchn_table t;

static void setup(void)
{
    memset(&si, 0, sizeof(si));
    evtchn_init(&t, &si, 4);
}

/* The vCPU a successful send / unmask names (EVTCHN_NO_KICK: none). */
static int send_kick(struct evtchn_table *t, unsigned port)
{
    int kick = 12345;
    ck_assert_int_eq(evtchn_send(t, port, &kick), 0);
    return kick;
}
static int unmask_kick(struct evtchn_table *t, unsigned port)
{
    int kick = 12345;
    ck_assert_int_eq(evtchn_unmask(t, port, &kick), 0);
    return kick;
}
/* A refused send: its errno, and no kick. */
static int send_err(struct evtchn_table *t, unsigned port)
{
    int kick = 12345;
    int r = evtchn_send(t, port, &kick);
    ck_assert_int_eq(kick, EVTCHN_NO_KICK);
    return r;
}

START_TEST(bind_and_send_marks_upcall)
{
    setup();
    int p = evtchn_bind_virq(&t, VIRQ_TIMER, 2);
    ck_assert_int_gt(p, 0);
    ck_assert_uint_eq(evtchn_virq_port(&t, 2, VIRQ_TIMER), (unsigned)p);
    ck_assert_int_eq(send_kick(&t, (unsigned)p), 2);
    ck_assert_uint_eq(si.vcpu_info[2].evtchn_upcall_pending, 1);
    ck_assert_uint_eq(si.vcpu_info[2].evtchn_pending_sel, 1u << (p / 32));
    ck_assert(si.evtchn_pending[p / 32] & (1u << (p % 32)));
    ck_assert_uint_eq(si.vcpu_info[0].evtchn_upcall_pending, 0);
    /* Already pending: no second kick. */
    ck_assert_int_eq(send_kick(&t, (unsigned)p), EVTCHN_NO_KICK);
}
END_TEST

START_TEST(masked_port_then_unmask)
{
    setup();
    int p = evtchn_bind_ipi(&t, 1);
    si.evtchn_mask[p / 32] |= 1u << (p % 32);
    ck_assert_int_eq(send_kick(&t, (unsigned)p), EVTCHN_NO_KICK);
    ck_assert_uint_eq(si.vcpu_info[1].evtchn_upcall_pending, 0);
    ck_assert_int_eq(unmask_kick(&t, (unsigned)p), 1);
    ck_assert_uint_eq(si.vcpu_info[1].evtchn_upcall_pending, 1);
}
END_TEST

START_TEST(upcall_mask_gates_delivery)
{
    setup();
    int p = evtchn_bind_ipi(&t, 0);
    send_kick(&t, (unsigned)p);
    si.vcpu_info[0].evtchn_upcall_mask = 1;
    ck_assert(!evtchn_upcall_deliverable(&t, 0));
    si.vcpu_info[0].evtchn_upcall_mask = 0;
    ck_assert(evtchn_upcall_deliverable(&t, 0));
}
END_TEST

START_TEST(bad_arguments)
{
    setup();
    ck_assert_int_eq(evtchn_bind_virq(&t, VIRQ_TIMER, 4), -XEN_ENOENT);
    ck_assert_int_eq(evtchn_bind_virq(&t, 99, 0), -XEN_EINVAL);
    ck_assert_int_gt(evtchn_bind_virq(&t, VIRQ_TIMER, 0), 0);
    ck_assert_int_eq(evtchn_bind_virq(&t, VIRQ_TIMER, 0), -XEN_EEXIST);
    ck_assert_int_eq(evtchn_bind_ipi(&t, 7), -XEN_ENOENT);
    ck_assert_int_eq(send_err(&t, 0), -XEN_EINVAL);
    ck_assert_int_eq(send_err(&t, 500), -XEN_EINVAL);   /* unbound */
    ck_assert_int_eq(send_err(&t, 5000), -XEN_EINVAL);  /* out of range */
    ck_assert_int_eq(evtchn_close(&t, 0), -XEN_EINVAL);
}
END_TEST

START_TEST(close_frees_port_and_virq)
{
    setup();
    int p = evtchn_bind_virq(&t, VIRQ_TIMER, 3);
    ck_assert_int_eq(evtchn_close(&t, (unsigned)p), 0);
    ck_assert_uint_eq(evtchn_virq_port(&t, 3, VIRQ_TIMER), 0);
    ck_assert_int_eq(send_err(&t, (unsigned)p), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_bind_virq(&t, VIRQ_TIMER, 3), p); /* reused */
}
END_TEST

/* Xen 4.17's bind_virq: every VIRQ below NR_VIRQS, per-vCPU ones on any
 * vCPU, global ones on vCPU 0 only (-EINVAL elsewhere, even on a vCPU that
 * does not exist); the global ones' ports move with bind_vcpu. */
START_TEST(every_virq_as_xen)
{
    setup();
    static const unsigned per_vcpu[] = { VIRQ_TIMER, VIRQ_DEBUG, VIRQ_XENOPROF, VIRQ_XENPMU };
    for (unsigned i = 0; i < ARRAY_SIZE(per_vcpu); i++) {
        ck_assert(!evtchn_virq_is_global(per_vcpu[i]));
        for (unsigned v = 0; v < 4; v++) {
            int p = evtchn_bind_virq(&t, per_vcpu[i], v);
            ck_assert_int_gt(p, 0);
            ck_assert_uint_eq(evtchn_virq_port(&t, v, per_vcpu[i]), (unsigned)p);
            ck_assert_int_eq(evtchn_bind_virq(&t, per_vcpu[i], v), -XEN_EEXIST);
            ck_assert_int_eq(evtchn_bind_vcpu(&t, (unsigned)p, (v + 1) % 4), -XEN_EINVAL);
        }
        ck_assert_int_eq(evtchn_bind_virq(&t, per_vcpu[i], 4), -XEN_ENOENT);
    }
    for (unsigned virq = 0; virq < EVTCHN_VIRQS; virq++) {
        if (!evtchn_virq_is_global(virq))
            continue;
        ck_assert_int_eq(evtchn_bind_virq(&t, virq, 1), -XEN_EINVAL);
        ck_assert_int_eq(evtchn_bind_virq(&t, virq, 99), -XEN_EINVAL); /* before the vCPU check, as Xen */
        int p = evtchn_bind_virq(&t, virq, 0);
        ck_assert_int_gt(p, 0);
        ck_assert_uint_eq(t.port[p].state, ECS_VIRQ);
        ck_assert_uint_eq(t.port[p].virq, virq);
        ck_assert_int_eq(evtchn_bind_virq(&t, virq, 0), -XEN_EEXIST);
    }
    ck_assert(evtchn_virq_is_global(VIRQ_CON_RING));
    ck_assert(evtchn_virq_is_global(VIRQ_ARCH_0));
    ck_assert_int_eq(evtchn_bind_virq(&t, EVTCHN_VIRQS, 0), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_bind_virq(&t, 0xffffffffu, 0), -XEN_EINVAL);
    /* A global VIRQ's port moves to vCPU 2, and stays vCPU 0's binding;
     * closing it frees the binding. */
    unsigned p = evtchn_virq_port(&t, 0, VIRQ_CON_RING);
    ck_assert_int_eq(evtchn_bind_vcpu(&t, p, 2), 0);
    ck_assert_uint_eq(t.port[p].vcpu, 2);
    ck_assert_uint_eq(evtchn_virq_port(&t, 0, VIRQ_CON_RING), p);
    ck_assert_int_eq(send_kick(&t, p), 2);
    ck_assert_int_eq(evtchn_close(&t, p), 0);
    ck_assert_uint_eq(evtchn_virq_port(&t, 0, VIRQ_CON_RING), 0);
    ck_assert_int_eq(evtchn_bind_virq(&t, VIRQ_CON_RING, 0), (int)p);
    /* Closing a per-vCPU one frees only that vCPU's binding. */
    unsigned d1 = evtchn_virq_port(&t, 1, VIRQ_DEBUG);
    ck_assert_int_eq(evtchn_close(&t, d1), 0);
    ck_assert_uint_eq(evtchn_virq_port(&t, 1, VIRQ_DEBUG), 0);
    ck_assert_uint_ne(evtchn_virq_port(&t, 0, VIRQ_DEBUG), 0);
    ck_assert_uint_ne(evtchn_virq_port(&t, 2, VIRQ_DEBUG), 0);
}
END_TEST

START_TEST(ports_run_out)
{
    setup();
    int last = 0;
    for (int i = 1; i < EVTCHN_PORTS; i++)
        last = evtchn_bind_ipi(&t, 0);
    ck_assert_int_eq(last, EVTCHN_PORTS - 1);
    ck_assert_int_eq(evtchn_bind_ipi(&t, 0), -XEN_ENOSPC);
}
END_TEST

Suite *event_suite(void)
{
    Suite *s = suite_create("event");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, bind_and_send_marks_upcall);
    tcase_add_test(tc, masked_port_then_unmask);
    tcase_add_test(tc, upcall_mask_gates_delivery);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, close_frees_port_and_virq);
    tcase_add_test(tc, every_virq_as_xen);
    tcase_add_test(tc, ports_run_out);
    suite_add_tcase(s, tc);
    return s;
}
