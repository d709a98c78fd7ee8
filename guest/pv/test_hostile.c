/*
 * test=hostile: a hostile guest.  Every hypercall kmapvisor implements,
 * with every kind of bad argument: selectors of every ring and RPL,
 * hypervisor frames and page-table frames, buffers in the hypervisor's
 * part of the address space, unaligned or crossing a page end, huge
 * counts and out-of-range numbers, and calls racing from two vCPUs.
 *
 * Each attack prints "hostile: NAME -> got G want W ok|FAIL".  W is what a
 * correct hypervisor returns under Xen's 32-bit PV rules (the comments
 * give the rule), not what kmapvisor happens to return.  A live kmap
 * mapping of a highmem frame with a known pattern is kept across the
 * whole suite and checked after every attack.
 *
 * hostile=GROUP runs one group; without it every group that a correct
 * hypervisor survives runs.  The groups whose single attack must stop
 * the domain (a forged iret frame, a rejected window call under policy
 * stop) only run alone, each as its own boot test
 * (tests/boot/hostile-tests.txt).
 */
#include "test_hostile.h"

static unsigned attacks, failures;
static uint32_t live_va, live_pfn;
static struct kmap_window_info win;
uint32_t hostile_kstack_top;
static uint8_t kstack[2][STACK_SIZE] __attribute__((aligned(STACK_SIZE)));

/* ---- the live mapping ---- */
static uint32_t pattern(unsigned i) { return 0x5a5a0000u ^ (live_pfn * 2654435761u) ^ (i * 40503u); }

static bool live_intact(void)
{
    const volatile uint32_t *p = (const volatile uint32_t *)live_va;
    for (unsigned i = 0; i < PAGE_SIZE / 4; i += 5)
        if (p[i] != pattern(i))
            return false;
    return true;
}

static unsigned depth(void)
{
    struct kmap_window_info info;
    if (HYPERVISOR_kmap_op(KMAPOP_query, (unsigned long)&info, 0, 0, 0))
        return ~0u;
    return info.depth;
}

/* Back to exactly the live entry: a wrongly accepted push is popped. */
static bool window_restore(void)
{
    unsigned d = depth();
    bool ok = d == 1;
    while (d != ~0u && d > 1 && d <= win.nslots) {
        HYPERVISOR_kmap_op(KMAPOP_pop, win.base + (d - 1) * win.stride, 0, 0, 0);
        d = depth();
    }
    return ok;
}

void hostile_report(const char *name, long got, long want)
{
    bool same = got == want;
    bool live = live_intact();
    bool window = window_restore();
    attacks++;
    if (!same || !live || !window)
        failures++;
    printk("hostile: %s -> got %ld want %ld %s%s%s\n", name, got, want, same && live && window ? "ok" : "FAIL",
           live ? "" : " (the live kmap mapping lost its contents)",
           window ? "" : " (the window depth changed)");
}

void hostile_reportf(long got, long want, const char *fmt, ...)
{
    char name[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof(name), fmt, ap);
    va_end(ap);
    hostile_report(name, got, want);
}

void hostile_restore(void)
{
    plat_traps_init(); /* the kernel's trap table and callbacks */
    hypercall2(__HYPERVISOR_stack_switch, FLAT_RING1_DS, hostile_kstack_top);
}

/* ---- selectors ---- */
const uint16_t hostile_sels[] = {
    0x0000, 0x0001, 0x0002, 0x0003,         /* null, every RPL */
    0x0004, 0x0007,                         /* LDT entry 0 (kmapvisor: no LDT) */
    0x0008, 0x0009, 0x000a, 0x000b,         /* guest GDT slots (the hypervisor's until issue 18, */
    0x0010, 0x0011, 0x0013,                 /* now the guest's: no guest GDT is loaded, */
    0x0018, 0x0019, 0x001b, 0x0020,         /* so they name nothing the guest may use) */
    0x0100, 0x0103, 0x1ff8, 0xdffb,         /* more guest GDT slots, up to the last (0x1bff) */
    0xe000, 0xe003,                         /* the first reserved entry (empty) */
    0xe008, 0xe009, 0xe00b,                 /* the hypervisor's 64-bit code (HYP_CS) */
    0xe010, 0xe011, 0xe013,                 /* the hypervisor's data (HYP_DS) */
    0xe018, 0xe019, 0xe01a, 0xe01b,         /* flat ring-1 code, every RPL */
    0xe01c, 0xe01d,                         /* the same index in the LDT */
    0xe020, 0xe021, 0xe022, 0xe023,         /* flat ring-1 data */
    0xe028, 0xe029, 0xe02a, 0xe02b,         /* flat ring-3 code */
    0xe030, 0xe031, 0xe032, 0xe033,         /* flat ring-3 data */
    0xe038, 0xe03b,                         /* an empty reserved slot */
    0xe040, 0xe041, 0xe043, 0xe048,         /* the hypervisor's TSS (HYP_TSS, both halves) */
    0xe050, 0xe053,                         /* past the end of the GDT */
    0xfff8, 0xffff,                         /* the last selector */
};
const unsigned hostile_nr_sels = ARRAY_SIZE(hostile_sels);

