/*
 * test=hostile: bad buffers, bad numbers, the kmap window, event
 * channels.  See test_hostile.c.
 */
#include "test_hostile.h"
#include <xen/memory.h>

static struct kmap_window_info winfo(void)
{
    struct kmap_window_info w;
    HYPERVISOR_kmap_op(KMAPOP_query, (unsigned long)&w, 0, 0, 0);
    return w;
}

static uint32_t lowmem_end(void) { return kmv_ext->virt_base + kmv_ext->lowmem_pages * PAGE_SIZE; }

/* A read-only view of a lowmem page through the window (slot 1): the
 * only read-only guest memory there is.  Popped by the report. */
static uint8_t ro_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static void ro_unview(uint32_t va)
{
    if (va != 0x1000)
        HYPERVISOR_kmap_op(KMAPOP_pop, va, 0, 0, 0);
}
static uint32_t ro_view(void)
{
    uint32_t pfn = ((uint32_t)ro_page - kmv_ext->virt_base) >> PAGE_SHIFT;
    long va = HYPERVISOR_kmap_op(KMAPOP_push, hostile_mfn(pfn), 0, 0, 0);
    return (unsigned long)va > (unsigned long)-4096 ? 0x1000 : (uint32_t)va;
}

/* Group "buffers": every call that takes a guest buffer, with every kind
 * of bad buffer.  Xen: copy_from_guest/copy_to_guest fail on any byte
 * that is not mapped (writable, for a write) in the guest: -EFAULT, and
 * the call has no effect.  The hypervisor's own range (Xen's compat
 * hypervisor area starts at 0xf5800000 with the read-only M2P, which a
 * guest may read, then nothing of the guest's up to kmapvisor's window in
 * the top 2 MiB) is not guest memory. */
