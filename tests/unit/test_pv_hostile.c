/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hostile arguments against the PV layer on the host, one test per fix of
 * the hardening work (docs/security.md): selectors of every ring and RPL,
 * the stacks and frames they end up in, PTE bits update_va_mapping does
 * not implement, an event-channel bind that cannot be reported, the stop
 * policy on every window command, and two vCPUs initialising a third.
 */
#include "unit.h"
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/event_channel.h>
#include <xen/callback.h>
#include <kmapvisor/x86_pte.h>
#include "pv_fixture.h"
#include <asm/layout.h>


/* Every ring, RPL, table and index a selector can name, and what Xen's
 * rules (narrowed to the flat selectors kmapvisor gives) make of it as a
 * ring-1 code selector and as a ring-1 stack selector: 0 = refused. */
static const struct { uint32_t sel; uint32_t code, stack; } sels[] = {
    { 0x0000, 0, 0 },      { 0x0001, 0, 0 },      { 0x0003, 0, 0 },      /* null, any RPL */
    { 0x0008, 0, 0 },      { 0x000b, 0, 0 },      { 0x0010, 0, 0 },      /* guest GDT slots (the hypervisor's */
    { 0x0018, 0, 0 },      { 0x001b, 0, 0 },      { 0xdff9, 0, 0 },      /* until issue 18): no guest GDT */
    { HYP_CS, 0, 0 },      { HYP_CS | 1, 0, 0 },  { HYP_DS, 0, 0 },      /* the hypervisor's code, data */
    { HYP_DS | 1, 0, 0 },  { HYP_TSS, 0, 0 },     { HYP_TSS | 3, 0, 0 }, /* and TSS */
    { 0x0004, 0, 0 },      { 0x000f, 0, 0 },      { 0xe01c, 0, 0 },      /* LDT selectors: no LDT */
    { 0xe018, 0xe019, 0 }, { 0xe019, 0xe019, 0 }, { 0xe01a, 0, 0 },      /* ring-1 code: RPL 0 -> 1, 2 no */
    { 0xe01b, 0, 0 },
    { 0xe020, 0, 0xe021 }, { 0xe021, 0, 0xe021 }, { 0xe022, 0, 0 },      /* ring-1 data */
    { 0xe023, 0, 0 },
    { 0xe028, 0, 0 },      { 0xe02b, 0, 0 },      { 0xe030, 0, 0 },      /* ring-3 code, data: not for ring 1 */
    { 0xe033, 0, 0 },
    { 0xe038, 0, 0 },      { 0xe000, 0, 0 },      { 0xe050, 0, 0 },      /* empty reserved slots, past the GDT */
    { 0xfff8, 0, 0 },
    { 0x1e019, 0, 0 },     { 0xffffe019, 0, 0 },                          /* junk above 16 bits */
};

START_TEST(selectors_everywhere)
{
    build("mem=64M lowmem=32M vcpus=2");
    struct arch_vcpu *av = v0->arch;
    for (unsigned i = 0; i < ARRAY_SIZE(sels); i++) {
        uint32_t s = sels[i].sel;
        uint32_t kss = av->kernel_ss, ecs = av->event_cs;
        /* stack_switch: the ring-1 stack for bounces from ring 3 */
        long r = HC(v0, __HYPERVISOR_stack_switch, s, 0xc0200000u, 0, 0, 0);
        ck_assert_msg(sels[i].stack ? r == 0 && av->kernel_ss == sels[i].stack : r == -XEN_EPERM && av->kernel_ss == kss,
                      "stack_switch(%#x) -> %ld, kernel_ss %#x", s, r, av->kernel_ss);
        /* set_callbacks: the event and failsafe entry points */
        r = HC(v0, __HYPERVISOR_set_callbacks, s, 0xc0101000u, s, 0xc0101100u, 0);
        ck_assert_msg(sels[i].code ? r == 0 && av->event_cs == sels[i].code && av->failsafe_cs == sels[i].code
                                   : r == -XEN_EPERM && av->event_cs == ecs,
                      "set_callbacks(%#x) -> %ld", s, r);
        /* callback_op(register) */
        struct kmv_callback_register32 *cb = g(SCRATCH);
        *cb = (struct kmv_callback_register32){ CALLBACKTYPE_failsafe, 0, s, 0xc0101200u };
        r = HC(v0, __HYPERVISOR_callback_op, CALLBACKOP_register, SCRATCH, 0, 0, 0);
        ck_assert_msg(sels[i].code ? r == 0 : r == -XEN_EPERM, "callback_op(%#x) -> %ld", s, r);
        /* set_trap_table */
        struct trap_info_x86_32 *ti = g(SCRATCH);
        ti[0] = (struct trap_info_x86_32){ 6, 0, (uint16_t)s, 0xc0101300u };
        ti[1] = (struct trap_info_x86_32){ 0, 0, 0, 0 };
        av->traps[6].valid = 0;
        r = HC(v0, __HYPERVISOR_set_trap_table, SCRATCH, 0, 0, 0, 0);
        if ((s & 0xffff) == s)
            ck_assert_msg(sels[i].code ? r == 0 && av->traps[6].cs == sels[i].code : r == -XEN_EPERM && !av->traps[6].valid,
                          "set_trap_table(%#x) -> %ld", s, r);
    }
}
END_TEST