bool hostile_code_ok(uint16_t sel) { return sel == 0xe018 || sel == 0xe019; }
bool hostile_stack_ok(uint16_t sel) { return sel == 0xe020 || sel == 0xe021; }
/* Data selectors (ds, es, fs, gs of a context): null, or a flat data or
 * readable code segment whose DPL allows the RPL (ring-1 data at RPL
 * 0 or 1, ring-3 segments at any RPL). */
bool hostile_data_ok(uint16_t sel)
{
    uint16_t i = sel & ~3u;
    return i == 0 || i == 0xe028 || i == 0xe030 || (i == 0xe020 && (sel & 3) <= 1);
}

extern char upcall_entry[];

void hostile_ud2(void)
{
    __asm__ volatile("ud2");
}

/* Group "selectors": every selector through every call that stores one.
 * Xen: set_trap_table, set_callbacks and callback_op fix up RPL 0 to 1
 * (fixup_guest_code_selector) and must then name a code segment the
 * guest kernel may use (guest_gate_selector_okay: the flat kernel CS or
 * the guest's own descriptors, of which kmapvisor has none): else
 * -EPERM.  stack_switch fixes up RPL 0 to 1 (fixup_guest_stack_selector)
 * and must name the ring-1 data segment: else -EPERM. */
static void group_selectors(void)
{
    for (unsigned i = 0; i < hostile_nr_sels; i++) {
        uint16_t s = hostile_sels[i];
        long want = hostile_code_ok(s) ? 0 : E(EPERM);
        trap_info_t t[2] = { { 6, 0, s, (unsigned long)hostile_catch_6 }, { 0, 0, 0, 0 } };
        hostile_reportf(HYPERVISOR_set_trap_table(t), want, "set_trap_table(#UD cs=%04x)", s);
        if (hostile_code_ok(s)) { /* accepted: the handler runs, in ring 1 */
            hostile_caught_cs = 0;
            hostile_reportf(hostile_try(hostile_ud2), CAUGHT(6), "#UD through cs=%04x", s);
            hostile_reportf(hostile_caught_cs, FLAT_RING1_CS, "#UD handler's cs after cs=%04x", s);
        }
        hostile_restore();
        hostile_reportf(HYPERVISOR_set_callbacks(s, upcall_entry, FLAT_RING1_CS, upcall_entry), want,
                        "set_callbacks(event cs=%04x)", s);
        hostile_restore();
        hostile_reportf(HYPERVISOR_set_callbacks(FLAT_RING1_CS, upcall_entry, s, upcall_entry), want,
                        "set_callbacks(failsafe cs=%04x)", s);
        hostile_restore();
        for (uint16_t type = CALLBACKTYPE_event; type <= CALLBACKTYPE_failsafe; type++) {
            struct { uint16_t type, flags; uint32_t cs, eip; } cb = { type, 0, s, (uint32_t)upcall_entry };
            hostile_reportf(hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_register, &cb), want,
                            "callback_op(register %s cs=%04x)", type ? "failsafe" : "event", s);
            hostile_restore();
        }
        hostile_reportf(hypercall2(__HYPERVISOR_stack_switch, s, hostile_kstack_top),
                        hostile_stack_ok(s) ? 0 : E(EPERM), "stack_switch(ss=%04x)", s);
        hostile_restore();
    }
    /* callback_op: a type a 32-bit guest lacks (syscall is x86-64's), one
     * kmapvisor does not support (syscall32, sysenter: no fast system
     * calls from ring 3) or an unknown one is -ENOSYS, as Xen's compat
     * callbacks answer a type they lack; an unknown flag
     * -EINVAL; an unknown command -ENOSYS.  nmi is taken, and the only
     * type that can be unregistered. */
    static const struct { uint16_t type, flags; long want, unreg; } types[] = {
        { CALLBACKTYPE_syscall, 0, E(ENOSYS), E(ENOSYS) }, { CALLBACKTYPE_nmi, 0, 0, 0 },
        { CALLBACKTYPE_syscall32, CALLBACKF_mask_events, E(ENOSYS), E(EINVAL) }, { CALLBACKTYPE_sysenter, 0, E(ENOSYS), E(EINVAL) },
        { CALLBACKTYPE_event, 2, E(EINVAL), E(EINVAL) }, { 99, 0, E(ENOSYS), E(ENOSYS) },
        { 0xffff, 0, E(ENOSYS), E(ENOSYS) },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(types); i++) {
        struct { uint16_t type, flags; uint32_t cs, eip; } cb = { types[i].type, types[i].flags, FLAT_RING1_CS,
                                                                  (uint32_t)upcall_entry };
        hostile_reportf(hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_register, &cb), types[i].want,
                        "callback_op(register type %u flags %u)", types[i].type, types[i].flags);
        hostile_reportf(hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_unregister, &cb), types[i].unreg,
                        "callback_op(unregister type %u)", types[i].type);
        hostile_restore();
    }
    struct { uint16_t type, flags; uint32_t cs, eip; } cb = { 0, 0, FLAT_RING1_CS, (uint32_t)upcall_entry };
    hostile_report("callback_op(cmd 99)", hypercall2(__HYPERVISOR_callback_op, 99, &cb), E(ENOSYS));
    hostile_report("callback_op(cmd 0xffffffff)", hypercall2(__HYPERVISOR_callback_op, 0xffffffffu, &cb), E(ENOSYS));
}

