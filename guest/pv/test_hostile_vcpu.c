/*
 * test=hostile: vCPU contexts, races between vCPUs, selectors that reach
 * the exit path (kernel stack, trap table, iret frames), and the groups
 * whose one attack must stop the domain.  See test_hostile.c.
 */
#include "test_hostile.h"

static vcpu_guest_context_t ctx;
extern char upcall_entry[];

static void good_context(void *stack_top)
{
    extern char secondary_entry[];
    memset(&ctx, 0, sizeof(ctx));
    ctx.user_regs.eip = (unsigned long)secondary_entry;
    ctx.user_regs.esp = (unsigned long)stack_top;
    ctx.user_regs.cs = FLAT_RING1_CS;
    ctx.user_regs.ss = FLAT_RING1_DS;
    ctx.user_regs.ds = ctx.user_regs.es = FLAT_RING1_DS;
    ctx.user_regs.eflags = 1 << 9;
    ctx.kernel_ss = FLAT_RING1_DS;
    ctx.kernel_sp = (unsigned long)stack_top;
    /* Real callbacks: a zero address means "none", whose selector a
     * hypervisor need not check (the kernel's own contexts leave both 0). */
    ctx.event_callback_cs = ctx.failsafe_callback_cs = FLAT_RING1_CS;
    ctx.event_callback_eip = ctx.failsafe_callback_eip = (unsigned long)upcall_entry;
}

static uint8_t vstack[STACK_SIZE] __attribute__((aligned(STACK_SIZE)));

/* Group "vcpu": VCPUOP_initialise of a down vCPU with one bad field at a
 * time.  Xen (arch_set_info_guest): selectors get RPL 0 fixed up to 1;
 * a context that cannot be loaded is refused with -EINVAL and leaves the
 * vCPU as it was (still uninitialised: a later good context succeeds).
 * kmapvisor has no guest LDT or GDT frames: ldt_ents or gdt_ents is
 * -EINVAL. */