/*
 * Issue 18: the hypervisor's selectors are Xen's, in the reserved area of
 * the GDT (0xe000 and up); entries 0..0x1bff are the guest's.  While no
 * guest GDT is loaded into the CPU, no selector of the guest's part names
 * anything, so every one of them (each RPL, GDT and LDT) is refused as
 * code, stack and data selector, and so are the hypervisor's own.
 */
START_TEST(hyp_selectors)
{
    ck_assert_uint_ge(HYP_CS, 0xe000);
    ck_assert_uint_ge(HYP_DS, 0xe000);
    ck_assert_uint_ge(HYP_TSS, 0xe000);
    ck_assert_uint_eq(GDT_FIRST_RESERVED_SEL, 0xe000);
    ck_assert_uint_gt(GDT_ENTRIES, (HYP_TSS >> 3) + 1);
    ck_assert_uint_gt(GDT_ENTRIES, GUEST_RING3_DS >> 3);
    static const uint32_t hyp[] = { HYP_CS, HYP_DS, HYP_TSS, HYP_TSS + 8 };
    for (uint32_t i = 0; i < ARRAY_SIZE(hyp) * 4; i++) {
        uint32_t s = hyp[i / 4] | (i & 3), c = s, k = s, d = s;
        ck_assert_msg(!pv_code_selector(&c, true) && !pv_stack_selector(&k, true) && !pv_data_selector(&d),
                      "hypervisor selector %#x accepted", s);
    }
    for (uint32_t s = 4; s < GDT_FIRST_RESERVED_SEL; s++) {
        uint32_t c = s, k = s, d = s;
        ck_assert_msg(!pv_code_selector(&c, true), "code selector %#x accepted with no guest GDT", s);
        ck_assert_msg(!pv_stack_selector(&k, true), "stack selector %#x accepted with no guest GDT", s);
        ck_assert_msg(!pv_data_selector(&d), "data selector %#x accepted with no guest GDT", s);
    }
}
END_TEST

/* A bounce from ring 3 loads the kernel stack selector: the validated one. */
START_TEST(bounce_from_ring3_uses_checked_ss)
{
    build("mem=64M lowmem=32M vcpus=1");
    ck_assert_uint_eq(v0->arch->kernel_ss, GUEST_RING1_DS); /* the safe initial state */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_stack_switch, 0xe020, SCRATCH + 0x1000, 0, 0, 0), 0);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_stack_switch, 0x0003, SCRATCH + 0x1000, 0, 0, 0), -XEN_EPERM);
    struct trap_info_x86_32 *ti = g(SCRATCH);
    ti[0] = (struct trap_info_x86_32){ 6, 0, 0xe019, 0xc0101300u };
    ti[1] = (struct trap_info_x86_32){ 0, 0, 0, 0 };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_set_trap_table, SCRATCH, 0, 0, 0, 0), 0);
    struct trap_frame *r = vregs(v0);
    r->cs = GUEST_RING3_CS, r->ss = GUEST_RING3_DS, r->rsp = SCRATCH + 0x3000, r->rip = 0x08048000;
    ck_assert(guest_bounce(v0, 6, false, 0));
    ck_assert_uint_eq(r->ss, 0xe021);
    ck_assert_uint_eq(r->cs, 0xe019);
    ck_assert_uint_eq(r->rsp, SCRATCH + 0x1000 - 20); /* eip, cs, eflags, esp, ss */
    uint32_t *frame = g(SCRATCH + 0x1000 - 20);
    ck_assert_uint_eq(frame[0], 0x08048000);
    ck_assert_uint_eq(frame[4], GUEST_RING3_DS);
}
END_TEST