void hostile_group_buffers(void)
{
    struct kmap_window_info w = winfo();
    const struct { const char *what; uint32_t va; } bad[] = {
        { "null", 0 },
        { "unmapped page", 0x1000 },
        { "Xen's compat hypervisor area past the M2P", 0xf6800000u },
        { "top page", 0xfffff000u },
        { "crossing 4 GiB", 0xfffffffcu },
        { "crossing the end of lowmem", lowmem_end() - 2 },
        { "free window slot", w.base + (w.nslots - 1) * w.stride },
    };
    unsigned target = plat.nr_cpus - 1; /* a vCPU that is down */
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        uint32_t b = bad[i].va;
        const char *k = bad[i].what;
        hostile_reportf(hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, 16, b), E(EFAULT), "console_io(write, %s)", k);
        hostile_reportf(HYPERVISOR_xen_version(XENVER_extraversion, (void *)b), E(EFAULT), "xen_version(extraversion, %s)", k);
        hostile_reportf(HYPERVISOR_xen_version(XENVER_capabilities, (void *)b), E(EFAULT), "xen_version(capabilities, %s)", k);
        hostile_reportf(HYPERVISOR_xen_version(XENVER_get_features, (void *)b), E(EFAULT), "xen_version(get_features, %s)", k);
        /* Xen: a null trap table clears the table (0). */
        hostile_reportf(HYPERVISOR_set_trap_table((void *)b), b ? E(EFAULT) : 0, "set_trap_table(%s)", k);
        hostile_restore();
        hostile_reportf(hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_register, b), E(EFAULT), "callback_op(%s)", k);
        hostile_restore();
        hostile_reportf(HYPERVISOR_multicall((void *)b, 1), E(EFAULT), "multicall(%s)", k);
        hostile_reportf(HYPERVISOR_vcpu_op(VCPUOP_initialise, target, (void *)b), E(EFAULT), "vcpu_op(initialise v%u, %s)", target, k);
        hostile_reportf(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, (void *)b), E(EFAULT), "vcpu_op(set_singleshot_timer, %s)", k);
        static const struct { unsigned cmd; const char *name; } ev[] = {
            { EVTCHNOP_bind_virq, "bind_virq" }, { EVTCHNOP_bind_ipi, "bind_ipi" }, { EVTCHNOP_send, "send" },
            { EVTCHNOP_unmask, "unmask" }, { EVTCHNOP_close, "close" },
        };
        for (unsigned j = 0; j < ARRAY_SIZE(ev); j++)
            hostile_reportf(HYPERVISOR_event_channel_op(ev[j].cmd, (void *)b), E(EFAULT), "event_channel_op(%s, %s)", ev[j].name, k);
        hostile_reportf(HYPERVISOR_sched_op(SCHEDOP_shutdown, (void *)b), E(EFAULT), "sched_op(shutdown, %s)", k);
        hostile_reportf(HYPERVISOR_kmap_op(KMAPOP_query, b, 0, 0, 0), E(EFAULT), "kmap query(%s)", k);
        hostile_reportf(HYPERVISOR_kmap_op(KMAPOP_stats, b, 0, 0, 0), E(EFAULT), "kmap stats(%s)", k);
        hostile_reportf(HYPERVISOR_kmap_op(KMAPOP_switch, 1, 0, b, 1), E(EFAULT), "kmap switch(restore %s)", k);
    }
    /* Writes into read-only memory: the read half succeeds, the write
     * must fail, and nothing may be left half done. */
    static const struct { unsigned cmd; const char *name; } rw[] = {
        { XENVER_extraversion, "extraversion" }, { XENVER_capabilities, "capabilities" }, { XENVER_get_features, "get_features" },
    };
    for (unsigned j = 0; j < ARRAY_SIZE(rw); j++) {
        uint32_t ro = ro_view();
        long r = HYPERVISOR_xen_version(rw[j].cmd, (void *)ro);
        ro_unview(ro);
        hostile_reportf(r, E(EFAULT), "xen_version(%s, read-only)", rw[j].name);
    }
    for (unsigned cmd = KMAPOP_query; cmd <= KMAPOP_stats; cmd++) {
        uint32_t ro = ro_view();
        long r = HYPERVISOR_kmap_op(cmd, ro, 0, 0, 0);
        ro_unview(ro);
        hostile_reportf(r, E(EFAULT), "kmap %s(read-only)", cmd == KMAPOP_query ? "query" : "stats");
    }
    /* Unaligned but mapped buffers are fine for Xen's calls. */
    static char big[2048];
    hostile_report("xen_version(get_features, unaligned)", HYPERVISOR_xen_version(XENVER_get_features, big + 1), 0);
    hostile_report("xen_version(capabilities, unaligned)", HYPERVISOR_xen_version(XENVER_capabilities, big + 3), 0);
    /* kmap's own rule: its buffers must be 4-byte aligned. */
    hostile_report("kmap query(unaligned)", HYPERVISOR_kmap_op(KMAPOP_query, (unsigned long)big + 2, 0, 0, 0), E(EFAULT));
    hostile_report("kmap stats(unaligned)", HYPERVISOR_kmap_op(KMAPOP_stats, (unsigned long)big + 1, 0, 0, 0), E(EFAULT));
    /* A multicall list crossing the end of lowmem: the first entry runs,
     * the second cannot be read. */
    struct kmv_multicall_entry32 *mc = (void *)(lowmem_end() - sizeof(*mc));
    *mc = (struct kmv_multicall_entry32){ __HYPERVISOR_xen_version, 0, { XENVER_version } };
    hostile_report("multicall(list crossing the end of lowmem)", HYPERVISOR_multicall(mc, 2), E(EFAULT));
}

/* Group "numbers": unknown numbers and out-of-range arguments.  Xen: an
 * unknown hypercall or sub-command is -ENOSYS; an out-of-range vCPU is
 * -ENOENT; a bad port, VIRQ, count or reason -EINVAL. */