void hostile_group_vcpu(void)
{
    unsigned t = plat.nr_cpus - 1;
    enum { F_CS, F_SS, F_KSS, F_ECS, F_FCS, F_TRAP, F_DS, F_GS, NF };
    static const char *const fname[NF] = { "cs", "ss", "kernel_ss", "event_callback_cs", "failsafe_callback_cs",
                                           "trap_ctxt[6].cs", "ds", "gs" };
    /* field=N: only that field's rows (an accepted bad context
     * initialises the vCPU, and every later row then sees -EEXIST). */
    unsigned long only = boot_arg_uint("field", ~0ul);
    hostile_reportf(HYPERVISOR_vcpu_op(VCPUOP_up, t, NULL), E(EINVAL), "vcpu_op(up v%u before initialise)", t);
    for (unsigned f = 0; f < NF; f++) {
        if (only != ~0ul && only != f)
            continue;
        for (unsigned i = 0; i < hostile_nr_sels; i++) {
            uint16_t s = hostile_sels[i];
            bool ok = f <= F_KSS && f != F_CS ? hostile_stack_ok(s)
                    : f >= F_DS                ? hostile_data_ok(s)
                                               : hostile_code_ok(s);
            if (ok)
                continue; /* a good context would initialise the vCPU */
            good_context(vstack + STACK_SIZE);
            switch (f) {
            case F_CS: ctx.user_regs.cs = s; break;
            case F_SS: ctx.user_regs.ss = s; break;
            case F_KSS: ctx.kernel_ss = s; break;
            case F_ECS: ctx.event_callback_cs = s; break;
            case F_FCS: ctx.failsafe_callback_cs = s; break;
            case F_TRAP: ctx.trap_ctxt[0] = (trap_info_t){ 6, 0, s, (unsigned long)hostile_catch_6 }; break;
            case F_DS: ctx.user_regs.ds = s; break;
            default: ctx.user_regs.gs = s; break;
            }
            hostile_reportf(HYPERVISOR_vcpu_op(VCPUOP_initialise, t, &ctx), E(EINVAL), "initialise(v%u %s=%04x)", t,
                            fname[f], s);
        }
    }
    if (only != ~0ul && only != NF)
        return; /* field=8: only what follows */
    good_context(vstack + STACK_SIZE);
    ctx.ldt_ents = 1;
    ctx.ldt_base = 0xc0000000u;
    hostile_reportf(HYPERVISOR_vcpu_op(VCPUOP_initialise, t, &ctx), E(EINVAL), "initialise(v%u ldt_ents=1)", t);
    good_context(vstack + STACK_SIZE);
    ctx.gdt_ents = 16;
    ctx.gdt_frames[0] = 0x100;
    hostile_reportf(HYPERVISOR_vcpu_op(VCPUOP_initialise, t, &ctx), E(EINVAL), "initialise(v%u gdt_ents=16, a hypervisor frame)", t);
    static const uint32_t ids[] = { 16, 99, 0x80000000u, 0xffffffffu };
    good_context(vstack + STACK_SIZE);
    for (unsigned i = 0; i < ARRAY_SIZE(ids); i++)
        hostile_reportf(HYPERVISOR_vcpu_op(VCPUOP_initialise, ids[i], &ctx), E(ENOENT), "initialise(vcpu %u)", ids[i]);
    hostile_report("initialise(v0, the running vCPU)", HYPERVISOR_vcpu_op(VCPUOP_initialise, 0, &ctx), E(EEXIST));
    hostile_reportf(HYPERVISOR_vcpu_op(VCPUOP_down, t, NULL), E(EINVAL), "vcpu_op(down v%u, not self)", t);
    hostile_reportf(HYPERVISOR_vcpu_op(VCPUOP_is_up, t, NULL), 0, "vcpu_op(is_up v%u)", t);
    uint32_t timer[3] = { 1, 0, 0 };
    hostile_reportf(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, t, timer), E(EINVAL), "set_singleshot_timer(v%u, not self)", t);
    hostile_reportf(HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, t, NULL), E(EINVAL), "stop_singleshot_timer(v%u, not self)", t);
    hostile_reportf(HYPERVISOR_vcpu_op(99, 0, NULL), E(ENOSYS), "vcpu_op(cmd 99)");
    hostile_reportf(HYPERVISOR_vcpu_op(0x7fffffff, 0, NULL), E(ENOSYS), "vcpu_op(cmd 0x7fffffff)");
    /* After all the refusals the vCPU is still fresh: a good context
     * (with RPL-0 selectors, fixed up) is taken once. */
    good_context(vstack + STACK_SIZE);
    ctx.user_regs.cs = 0xe018;
    ctx.kernel_ss = 0xe020;
    hostile_reportf(HYPERVISOR_vcpu_op(VCPUOP_initialise, t, &ctx), 0, "initialise(v%u good context, RPL 0)", t);
    hostile_reportf(HYPERVISOR_vcpu_op(VCPUOP_initialise, t, &ctx), E(EEXIST), "initialise(v%u again)", t);
}

/* Group "race": vCPU 0 and vCPU 1 call the same thing at the same time.
 * Xen: VCPUOP_initialise takes the target's lock and checks "already
 * initialised" under it, so exactly one of two racing calls succeeds and
 * the other gets -EEXIST; two binds never share a port. */
static volatile unsigned race_round, race_ready, race_done;
static volatile long race_result[2];
static volatile unsigned race_target;
static vcpu_guest_context_t race_ctx[2];
static uint32_t race_ports[2][16];
static uint8_t race_stack[STACK_SIZE] __attribute__((aligned(STACK_SIZE)));
static uint8_t target_stack[STACK_SIZE] __attribute__((aligned(STACK_SIZE)));

static void race_call(unsigned me, unsigned round)
{
    if (round < 100) {
        race_result[me] = HYPERVISOR_vcpu_op(VCPUOP_initialise, race_target, &race_ctx[me]);
    } else {
        for (unsigned i = 0; i < 16; i++) {
            evtchn_bind_ipi_t b = { .vcpu = me };
            race_ports[me][i] = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &b) ? 0 : b.port;
        }
        race_result[me] = 0;
    }
}

