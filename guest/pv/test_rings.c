/* SPDX-License-Identifier: GPL-2.0-only */
/* Tests of the PV devices the hypervisor backs: test=xenstore (every
 * request a booting guest makes, and the errors), test=console (input
 * typed on the serial console reaches the console ring). */
#include "pv.h"
#include "rings.h"
#include <xen/io/xs_wire.h>

static unsigned checks, failures;
#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; printk("guest: xenstore: FAIL: " __VA_ARGS__); printk("\n"); } } while (0)

static char rep[1024];

/* A request with a string body (NUL included unless raw). */
static long req(uint32_t type, uint32_t tx, const char *body, uint32_t len, uint32_t *rlen)
{
    *rlen = sizeof(rep) - 1;
    long t = xs_request(type, tx, body, len, rep, rlen);
    rep[t >= 0 ? *rlen : 0] = '\0';
    return t;
}
#define REQS(type, s, rl) req(type, 0, s, sizeof(s), rl)

_Noreturn void test_xenstore(void);
_Noreturn void test_xenstore(void)
{
    uint32_t n;
    long t;
    extern bool shared_info_mapped;
    printk("guest: shared_info at %p, %s\n", (void *)shared,
           shared_info_mapped ? "mapped with update_va_mapping" : "found in the P2M");
    printk("guest: xenstore: ring mfn %#x port %u\n", (unsigned)start_info->store_mfn,
           (unsigned)start_info->store_evtchn);
    t = REQS(XS_READ, "domid", &n);
    CHECK(t == XS_READ && !strcmp(rep, "0"), "read domid -> %ld '%s'", t, rep);
    printk("guest: xenstore: domid = %s\n", rep);
    t = REQS(XS_READ, "name", &n);
    CHECK(t == XS_READ && n > 0, "read name -> %ld", t);
    printk("guest: xenstore: name = %s\n", rep);
    t = REQS(XS_DIRECTORY, "device", &n);
    CHECK(t == XS_DIRECTORY && n == 0, "directory device -> %ld, %u bytes", t, n);
    printk("guest: xenstore: device/ has %u entries\n", n);
    t = REQS(XS_DIRECTORY, "device/vbd", &n);
    CHECK(t == XS_ERROR && !strcmp(rep, "ENOENT"), "directory device/vbd -> %ld %s", t, rep);
    t = REQS(XS_GET_DOMAIN_PATH, "0", &n);
    CHECK(t == XS_GET_DOMAIN_PATH && !strcmp(rep, "/local/domain/0"), "get_domain_path -> %ld %s", t, rep);
    printk("guest: xenstore: domain path %s\n", rep);
    t = REQS(XS_DIRECTORY, "/local/domain/0", &n);
    CHECK(t == XS_DIRECTORY && n >= 18, "directory of home -> %ld (%u bytes)", t, n);

    /* A watch fires once at registration, then on a write below it. */
    t = REQS(XS_WATCH, "data\0tok1", &n);
    CHECK(t == XS_WATCH && !strcmp(rep, "OK"), "watch -> %ld %s", t, rep);
    n = sizeof(rep);
    t = xs_next_event(rep, &n);
    CHECK(t == XS_WATCH_EVENT && !strcmp(rep, "data") && !strcmp(rep + 5, "tok1"), "watch event at registration -> %ld '%s'", t, rep);
    t = REQS(XS_WRITE, "data/x\0hello", &n);
    CHECK(t == XS_WRITE && !strcmp(rep, "OK"), "write -> %ld %s", t, rep);
    n = sizeof(rep);
    t = xs_next_event(rep, &n);
    CHECK(t == XS_WATCH_EVENT && !strcmp(rep, "data/x"), "watch event on write -> %ld '%s'", t, rep);
    t = req(XS_WRITE, 0, "data/x\0hello", 12, &n);
    t = REQS(XS_READ, "data/x", &n);
    CHECK(t == XS_READ && n == 5 && !memcmp(rep, "hello", 5), "read back -> %ld '%s'", t, rep);
    t = REQS(XS_UNWATCH, "data\0tok1", &n);
    CHECK(t == XS_UNWATCH, "unwatch -> %ld %s", t, rep);
    t = REQS(XS_UNWATCH, "data\0tok1", &n);
    CHECK(t == XS_ERROR && !strcmp(rep, "ENOENT"), "second unwatch -> %ld %s", t, rep);

    /* Transactions, errors. */
    t = REQS(XS_TRANSACTION_START, "", &n);
    uint64_t tx = 0;
    CHECK(t == XS_TRANSACTION_START && parse_uint(rep, &tx) && tx, "transaction_start -> %ld %s", t, rep);
    t = req(XS_READ, (uint32_t)tx, "domid", 6, &n);
    CHECK(t == XS_READ, "read in a transaction -> %ld", t);
    t = req(XS_TRANSACTION_END, (uint32_t)tx, "T", 2, &n);
    CHECK(t == XS_TRANSACTION_END && !strcmp(rep, "OK"), "transaction_end -> %ld %s", t, rep);
    t = req(XS_READ, (uint32_t)tx, "domid", 6, &n);
    CHECK(t == XS_ERROR && !strcmp(rep, "ENOENT"), "read in an ended transaction -> %ld %s", t, rep);
    t = REQS(XS_WRITE, "/local/domain/7/x\0no", &n);
    CHECK(t == XS_ERROR && !strcmp(rep, "EACCES"), "write outside home -> %ld %s", t, rep);
    t = REQS(XS_READ, "nothing/here", &n);
    CHECK(t == XS_ERROR && !strcmp(rep, "ENOENT"), "read missing -> %ld %s", t, rep);
    t = req(XS_READ, 0, "domid", 5, &n); /* no NUL */
    CHECK(t == XS_ERROR && !strcmp(rep, "EINVAL"), "read without NUL -> %ld %s", t, rep);
    t = REQS(XS_READ, "bad path!", &n);
    CHECK(t == XS_ERROR && !strcmp(rep, "EINVAL"), "read of a bad path -> %ld %s", t, rep);
    t = REQS(XS_SET_PERMS, "domid\0b0", &n);
    CHECK(t == XS_ERROR && !strcmp(rep, "ENOSYS"), "set_perms -> %ld %s", t, rep);
    t = REQS(0x7777, "x", &n);
    CHECK(t == XS_ERROR && !strcmp(rep, "ENOSYS"), "unknown type -> %ld %s", t, rep);
    printk("guest: xenstore: %u checks, %u failures\n", checks, failures);
    printk("guest: result: %s\n", failures ? "FAIL" : "PASS");
    plat_shutdown(!failures);
}

/* test=console: print a prompt, read one line typed on the serial
 * console through the console ring, echo it. */
_Noreturn void test_console(void);
_Noreturn void test_console(void)
{
    char line[128];
    unsigned len = 0;
    printk("guest: console: ring %s, port %u; type a line at console-prompt>\n", console_ring_active() ? "active" : "absent",
           console_ring_port());
    uint64_t t0 = system_time_ns();
    while (system_time_ns() - t0 < 60000000000ull) {
        char c;
        if (!console_ring_read(&c, 1)) {
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
            continue;
        }
        if (c == '\r' || c == '\n') {
            line[len] = '\0';
            printk("guest: console: read '%s' (%u bytes)\n", line, len);
            printk("guest: result: PASS\n");
            plat_shutdown(true);
        }
        if (len < sizeof(line) - 1)
            line[len++] = c;
    }
    printk("guest: console: no line within 60 s\n");
    plat_shutdown(false);
}