/* iret: every selector it loads is checked; a bad frame stops the domain. */
static long do_iret_frame(uint32_t cs, uint32_t ss)
{
    build("mem=64M lowmem=32M vcpus=1");
    uint32_t *f = g(SCRATCH);
    f[0] = 0x1234; f[1] = 0x08048000; f[2] = cs; f[3] = X86_EFLAGS_IF; f[4] = 0x0bfff000; f[5] = ss;
    vregs(v0)->rsp = SCRATCH;
    return HC(v0, __HYPERVISOR_iret, 0, 0, 0, 0, 0);
}
START_TEST(iret_frames)
{
    ck_assert_int_eq(do_iret_frame(0xe02b, 0xe033), 0x1234); /* eax, as the frame had it */
    ck_assert_uint_eq(vregs(v0)->ss, 0xe033);
    ck_assert_uint_eq(vregs(v0)->cs, 0xe02b);
    ck_assert_uint_eq(vregs(v0)->rax, 0x1234);
    ck_assert_int_eq(do_iret_frame(0xe019, 0), 0x1234);
    ck_assert_uint_eq(vregs(v0)->cs, 0xe019);
    static const uint32_t bad[][2] = { { 0xe02b, 0x0003 }, { 0xe02b, 0xe021 }, { 0xe02b, 0x0013 }, { 0xe02b, 0xe03b },
                                       { 0xe01a, 0 },      { 0x0008, 0 },      { 0xe033, 0xe033 }, { 0x0003, 0xe033 },
                                       { 0xe018, 0 } /* "ring 0": Xen's compat iret refuses it */ };
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        ck_assert_int_eq(do_iret_frame(bad[i][0], bad[i][1]), -1000 - KMV_EXIT_CRASH);
        ck_assert(strstr(fake_console, "stopped: iret: bad"));
    }
}
END_TEST

/* VCPUOP_initialise: every selector of the context, and what we do not give. */
START_TEST(vcpu_context_fields)
{
    build("mem=64M lowmem=32M vcpus=2");
    struct vcpu_guest_context_x86_32 *ctx = g(SCRATCH);
    for (unsigned field = 0; field < 9; field++) {
        memset(ctx, 0, sizeof(*ctx));
        ctx->user_regs.cs = 0xe019, ctx->user_regs.ss = 0xe021, ctx->kernel_ss = 0xe021;
        ctx->user_regs.ds = ctx->user_regs.es = 0xe021;
        ctx->user_regs.eip = 0xc0102000u;
        switch (field) {
        case 0: ctx->user_regs.cs = 0x0008; break;
        case 1: ctx->user_regs.ss = 0x0000; break;
        case 2: ctx->kernel_ss = 0xe033; break;
        case 3: ctx->user_regs.ds = 0x0018; break;
        case 4: ctx->user_regs.gs = 0xe01b; break;
        case 5: ctx->trap_ctxt[3] = (struct trap_info_x86_32){ 14, 0, 0x0010, 0xc0101000u }; break;
        case 6: ctx->event_callback_cs = 0xe02b, ctx->event_callback_eip = 0xc0101000u; break;
        case 7: ctx->gdt_ents = 16; break;
        case 8: ctx->ldt_ents = 1; break;
        }
        ck_assert_msg(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, SCRATCH, 0, 0) == -XEN_EINVAL, "field %u", field);
        ck_assert(!dom.vcpu[1].initialised);
    }
    memset(ctx, 0, sizeof(*ctx));
    ctx->user_regs.cs = 0xe018, ctx->user_regs.ss = 0xe020, ctx->kernel_ss = 0xe021, ctx->user_regs.fs = 0xe031;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, SCRATCH, 0, 0), 0);
    ck_assert_uint_eq(vregs(&dom.vcpu[1])->cs, 0xe019);
    ck_assert_uint_eq(vregs(&dom.vcpu[1])->ss, 0xe021);
    ck_assert_uint_eq(dom.vcpu[1].arch->fs, 0xe033);
    memset(ctx, 0, sizeof(*ctx));
    ctx->user_regs.cs = 0xe019, ctx->user_regs.ss = 0xe021, ctx->kernel_ss = 0xe021, ctx->user_regs.es = 0xe028;
    dom.vcpu[1].initialised = false;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, SCRATCH, 0, 0), 0);
    ck_assert_uint_eq(dom.vcpu[1].arch->es, 0xe02b); /* readable ring-3 code, at its DPL */
    ck_assert_uint_eq(dom.vcpu[1].arch->ds, 0);
}
END_TEST