void hostile_group_numbers(void)
{
    static const uint32_t unknown[] = { 7, 11, 16, 22, 25, 27, 28, 31,
                                        34, 35, 36, 37, 38, 39, 40, 41, 48, 49, 50, 51, 53, 55, 56, 64, 0x82,
                                        0x100, 0x80000000u, 0x80000017u, 0xffffffffu };
    for (unsigned i = 0; i < ARRAY_SIZE(unknown); i++)
        hostile_reportf(hypercall0(unknown[i]), E(ENOSYS), "hypercall %#x", unknown[i]);
    /* set_gdt and update_descriptor (docs/abi.md): bad counts, lists, addresses. */
    hostile_report("set_gdt(NULL, 0x1c01)", hypercall2(__HYPERVISOR_set_gdt, 0, 0x1c01), E(EINVAL));
    hostile_report("set_gdt(NULL, 0xffffffff)", hypercall2(__HYPERVISOR_set_gdt, 0, 0xffffffffu), E(EINVAL));
    hostile_report("set_gdt(unmapped list, 1)", hypercall2(__HYPERVISOR_set_gdt, 0x1000, 1), E(EFAULT));
    hostile_report("update_descriptor(frame 0)", hypercall0(__HYPERVISOR_update_descriptor), E(EINVAL));
    hostile_report("update_descriptor(ma 2^63)", hypercall5(__HYPERVISOR_update_descriptor, 0, 0x80000000u, 0, 0, 0),
                   E(EINVAL));
    /* vm_assist and memory_op: Xen's errors for a bad command, type,
     * domain or buffer. */
    hostile_report("vm_assist(cmd 2)", hypercall2(__HYPERVISOR_vm_assist, 2, 0), E(ENOSYS));
    /* Debug registers: Xen refuses an address outside the guest, GD, and
     * I/O breakpoints (-EPERM), and a register that does not exist (-EINVAL). */
    hostile_report("set_debugreg(0, hypervisor address)", hypercall2(__HYPERVISOR_set_debugreg, 0, 0xffe00000u), E(EPERM));
    hostile_report("set_debugreg(7, GD)", hypercall2(__HYPERVISOR_set_debugreg, 7, 1u << 13), E(EPERM));
    hostile_report("set_debugreg(7, I/O breakpoint)", hypercall2(__HYPERVISOR_set_debugreg, 7, 0x20001), E(EPERM));
    hostile_report("set_debugreg(5)", hypercall2(__HYPERVISOR_set_debugreg, 5, 0), E(EINVAL));
    hostile_report("get_debugreg(0xffffffff)", hypercall1(__HYPERVISOR_get_debugreg, 0xffffffffu), E(EINVAL));
    hostile_report("vm_assist(type 99)", hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, 99), E(EINVAL));
    hostile_report("memory_op(cmd 99)", hypercall2(__HYPERVISOR_memory_op, 99, 0), E(ENOSYS));
    static uint16_t other_dom = 5;
    hostile_report("memory_op(current_reservation, domain 5)",
                   hypercall2(__HYPERVISOR_memory_op, XENMEM_current_reservation, &other_dom), E(ESRCH));
    hostile_report("memory_op(memory_map, unmapped)", hypercall2(__HYPERVISOR_memory_op, XENMEM_memory_map, 0x1000),
                   E(EFAULT));
    static uint32_t map[2] = { 1, 0x1000 }; /* one entry, into nowhere */
    hostile_report("memory_op(memory_map, buffer unmapped)",
                   hypercall2(__HYPERVISOR_memory_op, XENMEM_memory_map, map), E(EFAULT));
    hostile_report("sched_op(cmd 99)", HYPERVISOR_sched_op(99, NULL), E(ENOSYS));
    hostile_report("sched_op(cmd 0xffffffff)", HYPERVISOR_sched_op((int)0xffffffff, NULL), E(ENOSYS));
    hostile_report("sched_op_compat(cmd 99)", hypercall2(__HYPERVISOR_sched_op_compat, 99, 0), E(ENOSYS));
    hostile_report("sched_op_compat(shutdown, reason 99)", hypercall2(__HYPERVISOR_sched_op_compat, SCHEDOP_shutdown, 99), E(EINVAL));
    hostile_report("sched_op_compat(shutdown, reason 0xffffffff)",
                   hypercall2(__HYPERVISOR_sched_op_compat, SCHEDOP_shutdown, 0xffffffffu), E(EINVAL));
    struct sched_shutdown sd = { .reason = 1000 };
    hostile_report("sched_op(shutdown, reason 1000)", HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd), E(EINVAL));
    hostile_report("xen_version(cmd 99)", HYPERVISOR_xen_version(99, NULL), E(ENOSYS));
    hostile_report("xen_version(cmd 0xffffffff)", HYPERVISOR_xen_version((int)0xffffffff, NULL), E(ENOSYS));
    hostile_report("console_io(cmd 99)", hypercall3(__HYPERVISOR_console_io, 99, 1, "x"), E(ENOSYS));
    /* kmapvisor's documented console limit: 64 KiB per write. */
    hostile_report("console_io(write, count 65537)", hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, 65537, "x"), E(EINVAL));
    hostile_report("console_io(write, count 0xffffffff)",
                   hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, 0xffffffffu, "x"), E(EINVAL));
    static struct kmv_multicall_entry32 mc[2];
    mc[0] = (struct kmv_multicall_entry32){ __HYPERVISOR_xen_version, 0, { XENVER_version } };
    hostile_report("multicall(count 1025)", HYPERVISOR_multicall(mc, 1025), E(EINVAL));
    hostile_report("multicall(count 0xffffffff)", HYPERVISOR_multicall(mc, 0xffffffffu), E(EINVAL));
    hostile_report("multicall(count 0x80000000)", HYPERVISOR_multicall(mc, 0x80000000u), E(EINVAL));
    /* Inside a multicall: no nested multicall, no iret, unknown numbers. */
    static const struct { uint32_t op; long want; const char *what; } inner[] = {
        { __HYPERVISOR_multicall, E(EINVAL), "nested multicall" },
        { __HYPERVISOR_iret, E(ENOSYS), "iret" },
        { 0xffffffffu, E(ENOSYS), "op 0xffffffff" },
        { 200, E(ENOSYS), "op 200" },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(inner); i++) {
        mc[0] = (struct kmv_multicall_entry32){ inner[i].op, 0, { (uint32_t)mc, 1 } };
        long r = HYPERVISOR_multicall(mc, 1);
        hostile_reportf(r ? r : (int32_t)mc[0].result, inner[i].want, "multicall(%s)", inner[i].what);
    }
    evtchn_bind_virq_t bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
    static const uint32_t virqs[] = { 24, 1000, 0x80000000u, 0xffffffffu };
    for (unsigned i = 0; i < ARRAY_SIZE(virqs); i++) {
        bv = (evtchn_bind_virq_t){ .virq = virqs[i], .vcpu = 0 };
        hostile_reportf(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), E(EINVAL), "bind_virq(virq %u)", virqs[i]);
    }
    /* Global VIRQs bind on vCPU 0 only (Xen: -EINVAL, before the vCPU
     * check); a bound one twice is -EEXIST; each is closed again. */
    static const uint32_t global_virqs[] = { VIRQ_CONSOLE, VIRQ_CON_RING, 23 };
    for (unsigned i = 0; i < ARRAY_SIZE(global_virqs); i++) {
        bv = (evtchn_bind_virq_t){ .virq = global_virqs[i], .vcpu = 1 };
        hostile_reportf(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), E(EINVAL), "bind_virq(global virq %u, vcpu 1)", global_virqs[i]);
        bv.vcpu = 0xffffffffu;
        hostile_reportf(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), E(EINVAL), "bind_virq(global virq %u, vcpu ~0)", global_virqs[i]);
        bv.vcpu = 0;
        long r = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv);
        hostile_reportf(r, 0, "bind_virq(global virq %u, vcpu 0)", global_virqs[i]);
        if (r == 0) {
            uint32_t port = bv.port;
            hostile_reportf(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), E(EEXIST), "bind_virq(global virq %u) twice", global_virqs[i]);
            hostile_reportf(HYPERVISOR_event_channel_op(EVTCHNOP_close, &port), 0, "close(global virq %u)", global_virqs[i]);
        }
    }
    static const uint32_t vcpus[] = { 16, 99, 0x10000, 0xffffffffu };
    for (unsigned i = 0; i < ARRAY_SIZE(vcpus); i++) {
        bv = (evtchn_bind_virq_t){ .virq = VIRQ_TIMER, .vcpu = vcpus[i] };
        hostile_reportf(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), E(ENOENT), "bind_virq(timer, vcpu %u)", vcpus[i]);
        evtchn_bind_ipi_t bi = { .vcpu = vcpus[i] };
        hostile_reportf(HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &bi), E(ENOENT), "bind_ipi(vcpu %u)", vcpus[i]);
    }
    static const uint32_t ports[] = { 0, 1000, 4095, 4096, 0x10000, 0xffffffffu };
    for (unsigned i = 0; i < ARRAY_SIZE(ports); i++) {
        uint32_t p = ports[i];
        hostile_reportf(HYPERVISOR_event_channel_op(EVTCHNOP_send, &p), E(EINVAL), "evtchn send(port %u)", p);
        hostile_reportf(HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &p), E(EINVAL), "evtchn unmask(port %u)", p);
        hostile_reportf(HYPERVISOR_event_channel_op(EVTCHNOP_close, &p), E(EINVAL), "evtchn close(port %u)", p);
    }
    hostile_report("event_channel_op(cmd 99)", HYPERVISOR_event_channel_op(99, &bv), E(ENOSYS));
    hostile_report("event_channel_op(cmd 0xffffffff)", HYPERVISOR_event_channel_op((int)0xffffffff, &bv), E(ENOSYS));
    /* A deadline far in the future is just a deadline; then cancel it. */
    hostile_report("set_timer_op(0xffffffffffffffff)", HYPERVISOR_set_timer_op(~0ull), 0);
    hostile_report("set_timer_op(0)", HYPERVISOR_set_timer_op(0), 0);
}

