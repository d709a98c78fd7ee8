/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The console ring and the xenstore backends: directly on rings in host
 * memory (index wrap, a hostile guest's indices, every request and error),
 * and through the domain the builder made (the frames and ports of
 * start_info, EVTCHNOP_send, serial input).
 */
#include "unit.h"
#include <string.h>
#include <stdlib.h>
#include <xen/event_channel.h>
#include "pv_fixture.h"

/* ---- the console ---- */

static struct xencons_interface cring;
static struct pvconsole pc;

static void cons_reset(uint32_t out_idx, uint32_t in_idx)
{
    memset(&cring, 0, sizeof(cring));
    cring.out_cons = cring.out_prod = out_idx;
    cring.in_cons = cring.in_prod = in_idx;
    fake_machine_init(128);
    pvcons_init(&pc, &cring, 5);
}

static void guest_out(const char *s)
{
    for (size_t i = 0; s[i]; i++)
        cring.out[MASK_XENCONS_IDX(cring.out_prod + i, cring.out)] = s[i];
    cring.out_prod += (uint32_t)strlen(s);
}

START_TEST(console_output_and_wrap)
{
    cons_reset(0, 0);
    guest_out("hello ring\n");
    ck_assert(pvcons_kick(&pc));
    ck_assert_str_eq(fake_console, "hello ring\n");
    ck_assert_uint_eq(cring.out_cons, 11);
    ck_assert(!pvcons_kick(&pc)); /* nothing new: no event */
    /* Indices about to wrap the 32-bit space, text across the ring's end. */
    cons_reset(0xfffffffau, 0);
    cring.out_cons = cring.out_prod = 0xfffffffau;
    pvcons_init(&pc, &cring, 5);
    char big[2049];
    for (unsigned i = 0; i < 2048; i++)
        big[i] = (char)('a' + i % 26);
    big[2047] = '\n';
    big[2048] = '\0';
    guest_out(big);        /* the whole ring, wrapping both ways */
    ck_assert(pvcons_kick(&pc));
    ck_assert_uint_eq(fake_console_len, 2048);
    ck_assert(!memcmp(fake_console, big, 2048));
    ck_assert_uint_eq(cring.out_cons, 0xfffffffau + 2048);
    ck_assert(!pc.broken);
}
END_TEST

/* A guest's unfinished line and the hypervisor's messages never share a
 * line; the guest's own lines run on. */
START_TEST(console_lines_kept_apart)
{
    cons_reset(0, 0);
    guest_out("grub> ");
    pvcons_kick(&pc);
    printk("kmapvisor: a message\n");
    guest_out("halt");
    pvcons_kick(&pc);
    guest_out("ed\n");
    pvcons_kick(&pc);
    printk("kmapvisor: done\n");
    ck_assert_str_eq(fake_console, "grub> \nkmapvisor: a message\nhalted\nkmapvisor: done\n");
}
END_TEST

START_TEST(console_hostile_indices)
{
    /* out_prod more than a ring ahead: nothing is read, the backend
     * disconnects with a diagnostic, and stays so. */
    cons_reset(100, 0);
    cring.out_prod = 100 + 2049;
    ck_assert(!pvcons_kick(&pc));
    ck_assert(pc.broken);
    ck_assert_ptr_nonnull(strstr(fake_console, "console ring: the guest's out_prod 2149 is 2049 bytes from ours"));
    size_t len = fake_console_len;
    cring.out_prod = 101;
    ck_assert(!pvcons_kick(&pc));
    ck_assert_uint_eq(fake_console_len, len);
    /* out_prod behind out_cons is as bogus (a huge unsigned distance). */
    cons_reset(100, 0);
    cring.out_prod = 99;
    ck_assert(!pvcons_kick(&pc));
    ck_assert(pc.broken);
    /* The guest's out_cons is never trusted: moving it changes nothing. */
    cons_reset(0, 0);
    guest_out("abc");
    cring.out_cons = 0x12345678;
    ck_assert(pvcons_kick(&pc));
    ck_assert_str_eq(fake_console, "abc");
    ck_assert_uint_eq(cring.out_cons, 3);
    /* A bogus in_cons: input stops, the backend disconnects. */
    cons_reset(0, 0);
    ck_assert_uint_eq(pvcons_input(&pc, "xyz", 3), 3);
    cring.in_cons = 2000;
    ck_assert(!pvcons_push_input(&pc));
    ck_assert(pc.broken);
    ck_assert_uint_eq(cring.in_prod, 0);
    ck_assert_uint_eq(pvcons_input_room(&pc), 0);
}
END_TEST

START_TEST(console_input_flow)
{
    cons_reset(0, 0xfffffffeu);
    ck_assert_uint_eq(pvcons_input(&pc, "hi\n", 3), 3);
    ck_assert(pvcons_push_input(&pc));
    ck_assert_uint_eq(cring.in_prod, 1);
    ck_assert(!memcmp((char[]){ cring.in[1022], cring.in[1023], cring.in[0] }, "hi\n", 3));
    /* The guest does not read: its ring fills at 1024, the rest waits. */
    char lots[PVCONS_INBUF];
    memset(lots, 'x', sizeof(lots));
    size_t took = 0;
    for (int round = 0; round < 8; round++) {
        took += pvcons_input(&pc, lots, sizeof(lots));
        pvcons_push_input(&pc);
    }
    ck_assert_uint_eq(cring.in_prod - cring.in_cons, 1024);
    ck_assert_uint_eq(pvcons_input_room(&pc), 0);
    ck_assert_uint_eq(took, 1024 - 3 + PVCONS_INBUF);
    /* It reads: the waiting input moves in. */
    cring.in_cons += 600;
    ck_assert(pvcons_push_input(&pc));
    ck_assert_uint_eq(cring.in_prod - cring.in_cons, 1024 - 600 + PVCONS_INBUF);
    ck_assert_uint_eq(pvcons_input_room(&pc), PVCONS_INBUF);
}
END_TEST

/* ---- the xenstore ---- */

static struct xenstore_domain_interface sring;
static struct xenstore *xs;

static void xs_reset(void)
{
    memset(&sring, 0, sizeof(sring));
    fake_machine_init(128);
    if (!xs)
        xs = malloc(sizeof(*xs));
    xs_init(xs, &sring, 7, 3, "guest3");
}

static void put_bytes(const void *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        sring.req[MASK_XENSTORE_IDX(sring.req_prod + i)] = ((const char *)p)[i];
    sring.req_prod += n;
}

static void put_req(uint32_t type, uint32_t id, uint32_t tx, const void *body, uint32_t len)
{
    struct xsd_sockmsg h = { type, id, tx, len };
    put_bytes(&h, sizeof(h));
    put_bytes(body, len);
}

/* One message from the rsp ring; false when none is complete. */
static char body[4200];
static bool get_rsp(struct xsd_sockmsg *h)
{
    if (sring.rsp_prod - sring.rsp_cons < sizeof(*h))
        return false;
    for (uint32_t i = 0; i < sizeof(*h); i++)
        ((char *)h)[i] = sring.rsp[MASK_XENSTORE_IDX(sring.rsp_cons + i)];
    if (sring.rsp_prod - sring.rsp_cons < sizeof(*h) + h->len)
        return false;
    for (uint32_t i = 0; i < h->len; i++)
        body[i] = sring.rsp[MASK_XENSTORE_IDX(sring.rsp_cons + sizeof(*h) + i)];
    body[h->len] = '\0';
    sring.rsp_cons += (uint32_t)sizeof(*h) + h->len;
    return true;
}

/* A request with a C-string body (its NUL included), and its reply. */
static uint32_t ask(uint32_t type, uint32_t tx, const char *b, uint32_t len)
{
    static uint32_t id = 100;
    put_req(type, ++id, tx, b, len);
    ck_assert(xs_kick(xs));
    struct xsd_sockmsg h;
    ck_assert(get_rsp(&h));
    ck_assert_uint_eq(h.req_id, id);
    ck_assert_uint_eq(h.tx_id, tx);
    return h.type;
}
#define ASK(type, lit) ask(type, 0, lit, sizeof(lit))

START_TEST(xenstore_requests)
{
    xs_reset();
    ck_assert_uint_eq(ASK(XS_READ, "domid"), XS_READ);
    ck_assert_str_eq(body, "3");
    ck_assert_uint_eq(ASK(XS_READ, "/local/domain/3/name"), XS_READ);
    ck_assert_str_eq(body, "guest3");
    ck_assert_uint_eq(ASK(XS_DIRECTORY, "device"), XS_DIRECTORY);
    ck_assert_uint_eq(body[0], 0);
    ck_assert_uint_eq(ASK(XS_DIRECTORY, "/local/domain/3"), XS_DIRECTORY);
    ck_assert(!memcmp(body, "domid\0name\0device\0", 18));
    ck_assert_uint_eq(ASK(XS_DIRECTORY, "/"), XS_DIRECTORY);
    ck_assert_str_eq(body, "local");
    ck_assert_uint_eq(ASK(XS_GET_DOMAIN_PATH, "3"), XS_GET_DOMAIN_PATH);
    ck_assert_str_eq(body, "/local/domain/3");
    /* Writes under the domain's own path only, parents made. */
    ck_assert_uint_eq(ask(XS_WRITE, 0, "data/a/b\0val", 12), XS_WRITE);
    ck_assert_str_eq(body, "OK");
    ck_assert_uint_eq(ASK(XS_READ, "data/a/b"), XS_READ);
    ck_assert_str_eq(body, "val");
    ck_assert_uint_eq(ASK(XS_DIRECTORY, "data"), XS_DIRECTORY);
    ck_assert_str_eq(body, "a");
    ck_assert_uint_eq(ask(XS_WRITE, 0, "/local/domain/0/x\0v", 19), XS_ERROR);
    ck_assert_str_eq(body, "EACCES");
    ck_assert_uint_eq(ASK(XS_MKDIR, "data/dir"), XS_MKDIR);
    ck_assert_uint_eq(ASK(XS_RM, "data/a"), XS_RM);
    ck_assert_uint_eq(ASK(XS_READ, "data/a/b"), XS_ERROR);
    ck_assert_str_eq(body, "ENOENT");
    /* Transactions: ids, their end, an unknown one. */
    ck_assert_uint_eq(ASK(XS_TRANSACTION_START, ""), XS_TRANSACTION_START);
    uint32_t tx = (uint32_t)atoi(body);
    ck_assert_uint_ne(tx, 0);
    ck_assert_uint_eq(ask(XS_READ, tx, "domid", 6), XS_READ);
    ck_assert_uint_eq(ask(XS_TRANSACTION_END, tx, "F", 2), XS_TRANSACTION_END);
    ck_assert_uint_eq(ask(XS_READ, tx, "domid", 6), XS_ERROR);
    ck_assert_str_eq(body, "ENOENT");
    ck_assert_uint_eq(ask(XS_TRANSACTION_END, 0, "T", 2), XS_ERROR);
    /* Unknown and unsupported requests: ENOSYS. */
    ck_assert_uint_eq(ASK(XS_SET_PERMS, "domid"), XS_ERROR);
    ck_assert_str_eq(body, "ENOSYS");
    ck_assert_uint_eq(ask(9999, 0, "", 0), XS_ERROR);
    ck_assert_str_eq(body, "ENOSYS");
    ck_assert_uint_eq(xs->errors, 6);
}
END_TEST

START_TEST(xenstore_watches)
{
    xs_reset();
    struct xsd_sockmsg h;
    /* Fires once at registration (after the OK), with the path as given. */
    ck_assert_uint_eq(ASK(XS_WATCH, "device\0tok"), XS_WATCH);
    ck_assert(get_rsp(&h));
    ck_assert_uint_eq(h.type, XS_WATCH_EVENT);
    ck_assert(!memcmp(body, "device\0tok\0", 11));
    ck_assert(!get_rsp(&h));
    ck_assert_uint_eq(ASK(XS_WATCH, "device\0tok"), XS_ERROR); /* the same twice */
    ck_assert_uint_eq(ASK(XS_WATCH, "/local/domain/3/device\0abs"), XS_WATCH);
    ck_assert(get_rsp(&h));
    /* A write below both: one event each, relative and absolute. */
    ck_assert_uint_eq(ask(XS_WRITE, 0, "device/vif\0", 11), XS_WRITE);
    ck_assert(get_rsp(&h));
    ck_assert(!memcmp(body, "device/vif\0tok\0", 15));
    ck_assert(get_rsp(&h));
    ck_assert(!memcmp(body, "/local/domain/3/device/vif\0abs\0", 31));
    ck_assert(!get_rsp(&h));
    /* A write elsewhere: none; after unwatch: none. */
    ck_assert_uint_eq(ask(XS_WRITE, 0, "other\0", 6), XS_WRITE);
    ck_assert(!get_rsp(&h));
    ck_assert_uint_eq(ASK(XS_UNWATCH, "device\0tok"), XS_UNWATCH);
    ck_assert_uint_eq(ASK(XS_UNWATCH, "device\0tok"), XS_ERROR);
    ck_assert_uint_eq(ASK(XS_UNWATCH, "/local/domain/3/device\0abs"), XS_UNWATCH);
    ck_assert_uint_eq(ask(XS_WRITE, 0, "device/x\0", 9), XS_WRITE);
    ck_assert(!get_rsp(&h));
    /* Special watches are taken, and fire once. */
    ck_assert_uint_eq(ASK(XS_WATCH, "@releaseDomain\0r"), XS_WATCH);
    ck_assert(get_rsp(&h) && h.type == XS_WATCH_EVENT);
    /* A full table: an error, not a hang. */
    char req[32];
    unsigned ok = 0;
    for (unsigned i = 0; i < XS_WATCHES + 2; i++) {
        int n = snprintf(req, sizeof(req), "data%u", i);
        req[n + 1] = 't', req[n + 2] = '\0';
        if (ask(XS_WATCH, 0, req, (uint32_t)n + 3) == XS_WATCH)
            ok++, ck_assert(get_rsp(&h));
    }
    ck_assert_uint_eq(ok, XS_WATCHES - 1);
}
END_TEST

START_TEST(xenstore_malformed)
{
    xs_reset();
    /* No NUL, trailing garbage, bad characters, '//', too long a path. */
    ck_assert_uint_eq(ask(XS_READ, 0, "domid", 5), XS_ERROR);
    ck_assert_str_eq(body, "EINVAL");
    ck_assert_uint_eq(ask(XS_READ, 0, "domid\0x", 7), XS_ERROR);
    ck_assert_uint_eq(ASK(XS_READ, "a b"), XS_ERROR);
    ck_assert_uint_eq(ASK(XS_READ, "a//b"), XS_ERROR);
    ck_assert_uint_eq(ASK(XS_READ, "device/"), XS_ERROR);
    ck_assert_uint_eq(ask(XS_READ, 0, "", 1), XS_ERROR);
    ck_assert_uint_eq(ask(XS_WATCH, 0, "only-path", 10), XS_ERROR);
    char longp[300];
    memset(longp, 'p', sizeof(longp) - 1);
    longp[sizeof(longp) - 1] = '\0';
    ck_assert_uint_eq(ask(XS_READ, 0, longp, sizeof(longp)), XS_ERROR);
    ck_assert_str_eq(body, "E2BIG");
    char val[XS_VALUE_LEN + 20] = "big";
    ck_assert_uint_eq(ask(XS_WRITE, 0, val, sizeof(val)), XS_ERROR);
    ck_assert_uint_eq(ASK(XS_GET_DOMAIN_PATH, "x"), XS_ERROR);
    /* A payload over XENSTORE_PAYLOAD_MAX: E2BIG, and its bytes dropped as
     * they come, so the next request is read right. */
    struct xsd_sockmsg h = { XS_READ, 42, 0, XENSTORE_PAYLOAD_MAX + 1 }, r;
    put_bytes(&h, sizeof(h));
    ck_assert(xs_kick(xs));
    ck_assert(get_rsp(&r));
    ck_assert_uint_eq(r.type, XS_ERROR);
    ck_assert_uint_eq(r.req_id, 42);
    ck_assert_str_eq(body, "E2BIG");
    char junk[1000] = { 0 };
    for (uint32_t left = XENSTORE_PAYLOAD_MAX + 1; left;) {
        uint32_t n = left < sizeof(junk) ? left : sizeof(junk);
        put_bytes(junk, n);
        xs_kick(xs);
        left -= n;
    }
    ck_assert(!get_rsp(&r));
    ck_assert_uint_eq(ASK(XS_READ, "domid"), XS_READ);
    /* A request in pieces: answered when whole, not before. */
    struct xsd_sockmsg ph = { XS_READ, 7, 0, 5 };
    put_bytes(&ph, 10);
    ck_assert(xs_kick(xs));
    ck_assert(!get_rsp(&r));
    put_bytes((const char *)&ph + 10, sizeof(ph) - 10);
    xs_kick(xs);
    put_bytes("nam", 3);
    xs_kick(xs);
    ck_assert(!get_rsp(&r));
    put_bytes("e", 2);
    ck_assert(xs_kick(xs));
    ck_assert(get_rsp(&r));
    ck_assert_uint_eq(r.type, XS_READ);
    ck_assert_uint_eq(r.req_id, 7);
    ck_assert_str_eq(body, "guest3");
}
END_TEST

START_TEST(xenstore_hostile_ring)
{
    struct xsd_sockmsg r;
    /* The guest does not consume replies: the backend writes no more than
     * the ring holds, answers no new request meanwhile, and resumes. */
    xs_reset();
    const uint32_t one = sizeof(struct xsd_sockmsg) + 5;
    unsigned sent = 0, got = 0;
    while (XENSTORE_RING_SIZE - (sring.req_prod - sring.req_cons) >= one)
        put_req(XS_READ, sent++, 0, "name", 5), xs_kick(xs);
    ck_assert_uint_gt(sent, 46); /* more requests than the rsp ring has room for replies */
    ck_assert_uint_le(sring.rsp_prod - sring.rsp_cons, XENSTORE_RING_SIZE);
    ck_assert_uint_gt(sring.req_prod - sring.req_cons, 0); /* it stopped taking requests */
    for (unsigned spins = 0; got < 200 && spins < 10000; spins++) {
        while (get_rsp(&r)) {
            ck_assert_uint_eq(r.req_id, got);
            ck_assert_str_eq(body, "guest3");
            got++;
        }
        while (sent < 200 && XENSTORE_RING_SIZE - (sring.req_prod - sring.req_cons) >= one)
            put_req(XS_READ, sent++, 0, "name", 5);
        xs_kick(xs);
    }
    ck_assert_uint_eq(got, 200);
    /* req_prod more than a ring ahead: disconnect, nothing read. */
    xs_reset();
    sring.req_prod = XENSTORE_RING_SIZE + 1;
    ck_assert(!xs_kick(xs));
    ck_assert(xs->broken);
    ck_assert_ptr_nonnull(strstr(fake_console, "xenstore ring: the guest's req_prod 1025"));
    ck_assert_uint_eq(sring.req_cons, 0);
    /* rsp_cons past what was produced: disconnect. */
    xs_reset();
    sring.rsp_cons = 5;
    put_req(XS_READ, 1, 0, "name", 5);
    ck_assert(!xs_kick(xs));
    ck_assert(xs->broken);
    /* The guest's own copies of the backend's indices are not trusted. */
    xs_reset();
    sring.req_cons = 999;
    sring.rsp_prod = 12345;
    sring.req_prod = 0;
    ck_assert_uint_eq(ask(XS_READ, 0, "name", 5), XS_READ);
    ck_assert_uint_eq(sring.req_cons, 21); /* its own index, written back */
}
END_TEST

/* ---- through the domain: start_info, EVTCHNOP_send, serial input ---- */

START_TEST(rings_through_the_domain)
{
    build("mem=64M lowmem=32M vcpus=2");
    struct start_info_x86_32 *si = g((uint32_t)vregs(v0)->rsi);
    ck_assert_uint_ne(si->console.domU.mfn, 0);
    ck_assert_uint_ne(si->store_mfn, 0);
    ck_assert_uint_ne(si->console.domU.evtchn, si->store_evtchn);
    struct xencons_interface *c = fake_phys_to_virt((uint64_t)si->console.domU.mfn << PAGE_SHIFT);
    ck_assert_ptr_eq(c, dom.cons.ring);
    ck_assert_uint_ne(dom.arch->m2p[si->console.domU.mfn], M2P_NONE); /* a frame of the guest's */
    /* Status: an interdomain channel to the hypervisor. */
    struct evtchn_status *st = g(SCRATCH);
    *st = (struct evtchn_status){ .dom = DOMID_SELF, .port = si->console.domU.evtchn };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_status, SCRATCH, 0, 0, 0), 0);
    ck_assert_uint_eq(st->status, EVTCHNSTAT_interdomain);
    /* Output: written, sent, printed; the port becomes pending for the
     * guest (room in the ring). */
    memcpy(c->out, "from the ring\n", 14);
    c->out_prod = 14;
    fake_console_len = 0;
    uint32_t *port = g(SCRATCH);
    *port = si->console.domU.evtchn;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_send, SCRATCH, 0, 0, 0), 0);
    ck_assert_ptr_nonnull(strstr(fake_console, "from the ring\n"));
    ck_assert(dom.shared->evtchn_pending[0] & (1u << si->console.domU.evtchn));
    /* Input from the platform's console reaches the in ring. */
    fake_console_input = "typed\r";
    console_input_poll(&dom);
    ck_assert_uint_eq(c->in_prod, 6);
    ck_assert(!memcmp(c->in, "typed\r", 6));
    /* The store, by the same way. */
    struct xenstore_domain_interface *s = fake_phys_to_virt((uint64_t)si->store_mfn << PAGE_SHIFT);
    struct xsd_sockmsg h = { XS_READ, 1, 0, 6 };
    memcpy(s->req, &h, sizeof(h));
    memcpy(s->req + sizeof(h), "domid", 6);
    s->req_prod = sizeof(h) + 6;
    *port = si->store_evtchn;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_send, SCRATCH, 0, 0, 0), 0);
    ck_assert_uint_eq(s->rsp_prod, sizeof(h) + 1);
    ck_assert_uint_eq(s->rsp[sizeof(h)], '0');
    ck_assert(dom.shared->evtchn_pending[0] & (1u << si->store_evtchn));
    /* bind_vcpu: a backend's port may move, a VIRQ's may not. */
    struct evtchn_bind_vcpu *bv = g(SCRATCH + 0x100);
    *bv = (struct evtchn_bind_vcpu){ .port = si->console.domU.evtchn, .vcpu = 1 };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_vcpu, SCRATCH + 0x100, 0, 0, 0), 0);
    ck_assert_uint_eq(dom.evtchn.port[si->console.domU.evtchn].vcpu, 1);
    bv->vcpu = 2;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_vcpu, SCRATCH + 0x100, 0, 0, 0), -XEN_ENOENT);
    int tp = evtchn_bind_virq(&dom.evtchn, VIRQ_TIMER, 0);
    ck_assert_int_gt(tp, 0);
    *bv = (struct evtchn_bind_vcpu){ .port = (uint32_t)tp, .vcpu = 1 };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_vcpu, SCRATCH + 0x100, 0, 0, 0), -XEN_EINVAL);
    /* A closed port no longer reaches the backend; the backend's later
     * notification is dropped. */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_close, SCRATCH, 0, 0, 0), 0);
    ck_assert_int_eq(evtchn_notify_from_backend(&dom.evtchn, si->store_evtchn, KMV_BACKEND_STORE), EVTCHN_NO_KICK);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_send, SCRATCH, 0, 0, 0), -XEN_EINVAL);
}
END_TEST

Suite *rings_suite(void)
{
    Suite *s = suite_create("rings");
    TCase *tc = tcase_create("console-xenstore");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, console_output_and_wrap);
    tcase_add_test(tc, console_lines_kept_apart);
    tcase_add_test(tc, console_hostile_indices);
    tcase_add_test(tc, console_input_flow);
    tcase_add_test(tc, xenstore_requests);
    tcase_add_test(tc, xenstore_watches);
    tcase_add_test(tc, xenstore_malformed);
    tcase_add_test(tc, xenstore_hostile_ring);
    tcase_add_test(tc, rings_through_the_domain);
    suite_add_tcase(s, tc);
    return s;
}