/* update_va_mapping refuses the PTE bits it does not implement. */
START_TEST(pte_bits_refused)
{
    build("mem=64M lowmem=32M vcpus=1");
    uint64_t good = ((uint64_t)highmem_mfn(0) << PAGE_SHIFT) | X86_PTE_P | X86_PTE_W | X86_PTE_NX;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, KMV_WINDOW_BASE, (uint32_t)good, (uint32_t)(good >> 32), 0, 0), 0);
    static const uint64_t bits[] = { X86_PTE_PWT, X86_PTE_PCD, X86_PTE_PS /* PAT */, X86_PTE_G, 1ull << 9, 1ull << 10,
                                     1ull << 11, 1ull << 52, 1ull << 62 };
    uint64_t next = ((uint64_t)highmem_mfn(1) << PAGE_SHIFT) | X86_PTE_P | X86_PTE_W | X86_PTE_NX;
    for (unsigned i = 0; i < ARRAY_SIZE(bits); i++) {
        uint64_t pte = next | bits[i];
        ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, KMV_WINDOW_BASE + 4096, (uint32_t)pte,
                            (uint32_t)(pte >> 32), 0, 0), -XEN_EINVAL);
    }
    /* Not present must be all zero: a "not present" PTE with a frame is refused. */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, KMV_WINDOW_BASE, (uint32_t)(good & ~X86_PTE_P), 0, 0, 0),
                     -XEN_EINVAL);
    ck_assert_uint_eq(v0->win.stats.errors[KMAP_ERR_BAD_PTE], ARRAY_SIZE(bits) + 1);
    ck_assert_uint_eq(v0->win.depth, 1);
    ck_assert_uint_eq(v0->arch->window_pt[0], good | X86_PTE_A | X86_PTE_D);
}
END_TEST

/* A bind whose port cannot be written back is undone. */
START_TEST(bind_undone_when_unreported)
{
    build("mem=64M lowmem=32M vcpus=1");
    /* A read-only window mapping: the guest can hand us a structure we can
     * read but not write. */
    uint32_t mfn = highmem_mfn(2);
    struct evtchn_bind_virq *b = fake_phys_to_virt((uint64_t)mfn << PAGE_SHIFT);
    *b = (struct evtchn_bind_virq){ .virq = VIRQ_TIMER, .vcpu = 0 };
    ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, KMAPOP_push, mfn, 0, 0, 0), (long)(int32_t)KMV_WINDOW_BASE);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, KMV_WINDOW_BASE, 0, 0, 0), -XEN_EFAULT);
    ck_assert_uint_eq(evtchn_virq_port(&dom.evtchn, 0, VIRQ_TIMER), 0);
    struct evtchn_bind_ipi *i = (struct evtchn_bind_ipi *)b;
    *i = (struct evtchn_bind_ipi){ .vcpu = 0 };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi, KMV_WINDOW_BASE, 0, 0, 0), -XEN_EFAULT);
    /* Ports 1 and 2 are the console's and the xenstore's (the builder's). */
    for (unsigned p = 3; p < EVTCHN_PORTS; p++)
        ck_assert_uint_eq(dom.evtchn.port[p].state, ECS_FREE);
    /* Written where it can be: bound, and the port told. */
    memcpy(g(SCRATCH), b, sizeof(*b));
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi, SCRATCH, 0, 0, 0), 0);
    ck_assert_uint_eq(((struct evtchn_bind_ipi *)g(SCRATCH))->port, 3);
}
END_TEST

/* Under policy stop, every rejected window call stops the domain. */
START_TEST(stop_policy_every_command)
{
    static const uint32_t calls[][3] = {
        { KMAPOP_query, 0x1000, 0 }, { KMAPOP_stats, 0x1000, 0 }, { 77, 0, 0 }, { KMAPOP_sstep, 1, 0 },
        { KMAPOP_pop, KMV_WINDOW_BASE, 0 }, { KMAPOP_install, KMV_WINDOW_BASE, 0 },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(calls); i++) {
        build("mem=64M lowmem=32M vcpus=1 kmap.policy=stop");
        ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, calls[i][0], calls[i][1], calls[i][2], 0, 0),
                         -1000 - KMV_EXIT_CRASH);
        ck_assert(strstr(fake_console, "d0v0 stopped: kmap: "));
    }
    build("mem=64M lowmem=32M vcpus=1 kmap.policy=stop");
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, KMV_WINDOW_BASE, 0x13, 0, 0, 0), -1000 - KMV_EXIT_CRASH);
    ck_assert(strstr(fake_console, "PTE bits not implemented"));
    /* And under policy error, the same calls are errors. */
    build("mem=64M lowmem=32M vcpus=1");
    ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, KMAPOP_sstep, 1, 0, 0, 0), -XEN_EPERM);
    ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, KMAPOP_query, 0x1000, 0, 0, 0), -XEN_EFAULT);
}
END_TEST