/* Group "kmap": the window with hypervisor frames, page-table frames,
 * huge numbers and bad PTEs.  kmapvisor's window rules (docs/abi.md),
 * and for update_va_mapping Xen's get_page_from_l1e: a PTE with a
 * disallowed flag (PWT, PCD, PAT, G; kmapvisor: AVL too) or a reserved
 * bit is -EINVAL, a frame the domain does not own -EPERM; kmapvisor
 * also refuses a non-zero PTE without P (it has no use for one). */
void hostile_group_kmap(void)
{
    struct kmap_window_info w = winfo();
    uint32_t nr = start_info->nr_pages, last = hostile_mfn(nr - 1), first = hostile_mfn(0);
    uint32_t hm = hostile_mfn(kmv_ext->first_highmem_pfn + 301);
    static const struct { uint32_t mfn; const char *what; } hv[] = {
        { 0, "frame 0 (real-mode IVT)" }, { 1, "frame 1" }, { 0x8, "the AP trampoline" }, { 0xb8, "VGA memory" },
        { 0x100, "the hypervisor image" }, { 0x101, "the hypervisor image + 1" }, { 0x200, "hypervisor data" },
        { 0xfee00, "the local APIC" }, { 0xfec00, "the I/O APIC" }, { 0x7fffffffu, "frame 0x7fffffff" },
        { 0xffffffffu, "frame 0xffffffff" },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(hv); i++) {
        hostile_reportf(HYPERVISOR_kmap_op(KMAPOP_push, hv[i].mfn, KMAP_PROT_WRITE, 0, 0), E(EPERM), "kmap push(%s)", hv[i].what);
        uint64_t pte = ((uint64_t)hv[i].mfn << PAGE_SHIFT) | 3 | (1ull << 63);
        hostile_reportf(HYPERVISOR_update_va_mapping(w.base + w.stride, pte, UVMF_INVLPG), E(EPERM),
                        "update_va_mapping(%s)", hv[i].what);
    }
    hostile_report("kmap push(the frame below the domain)", HYPERVISOR_kmap_op(KMAPOP_push, first - 1, KMAP_PROT_WRITE, 0, 0), E(EPERM));
    /* The domain's page tables sit right above its last usable frame. */
    for (uint32_t i = 1; i <= 4 * plat.nr_cpus; i++) {
        hostile_reportf(HYPERVISOR_kmap_op(KMAPOP_push, last + i, KMAP_PROT_WRITE, 0, 0), E(EACCES), "kmap push(page-table frame %u)", i);
        if (i <= 2) {
            uint64_t pte = ((uint64_t)(last + i) << PAGE_SHIFT) | 3 | (1ull << 63);
            hostile_reportf(HYPERVISOR_update_va_mapping(w.base + w.stride, pte, UVMF_INVLPG), E(EACCES),
                            "update_va_mapping(page-table frame %u)", i);
        }
    }
    hostile_report("kmap push(the frame above the domain)",
                   HYPERVISOR_kmap_op(KMAPOP_push, last + 4 * plat.nr_cpus + 1, KMAP_PROT_WRITE, 0, 0), E(EPERM));
    static const uint32_t prots[] = { KMAP_PROT_USER, KMAP_PROT_EXEC, 0x100, 0x80000000u, 0xffffffffu };
    for (unsigned i = 0; i < ARRAY_SIZE(prots); i++)
        hostile_reportf(HYPERVISOR_kmap_op(KMAPOP_push, hm, prots[i], 0, 0), E(EOPNOTSUPP), "kmap push(prot %#x)", prots[i]);
    hostile_report("kmap pop(0)", HYPERVISOR_kmap_op(KMAPOP_pop, 0, 0, 0, 0), E(ERANGE));
    hostile_report("kmap pop(lowmem)", HYPERVISOR_kmap_op(KMAPOP_pop, kmv_ext->virt_base, 0, 0, 0), E(ERANGE));
    hostile_report("kmap pop(0xfffff000)", HYPERVISOR_kmap_op(KMAPOP_pop, 0xfffff000u, 0, 0, 0), E(ERANGE));
    hostile_report("kmap pop(0xffffffff)", HYPERVISOR_kmap_op(KMAPOP_pop, 0xffffffffu, 0, 0, 0), E(EINVAL));
    hostile_report("kmap pop(misaligned)", HYPERVISOR_kmap_op(KMAPOP_pop, w.base + 4, 0, 0, 0), E(EINVAL));
    hostile_report("kmap pop(above the top)", HYPERVISOR_kmap_op(KMAPOP_pop, w.base + w.stride, 0, 0, 0), E(ENXIO));
    hostile_report("kmap pop(past the window)", HYPERVISOR_kmap_op(KMAPOP_pop, w.base + w.nslots * w.stride, 0, 0, 0), E(ERANGE));
    hostile_report("kmap switch(base 2 > depth)", HYPERVISOR_kmap_op(KMAPOP_switch, 2, 0, 0, 0), E(E2BIG));
    hostile_report("kmap switch(base 0xffffffff)", HYPERVISOR_kmap_op(KMAPOP_switch, 0xffffffffu, 0, 0, 0), E(E2BIG));
    static struct kmap_entry ents[2];
    ents[0] = (struct kmap_entry){ hm, KMAP_PROT_WRITE };
    hostile_report("kmap switch(n 0xffffffff)", HYPERVISOR_kmap_op(KMAPOP_switch, 1, 0, (unsigned long)ents, 0xffffffffu), E(E2BIG));
    hostile_report("kmap switch(n slots+1)", HYPERVISOR_kmap_op(KMAPOP_switch, 1, 0, (unsigned long)ents, w.nslots + 1), E(E2BIG));
    ents[0] = (struct kmap_entry){ 0x100, KMAP_PROT_WRITE };
    hostile_report("kmap switch(restore a hypervisor frame)", HYPERVISOR_kmap_op(KMAPOP_switch, 1, 0, (unsigned long)ents, 1), E(EPERM));
    ents[0] = (struct kmap_entry){ last + 1, KMAP_PROT_WRITE };
    hostile_report("kmap switch(restore a page-table frame)", HYPERVISOR_kmap_op(KMAPOP_switch, 1, 0, (unsigned long)ents, 1), E(EACCES));
    ents[0] = (struct kmap_entry){ hm, 0x100 };
    hostile_report("kmap switch(restore bad prot)", HYPERVISOR_kmap_op(KMAPOP_switch, 1, 0, (unsigned long)ents, 1), E(EOPNOTSUPP));
    ents[0] = (struct kmap_entry){ hm, KMAP_PROT_WRITE };
    ents[1] = (struct kmap_entry){ 0x100, KMAP_PROT_WRITE };
    hostile_report("kmap switch(second restore entry bad)", HYPERVISOR_kmap_op(KMAPOP_switch, 1, 0, (unsigned long)ents, 2), E(EPERM));
    hostile_report("kmap switch(save misaligned)",
                   HYPERVISOR_kmap_op(KMAPOP_switch, 0, (unsigned long)ents + 2, 0, 0), E(EFAULT));
    hostile_report("kmap install(not a cached window)", HYPERVISOR_kmap_op(KMAPOP_install, w.base, hm, KMAP_PROT_WRITE, 0),
                   (w.flags & KMAP_WIN_CACHED) ? 0 : E(ENOSYS));
    hostile_report("kmap install_list(n 0xffffffff)",
                   HYPERVISOR_kmap_op(KMAPOP_install_list, w.base, (unsigned long)ents, 0xffffffffu, 0),
                   (w.flags & KMAP_WIN_CACHED) ? E(E2BIG) : E(ENOSYS));
    hostile_report("kmap sstep(outside the test mode)", HYPERVISOR_kmap_op(KMAPOP_sstep, 1, 0, 0, 0),
                   (w.flags & KMAP_WIN_SSTEP) ? 0 : E(EPERM));
    static const uint32_t cmds[] = { 9, 77, 0x80000000u, 0xffffffffu };
    for (unsigned i = 0; i < ARRAY_SIZE(cmds); i++)
        hostile_reportf(HYPERVISOR_kmap_op(cmds[i], 0, 0, 0, 0), E(ENOSYS), "kmap cmd %#x", cmds[i]);

    /* update_va_mapping's PTE, one bad bit at a time, at the right slot. */
    uint64_t good = ((uint64_t)hm << PAGE_SHIFT) | 3 | (1ull << 63);
    static const struct { uint64_t bits; const char *what; } pte_bad[] = {
        { 1ull << 3, "PWT" }, { 1ull << 4, "PCD" }, { 1ull << 7, "PAT" }, { 1ull << 8, "G" },
        { 1ull << 9, "AVL bit 9" }, { 1ull << 10, "AVL bit 10" }, { 1ull << 11, "AVL bit 11" },
        { 1ull << 52, "reserved bit 52" }, { 1ull << 58, "reserved bit 58" }, { 1ull << 62, "reserved bit 62" },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(pte_bad); i++)
        hostile_reportf(HYPERVISOR_update_va_mapping(w.base + w.stride, good | pte_bad[i].bits, UVMF_INVLPG), E(EINVAL),
                        "update_va_mapping(PTE with %s)", pte_bad[i].what);
    hostile_report("update_va_mapping(non-present PTE with RW)",
                   HYPERVISOR_update_va_mapping(w.base + w.stride, 2, UVMF_INVLPG), E(EINVAL));
    hostile_report("update_va_mapping(non-present PTE with a frame)",
                   HYPERVISOR_update_va_mapping(w.base + w.stride, good & ~1ull, UVMF_INVLPG), E(EINVAL));
    hostile_report("update_va_mapping(frame above 4G)",
                   HYPERVISOR_update_va_mapping(w.base + w.stride, good | (1ull << 44), UVMF_INVLPG), E(EPERM));
    hostile_report("update_va_mapping(not the next slot)",
                   HYPERVISOR_update_va_mapping(w.base + 3 * w.stride, good, UVMF_INVLPG), E(EBUSY));
    hostile_report("update_va_mapping(misaligned)",
                   HYPERVISOR_update_va_mapping(w.base + w.stride + 4, good, UVMF_INVLPG), E(EINVAL));
    hostile_report("update_va_mapping(zero PTE above the top)",
                   HYPERVISOR_update_va_mapping(w.base + w.stride, 0, UVMF_INVLPG), E(EBUSY));
    /* Outside the window it is the PV MMU's (test=mmu checks it): here
     * only the hypervisor's part of the address space. */
    hostile_report("update_va_mapping(HYPERVISOR_VIRT_START)",
                   HYPERVISOR_update_va_mapping(0xf5800000u, good, UVMF_INVLPG), E(EINVAL));
    hostile_report("update_va_mapping(address 0)", HYPERVISOR_update_va_mapping(0, good, UVMF_INVLPG), E(EINVAL));
    static struct kmv_multicall_entry32 mc[1];
    uint64_t pwt = good | (1ull << 3);
    mc[0] = (struct kmv_multicall_entry32){ __HYPERVISOR_update_va_mapping, 0,
                                            { w.base + w.stride, (uint32_t)pwt, (uint32_t)(pwt >> 32), UVMF_INVLPG } };
    long r = HYPERVISOR_multicall(mc, 1);
    hostile_report("multicall(update_va_mapping with PWT)", r ? r : (int32_t)mc[0].result, E(EINVAL));
}