/* ---- groups defined in the other files ---- */
void hostile_group_buffers(void);
void hostile_group_numbers(void);
void hostile_group_kmap(void);
void hostile_group_events(void);
void hostile_group_vcpu(void);
void hostile_group_race(void);
void hostile_group_kstack(void);
void hostile_group_trapcs(void);
void hostile_group_iret(void);
void hostile_group_umip(void);
void hostile_group_ctxup(void);
void hostile_group_xenpv(void);
void hostile_group_xenstore_garbage(void);
void hostile_group_hypframes(void);
void hostile_group_debugreg(void);
void hostile_group_ptwr(void);
bool hostile_stop_group(const char *name);

struct group {
    const char *name;
    void (*fn)(void);
    unsigned min_vcpus;
    bool alone; /* only with hostile=NAME */
};
static const struct group groups[] = {
    { "selectors", group_selectors, 1, false },
    { "buffers", hostile_group_buffers, 2, false },
    { "numbers", hostile_group_numbers, 1, false },
    { "kmap", hostile_group_kmap, 1, false },
    { "events", hostile_group_events, 1, false },
    { "iret", hostile_group_iret, 1, false },
    { "kstack", hostile_group_kstack, 1, false },
    { "trapcs", hostile_group_trapcs, 1, false },
    { "umip", hostile_group_umip, 1, false },
    { "vcpu", hostile_group_vcpu, 2, false },
    { "race", hostile_group_race, 4, false },
    { "ctxup", hostile_group_ctxup, 2, true },
    { "xenpv", hostile_group_xenpv, 1, false },
    { "xenstore-garbage", hostile_group_xenstore_garbage, 1, true },
    { "hypframes", hostile_group_hypframes, 1, false },
    { "debugreg", hostile_group_debugreg, 1, false },
    { "ptwr", hostile_group_ptwr, 1, false },
};

_Noreturn void test_hostile(void);
_Noreturn void test_hostile(void)
{
    char which[32] = "all";
    boot_arg("hostile", which, sizeof(which));
    HYPERVISOR_kmap_op(KMAPOP_query, (unsigned long)&win, 0, 0, 0);
    hostile_kstack_top = (uint32_t)(kstack[smp_processor_id() & 1] + STACK_SIZE);
    hypercall2(__HYPERVISOR_stack_switch, FLAT_RING1_DS, hostile_kstack_top);

    /* The live mapping: a highmem frame at slot 0, for the whole suite. */
    live_pfn = kmv_ext->first_highmem_pfn + 300;
    long va = HYPERVISOR_kmap_op(KMAPOP_push, hostile_mfn(live_pfn), KMAP_PROT_WRITE, 0, 0);
    if ((unsigned long)va > (unsigned long)-4096)
        guest_panic("hostile: cannot set up the live mapping: %ld", va);
    live_va = (uint32_t)va;
    for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
        ((volatile uint32_t *)live_va)[i] = pattern(i);
    printk("guest: hostile: live kmap of pfn %u at %x, window %u slots, %u vCPUs, group %s\n", live_pfn,
           live_va, win.nslots, plat.nr_cpus, which);

    bool all = !strcmp(which, "all"), found = false;
    for (unsigned i = 0; i < ARRAY_SIZE(groups); i++) {
        if (all ? groups[i].alone : strcmp(which, groups[i].name) != 0)
            continue;
        found = true;
        if (plat.nr_cpus < groups[i].min_vcpus) {
            printk("guest: hostile: group %s needs %u vCPUs: skipped\n", groups[i].name, groups[i].min_vcpus);
            continue;
        }
        printk("guest: hostile: group %s\n", groups[i].name);
        groups[i].fn();
    }
    if (!found && !hostile_stop_group(which))
        guest_panic("hostile: unknown group '%s'", which);
    printk("guest: result: %s (%u attacks, %u failures)\n", failures ? "FAIL" : "PASS", attacks, failures);
    plat_shutdown(!failures);
}