void hostile_race_entry(void);
void hostile_race_entry(void)
{
    plat_traps_init();
    for (unsigned seen = 0;;) {
        unsigned r;
        while ((r = READ_ONCE(race_round)) == seen)
            cpu_relax();
        seen = r;
        __atomic_fetch_add(&race_ready, 1, __ATOMIC_SEQ_CST);
        while (READ_ONCE(race_ready) < 2)
            cpu_relax();
        race_call(1, r);
        __atomic_fetch_add(&race_done, 1, __ATOMIC_SEQ_CST);
    }
}

static void race_once(unsigned round)
{
    race_ready = 0;
    race_done = 0;
    __atomic_store_n(&race_round, round, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&race_ready, 1, __ATOMIC_SEQ_CST);
    while (READ_ONCE(race_ready) < 2)
        cpu_relax();
    race_call(0, round);
    while (READ_ONCE(race_done) < 1)
        cpu_relax();
}

void hostile_group_race(void)
{
    /* vCPU 1 runs the other side; the targets are 2 .. n-2 (n-1 is the
     * vcpu group's). */
    cpu_set_thread_info(race_stack, 1);
    memset(&ctx, 0, sizeof(ctx));
    good_context(race_stack + STACK_SIZE);
    ctx.user_regs.eip = (unsigned long)hostile_race_entry;
    if (HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctx) || HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL)) {
        hostile_report("race: start vCPU 1", -1, 0);
        return;
    }
    for (unsigned t = 2; t + 1 < plat.nr_cpus; t++) {
        for (unsigned me = 0; me < 2; me++) {
            good_context(target_stack + STACK_SIZE);
            race_ctx[me] = ctx;
        }
        race_target = t;
        race_once(t);
        long a = race_result[0], b = race_result[1];
        /* exactly one 0 and one -EEXIST: report the pair as one number */
        long got = (a == 0) + (b == 0) * 2 + (a == E(EEXIST)) * 4 + (b == E(EEXIST)) * 8;
        hostile_reportf(got == 9 || got == 6 ? 1 : got, 1, "race: initialise(v%u) from v0 and v1 (got %ld and %ld)", t, a, b);
    }
    race_once(100);
    unsigned dup = 0, zero = 0;
    for (unsigned i = 0; i < 32; i++) {
        uint32_t p = race_ports[i / 16][i % 16];
        zero += p == 0;
        for (unsigned j = i + 1; j < 32; j++)
            dup += p && p == race_ports[j / 16][j % 16];
    }
    hostile_report("race: 2 x 16 bind_ipi from v0 and v1, duplicate ports", dup, 0);
    hostile_report("race: 2 x 16 bind_ipi from v0 and v1, failed binds", zero, 0);
    for (unsigned i = 0; i < 32; i++)
        if (race_ports[i / 16][i % 16])
            HYPERVISOR_event_channel_op(EVTCHNOP_close, &race_ports[i / 16][i % 16]);
}

/* ---- selectors that reach the exit path ---- */
static const trap_info_t catch_table[] = {
    { 3, 3, FLAT_RING1_CS, (unsigned long)hostile_catch_3 },
    { 6, 0, FLAT_RING1_CS, (unsigned long)hostile_catch_6 },
    { 13, 0, FLAT_RING1_CS, (unsigned long)hostile_catch_13 },
    { 14, 0, FLAT_RING1_CS, (unsigned long)hostile_catch_14 },
    { 0, 0, 0, 0 },
};

/* 0x000b-0x0013: guest GDT slots, no guest GDT loaded; 0xe009, 0xe011,
 * 0xe041: the hypervisor's code, data and TSS. */
static const uint16_t exit_sels[] = { 0x0000, 0x0003, 0x000b, 0x0010, 0x0013, 0xe009, 0xe011, 0xe019, 0xe01b, 0xe022,
                                      0xe023, 0xe029, 0xe02b, 0xe031, 0xe033, 0xe03b, 0xe041 };

/* Group "kstack": a trap from ring 3 is delivered on the kernel stack
 * of stack_switch.  A refused selector (see group "selectors") must
 * leave the previous one in force, so the trap still arrives, on the
 * flat ring-1 stack.  Where the hypervisor took the bad selector, the
 * exit path faults on it: that must stop the domain, never panic. */