/* Group "events": a bind whose port cannot be written back must be
 * undone (Xen's compat path writes the port back, and an error there
 * must leave no channel behind: nothing half done). */
void hostile_group_events(void)
{
    static uint32_t ro_words[PAGE_SIZE / 4] __attribute__((aligned(PAGE_SIZE)));
    uint32_t pfn = ((uint32_t)ro_words - kmv_ext->virt_base) >> PAGE_SHIFT;
    evtchn_bind_ipi_t bi = { .vcpu = 0 };
    long r = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &bi);
    hostile_report("bind_ipi(vcpu 0)", r, 0);
    uint32_t p0 = bi.port;
    hostile_reportf(HYPERVISOR_event_channel_op(EVTCHNOP_close, &p0), 0, "close(port %u)", p0);
    hostile_reportf(HYPERVISOR_event_channel_op(EVTCHNOP_close, &p0), E(EINVAL), "close(port %u) again", p0);
    hostile_reportf(HYPERVISOR_event_channel_op(EVTCHNOP_send, &p0), E(EINVAL), "send(closed port %u)", p0);

    /* The argument readable, the port field read-only. */
    ro_words[0] = 0; /* bind_ipi: vcpu 0 */
    long va = HYPERVISOR_kmap_op(KMAPOP_push, hostile_mfn(pfn), 0, 0, 0);
    r = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, (void *)va);
    ro_unview((uint32_t)va);
    hostile_report("bind_ipi(port not writable)", r, E(EFAULT));
    bi = (evtchn_bind_ipi_t){ .vcpu = 0 };
    r = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &bi);
    hostile_report("bind_ipi after the failed one: the same port again", r ? r : (long)bi.port, (long)p0);
    if (!r)
        HYPERVISOR_event_channel_op(EVTCHNOP_close, &bi.port);

    ro_words[0] = VIRQ_TIMER;
    ro_words[1] = 0;
    va = HYPERVISOR_kmap_op(KMAPOP_push, hostile_mfn(pfn), 0, 0, 0);
    r = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, (void *)va);
    ro_unview((uint32_t)va);
    hostile_report("bind_virq(timer, port not writable)", r, E(EFAULT));
    evtchn_bind_virq_t bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
    r = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv);
    hostile_report("bind_virq(timer) after the failed one", r, 0);
    if (!r) {
        hostile_report("bind_virq(timer) twice", HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), E(EEXIST));
        HYPERVISOR_event_channel_op(EVTCHNOP_close, &bv.port);
    }
    /* Per-vCPU VIRQs kmapvisor never raises bind all the same (Linux
     * binds VIRQ_DEBUG on every vCPU). */
    static const uint32_t per_vcpu[] = { VIRQ_DEBUG, VIRQ_XENOPROF, VIRQ_XENPMU };
    for (unsigned i = 0; i < ARRAY_SIZE(per_vcpu); i++) {
        bv = (evtchn_bind_virq_t){ .virq = per_vcpu[i], .vcpu = 0 };
        r = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv);
        hostile_reportf(r, 0, "bind_virq(virq %u, vcpu 0)", per_vcpu[i]);
        if (!r) {
            uint32_t port = bv.port;
            hostile_reportf(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), E(EEXIST), "bind_virq(virq %u) twice", per_vcpu[i]);
            hostile_reportf(HYPERVISOR_event_channel_op(EVTCHNOP_close, &port), 0, "close(virq %u)", per_vcpu[i]);
        }
    }
}