/* Two vCPUs initialise a third at once: one wins whole, the other is told
 * it exists; never both, never a mix of the two contexts. */
static struct vcpu *racer[2];
static volatile unsigned go, done;
/* Wait for *p == want: spinning keeps the two racers' starts close; on a
 * busy machine (three spinners, two CPUs) give the CPU away now and then. */
static void wait_for(volatile unsigned *p, unsigned want)
{
    for (unsigned spins = 0; __atomic_load_n(p, __ATOMIC_ACQUIRE) != want; spins++)
        if (spins % 16384 == 16383)
            sched_yield();
        else
            __builtin_ia32_pause();
}
static long raced[2];
#define RACE_ROUNDS 4000
/* Two threads stand for two vCPUs on two CPUs; each round starts both at
 * once (they spin on the round number), as closely as threads can. */
static void *race(void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg;
    uint32_t args[5] = { VCPUOP_initialise, 1, SCRATCH + me * 0x2000, 0, 0 };
    for (unsigned round = 1; round <= RACE_ROUNDS; round++) {
        wait_for(&go, round);
        raced[me] = hypercall_call(racer[me], __HYPERVISOR_vcpu_op, args, false);
        __atomic_fetch_add(&done, 1, __ATOMIC_RELEASE);
    }
    return NULL;
}
START_TEST(initialise_race)
{
    build("mem=64M lowmem=32M vcpus=3");
    racer[0] = v0, racer[1] = &dom.vcpu[2];
    dom.vcpu[2].arch->cr3 = v0->arch->cr3; /* the same address space, for its pointers */
    for (unsigned me = 0; me < 2; me++) {
        struct vcpu_guest_context_x86_32 *ctx = g(SCRATCH + me * 0x2000);
        memset(ctx, 0, sizeof(*ctx));
        ctx->user_regs.cs = 0xe019, ctx->user_regs.ss = 0xe021, ctx->kernel_ss = 0xe021;
        for (unsigned i = 0; i < 256; i++)
            ctx->trap_ctxt[i] = (struct trap_info_x86_32){ (uint8_t)i, 0, 0xe019, 0xc0100000u + me * 0x10000 + i };
        ctx->user_regs.eip = 0xc0400000u + me, ctx->user_regs.eax = 0xa0 + me;
    }
    pthread_t th[2];
    go = done = 0;
    for (unsigned me = 0; me < 2; me++)
        pthread_create(&th[me], NULL, race, (void *)(uintptr_t)me);
    unsigned both = 0, mixed = 0;
    struct vcpu *t = &dom.vcpu[1];
    for (unsigned round = 1; round <= RACE_ROUNDS; round++) {
        t->initialised = false;
        __atomic_store_n(&go, round, __ATOMIC_RELEASE);
        wait_for(&done, 2 * round);
        unsigned w = raced[0] == 0 ? 0 : 1;
        both += raced[0] == 0 && raced[1] == 0;
        bool whole = vregs(t)->rip == 0xc0400000u + w && vregs(t)->rax == 0xa0 + w;
        for (unsigned i = 0; i < 256; i++)
            whole &= t->arch->traps[i].eip == 0xc0100000u + w * 0x10000 + i;
        mixed += !whole;
    }
    for (unsigned me = 0; me < 2; me++)
        pthread_join(th[me], NULL);
    ck_assert_msg(!both && !mixed, "%u of %u rounds: both won %u times, a mixed context %u times", both + mixed,
                  RACE_ROUNDS, both, mixed);
}
END_TEST

Suite *pv_hostile_suite(void)
{
    Suite *s = suite_create("pv-hostile");
    TCase *tc = tcase_create("attacks");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, selectors_everywhere);
    tcase_add_test(tc, hyp_selectors);
    tcase_add_test(tc, bounce_from_ring3_uses_checked_ss);
    tcase_add_test(tc, iret_frames);
    tcase_add_test(tc, vcpu_context_fields);
    tcase_add_test(tc, pte_bits_refused);
    tcase_add_test(tc, bind_undone_when_unreported);
    tcase_add_test(tc, stop_policy_every_command);
    tcase_add_test(tc, initialise_race);
    suite_add_tcase(s, tc);
    return s;
}