void hostile_group_kstack(void)
{
    unsigned long only = boot_arg_uint("sel", ~0ul);
    HYPERVISOR_set_trap_table(catch_table);
    for (unsigned i = 0; i < ARRAY_SIZE(exit_sels) + 2; i++) {
        uint16_t s = i == 0 ? FLAT_RING1_DS : i == 1 ? 0xe020 : exit_sels[i - 2];
        if (only != ~0ul && s != only)
            continue;
        hypercall2(__HYPERVISOR_stack_switch, FLAT_RING1_DS, hostile_kstack_top);
        hostile_reportf(hypercall2(__HYPERVISOR_stack_switch, s, hostile_kstack_top), hostile_stack_ok(s) ? 0 : E(EPERM),
                        "stack_switch(ss=%04x) before a ring-3 trap", s);
        hostile_caught_ss = 0;
        hostile_reportf(hostile_try(hostile_ring3), CAUGHT(14), "#PF from ring 3 after stack_switch(ss=%04x)", s);
        hostile_reportf(hostile_caught_ss, FLAT_RING1_DS, "kernel ss of that #PF after stack_switch(ss=%04x)", s);
    }
    hostile_restore();
}

/* Group "trapcs": a trap-table handler is entered with the table's code
 * selector.  A refused one leaves the previous handler in force. */
void hostile_group_trapcs(void)
{
    unsigned long only = boot_arg_uint("sel", ~0ul);
    for (unsigned i = 0; i < ARRAY_SIZE(exit_sels); i++) {
        uint16_t s = exit_sels[i];
        if (only != ~0ul && s != only)
            continue;
        HYPERVISOR_set_trap_table(catch_table);
        trap_info_t t[2] = { { 6, 0, s, (unsigned long)hostile_catch_6 }, { 0, 0, 0, 0 } };
        hostile_reportf(HYPERVISOR_set_trap_table(t), hostile_code_ok(s) ? 0 : E(EPERM), "set_trap_table(#UD cs=%04x) before a #UD", s);
        hostile_caught_cs = 0;
        hostile_reportf(hostile_try(hostile_ud2), CAUGHT(6), "#UD after set_trap_table(cs=%04x)", s);
        hostile_reportf(hostile_caught_cs, FLAT_RING1_CS, "#UD handler's cs after set_trap_table(cs=%04x)", s);
    }
    hostile_restore();
}

/* ---- iret ---- */
static uint32_t iret_frame[8];
static uint16_t iret_cs, iret_ss;
static bool iret_ring3;
static void do_iret(void)
{
    uint32_t *f = iret_frame;
    f[0] = 0x1234;                           /* eax */
    f[1] = (uint32_t)hostile_iret_landing;   /* eip */
    f[2] = iret_cs;
    f[3] = 0x202;
    if (iret_ring3) {
        extern char hostile_ring3_target[];
        f[1] = (uint32_t)hostile_ring3_target; /* ring 3 cannot fetch it: #PF back to us */
        f[4] = hostile_kstack_top - 64;
        f[5] = iret_ss;
    }
    hostile_iret_frame(f);
}

/* Group "iret": frames Xen takes (compat_iret): a ring-1 return pops
 * eax, eip, cs, eflags; a ring-3 return esp and ss too. */
void hostile_group_iret(void)
{
    HYPERVISOR_set_trap_table(catch_table);
    static const struct { uint16_t cs, ss; bool r3; long want; uint16_t want_cs; } ok[] = {
        { 0xe019, 0, false, LANDED, 0xe019 },
        { 0xe02b, 0xe033, true, CAUGHT(14), 0xe019 },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(ok); i++) {
        iret_cs = ok[i].cs;
        iret_ss = ok[i].ss;
        iret_ring3 = ok[i].r3;
        hostile_caught_cs = 0;
        hostile_reportf(hostile_try(do_iret), ok[i].want, "iret(cs=%04x ss=%04x)", ok[i].cs, ok[i].ss);
        hostile_reportf(hostile_caught_cs, ok[i].want_cs, "cs back in ring 1 after iret(cs=%04x)", ok[i].cs);
    }
    hostile_restore();
}

/* ---- groups whose one attack must stop the domain ---- */
static _Noreturn void must_have_stopped(const char *name, long got)
{
    printk("hostile: %s -> got %ld want %ld FAIL (the domain was not stopped)\n", name, got, STOP);
    printk("guest: result: FAIL (1 attacks, 1 failures)\n");
    plat_shutdown(false);
}

/* Xen's compat_iret crashes the domain on an unreadable frame and on a
 * ring-0 code selector (RPL 0: no fix-up here, unlike the trap table).
 * Any other frame whose selectors cannot be loaded (a code selector that
 * is not the guest's ring-1 or ring-3 code at its own RPL, a ring-3
 * return whose stack selector is not ring-3 data) faults in Xen's exit
 * path, which reflects a #GP to the guest; kmapvisor stops the domain
 * instead, with a diagnostic naming the iret, and never panics. */
static const struct { const char *name; uint16_t cs, ss; bool r3; } iret_stops[] = {
    { "iret-cs-0000", 0x0000, 0, false },  { "iret-cs-0008", 0x0008, 0, false },
    { "iret-cs-000b", 0x000b, 0, false },  { "iret-cs-e018", 0xe018, 0, false },
    { "iret-cs-e01a", 0xe01a, 0, false },
    { "iret-cs-e01b", 0xe01b, 0, false },  { "iret-cs-e021", 0xe021, 0, false },
    { "iret-cs-e028", 0xe028, 0, false },  { "iret-cs-e029", 0xe029, 0, false },
    { "iret-cs-e02a", 0xe02a, 0, false },  { "iret-ss-0000", 0xe02b, 0x0000, true },
    { "iret-ss-0013", 0xe02b, 0x0013, true }, { "iret-ss-e021", 0xe02b, 0xe021, true },
    { "iret-ss-e023", 0xe02b, 0xe023, true }, { "iret-ss-e02b", 0xe02b, 0xe02b, true },
    { "iret-ss-e03b", 0xe02b, 0xe03b, true },
    /* the hypervisor's code (HYP_CS at the guest kernel's RPL) and data
     * (HYP_DS at RPL 3) */
    { "iret-cs-e009", 0xe009, 0, false },  { "iret-ss-e013", 0xe02b, 0xe013, true },
};

bool hostile_stop_group(const char *name)
{
    HYPERVISOR_set_trap_table(catch_table);
    for (unsigned i = 0; i < ARRAY_SIZE(iret_stops); i++)
        if (!strcmp(name, iret_stops[i].name)) {
            printk("guest: hostile: stop group %s: forged iret frame cs %04x ss %04x\n", name, iret_stops[i].cs,
                   iret_stops[i].ss);
            iret_cs = iret_stops[i].cs;
            iret_ss = iret_stops[i].ss;
            iret_ring3 = iret_stops[i].r3;
            must_have_stopped(name, hostile_try(do_iret));
        }
    if (!strcmp(name, "iret-frame-unmapped")) {
        printk("guest: hostile: stop group %s: iret with the frame at 0x1000\n", name);
        hostile_iret_frame((uint32_t *)0x1000);
    }
    /* Under kmap.policy=stop every rejected window call stops the domain,
     * whatever the command. */
    struct kmap_window_info w;
    HYPERVISOR_kmap_op(KMAPOP_query, (unsigned long)&w, 0, 0, 0);
    static const struct { const char *name; uint32_t cmd, a1; } kstops[] = {
        { "stop-query", KMAPOP_query, 0x1000 },   { "stop-stats", KMAPOP_stats, 0x1000 },
        { "stop-unknown", 77, 0 },                { "stop-sstep", KMAPOP_sstep, 1 },
        { "stop-install", KMAPOP_install, 0 },    { "stop-push", KMAPOP_push, 0x100 },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(kstops); i++)
        if (!strcmp(name, kstops[i].name)) {
            printk("guest: hostile: stop group %s (policy %s)\n", name, (w.flags & KMAP_WIN_STOP) ? "stop" : "error");
            must_have_stopped(name, HYPERVISOR_kmap_op(kstops[i].cmd, kstops[i].a1, 0, 0, 0));
        }
    if (!strcmp(name, "stop-uvm-pwt")) {
        uint64_t pte = ((uint64_t)hostile_mfn(kmv_ext->first_highmem_pfn + 302) << PAGE_SHIFT) | 3 | 8 | (1ull << 63);
        must_have_stopped(name, HYPERVISOR_update_va_mapping(w.base + w.stride, pte, UVMF_INVLPG));
    }
    return false;
}

/* Group "umip": SGDT, SIDT, SLDT, SMSW and STR from ring 1.  Where the CPU
 * has UMIP (CPUID.7.0:ECX[2]) the hypervisor turns it on and each is a
 * #GP, delivered to the guest; without it they run and show the host's
 * descriptor-table addresses: reported, not counted as failures. */
static volatile uint8_t umip_buf[16];
static void do_sgdt(void) { __asm__ volatile("sgdt %0" : "=m"(umip_buf)); }
static void do_sidt(void) { __asm__ volatile("sidt %0" : "=m"(umip_buf)); }
static void do_sldt(void) { __asm__ volatile("sldt %0" : "=m"(*(volatile uint16_t *)umip_buf)); }
static void do_smsw(void) { __asm__ volatile("smsw %0" : "=m"(*(volatile uint16_t *)umip_buf)); }
static void do_str(void) { __asm__ volatile("str %0" : "=m"(*(volatile uint16_t *)umip_buf)); }

void hostile_group_umip(void)
{
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
    bool umip = false;
    if (a >= 7) {
        __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
        umip = (c >> 2) & 1;
    }
    HYPERVISOR_set_trap_table(catch_table);
    static const struct { const char *name; void (*fn)(void); } ins[] = {
        { "sgdt", do_sgdt }, { "sidt", do_sidt }, { "sldt", do_sldt }, { "smsw", do_smsw }, { "str", do_str },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(ins); i++) {
        memset((void *)umip_buf, 0, sizeof(umip_buf));
        long r = hostile_try(ins[i].fn);
        if (umip) {
            hostile_reportf(r, CAUGHT(13), "%s from ring 1 (UMIP)", ins[i].name);
        } else {
            uint32_t lo = *(volatile uint32_t *)umip_buf, hi = *(volatile uint32_t *)(umip_buf + 4);
            printk("hostile: %s from ring 1 -> ran (no UMIP on this CPU): leaks %08x %08x\n", ins[i].name, lo, hi);
            /* What leaks shows the layout: the hypervisor's TSS selector
             * and the end of its GDT are in the reserved area (0xe000+),
             * never in the guest's part (issue 18). */
            if (do_str == ins[i].fn)
                hostile_reportf((lo & 0xffff) >= 0xe000, 1, "str from ring 1: TSS selector %04x in the reserved area",
                                lo & 0xffff);
            if (do_sgdt == ins[i].fn)
                hostile_reportf((lo & 0xffff) >= 0xe000, 1, "sgdt from ring 1: GDT limit %04x covers the reserved area",
                                lo & 0xffff);
        }
    }
    hostile_restore();
}

/* Group "ctxup" (run alone: it uses vCPU 1): a context whose data
 * selector the exit path would load, brought up.  A correct hypervisor
 * refuses the context (-EINVAL, see group vcpu).  One that took it must
 * at worst stop the domain when vCPU 1 is entered (the segment loads of
 * the exit path have fault fixups), never panic. */
void hostile_idle_entry(void);
void hostile_idle_entry(void)
{
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

void hostile_group_ctxup(void)
{
    static const uint16_t bad_ds[] = { 0x0013 };
    for (unsigned i = 0; i < ARRAY_SIZE(bad_ds); i++) {
        good_context(vstack + STACK_SIZE);
        ctx.user_regs.eip = (unsigned long)hostile_idle_entry;
        ctx.user_regs.ds = bad_ds[i];
        long r = HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctx);
        hostile_reportf(r, E(EINVAL), "initialise(v1 ds=%04x) before bringing it up", bad_ds[i]);
        if (r == 0) {
            HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL);
            uint64_t t0 = system_time_ns();
            while (system_time_ns() - t0 < 200000000ull)
                HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
            hostile_report("v1 up with that context: still running", 1, 1);
        }
    }
}
