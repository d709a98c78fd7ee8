/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86 PV personality on the host: the real domain builder loads the
 * real mini guest (build/guest.elf) into fake RAM, and hypercalls go in
 * through the real dispatch table, with the guest's registers, exactly as
 * int $0x82 delivers them.  No QEMU: decoding, validation and the window
 * PTEs are checked directly.
 */
#include "unit.h"
#include <string.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/event_channel.h>
#include <xen/version.h>
#include <xen/memory.h>
#include <kmapvisor/x86_pte.h>
#include "pv_fixture.h"


START_TEST(builder_and_table)
{
    build("mem=64M lowmem=32M vcpus=2");
    ck_assert_uint_eq(dom.nr_vcpus, 2);
    ck_assert_uint_eq(vregs(v0)->cs, GUEST_RING1_CS);
    ck_assert_uint_eq(v0->arch->kernel_ss, GUEST_RING1_DS);
    ck_assert(v0->initialised && !v1->initialised);
    struct start_info_x86_32 *si = g((uint32_t)vregs(v0)->rsi);
    ck_assert_ptr_nonnull(si);
    ck_assert_str_eq(si->magic, "xen-3.0-x86_32p");
    /* Unknown numbers, out-of-range numbers: -ENOSYS, as Xen. */
    static const uint32_t unknown[] = { 11, 47, 51, 53, 55, 56, 200, 0xffffffffu };
    for (unsigned i = 0; i < ARRAY_SIZE(unknown); i++)
        ck_assert_int_eq(HC(v0, unknown[i], 0, 0, 0, 0, 0), -XEN_ENOSYS);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0), 0x40011);
    /* Every row of the table names its handler and arity. */
    for (unsigned nr = 0; nr < NR_HYPERCALLS; nr++)
        if (hypercall_table[nr].fn)
            ck_assert(hypercall_table[nr].name && hypercall_table[nr].nargs <= 5);
    /* multicall cannot nest multicall or iret. */
    struct kmv_multicall_entry32 *mc = g(SCRATCH);
    mc[0] = (struct kmv_multicall_entry32){ __HYPERVISOR_multicall, 0, { SCRATCH, 1 } };
    mc[1] = (struct kmv_multicall_entry32){ __HYPERVISOR_iret, 0, { 0 } };
    mc[2] = (struct kmv_multicall_entry32){ __HYPERVISOR_xen_version, 0, { XENVER_version } };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_multicall, SCRATCH, 3, 0, 0, 0), 0);
    ck_assert_int_eq((int32_t)mc[0].result, -XEN_EINVAL);
    ck_assert_int_eq((int32_t)mc[1].result, -XEN_ENOSYS);
    ck_assert_int_eq((int32_t)mc[2].result, 0x40011);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_multicall, SCRATCH, 1025, 0, 0, 0), -XEN_EINVAL);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_multicall, 0x1000, 1, 0, 0, 0), -XEN_EFAULT);
}
END_TEST

/* kmap_op through the table: the window PTE in (fake) RAM, the flush. */
START_TEST(kmap_through_the_table)
{
    build("mem=64M lowmem=32M vcpus=2");
    uint32_t mfn = highmem_mfn(3);
    long va = HC(v0, KMV_HYPERVISOR_kmap_op, KMAPOP_push, mfn, KMAP_PROT_WRITE, 0, 0);
    ck_assert_int_eq((uint32_t)va, KMV_WINDOW_BASE);
    uint64_t pte = v0->arch->window_pt[0];
    ck_assert_uint_eq((pte & X86_PTE_ADDR) >> PAGE_SHIFT, mfn);
    ck_assert(pte & X86_PTE_P && pte & X86_PTE_W && pte & X86_PTE_NX && !(pte & X86_PTE_U));
    ck_assert_uint_eq(v1->arch->window_pt[0], 0); /* per-vCPU windows */
    /* The guest reads the frame through the window: the same bytes. */
    memcpy(fake_phys_to_virt((uint64_t)mfn << PAGE_SHIFT), "hello", 6);
    ck_assert_str_eq(fake_guest_ptr(v0, KMV_WINDOW_BASE, false), "hello");
    ck_assert_ptr_null(fake_guest_ptr(v1, KMV_WINDOW_BASE, false));
    uint64_t inv = fake_tlb.invlpg;
    ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, KMAPOP_pop, KMV_WINDOW_BASE, 0, 0, 0), 0);
    ck_assert_uint_eq(v0->arch->window_pt[0], 0);
    ck_assert_uint_eq(fake_tlb.invlpg, inv + 1);
    ck_assert_uint_eq(fake_tlb.last_invlpg, KMV_WINDOW_BASE);
    /* Page tables and foreign frames. */
    ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, KMAPOP_push, (uint32_t)(v0->arch->cr3 >> PAGE_SHIFT), 0, 0, 0),
                     -XEN_EACCES);
    ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, KMAPOP_push, 1, 0, 0, 0), -XEN_EPERM);
    ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, 99, 0, 0, 0, 0), -XEN_ENOSYS);
    /* Stats count every hypercall of the vCPU, this one included. */
    struct kmap_vcpu_stats *st = g(SCRATCH);
    ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, KMAPOP_stats, SCRATCH, 0, 0, 0), 0);
    ck_assert_uint_eq(st->traps, 6);
    ck_assert_uint_eq(st->errors[KMAP_ERR_BAD_CMD], 1);
}
END_TEST

/* What a PV guest asks at boot: memory_op's queries, vm_assist, and the
 * event-channel sub-ops alloc_unbound and status. */
START_TEST(boot_queries)
{
    build("mem=64M lowmem=32M vcpus=2");
    uint16_t *dom_id = g(SCRATCH);
    *dom_id = DOMID_SELF;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_memory_op, XENMEM_current_reservation, SCRATCH, 0, 0, 0),
                     dom.arch->nr_usable_pages);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_memory_op, XENMEM_maximum_gpfn, SCRATCH, 0, 0, 0),
                     dom.arch->nr_usable_pages - 1);
    *dom_id = 7;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_memory_op, XENMEM_maximum_reservation, SCRATCH, 0, 0, 0), -XEN_ESRCH);
    struct kmv_memory_map32 *m = g(SCRATCH);
    *m = (struct kmv_memory_map32){ 4, SCRATCH + 0x100 };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_memory_op, XENMEM_memory_map, SCRATCH, 0, 0, 0), 0);
    const struct kmv_e820_entry *e = g(SCRATCH + 0x100);
    ck_assert_uint_eq(m->nr_entries, 1);
    ck_assert_uint_eq(e->addr, 0);
    ck_assert_uint_eq(e->size, (uint64_t)dom.arch->nr_usable_pages << PAGE_SHIFT);
    ck_assert_uint_eq(e->type, 1);
    struct kmv_machphys_mfn_list32 *l = g(SCRATCH);
    *l = (struct kmv_machphys_mfn_list32){ 8, SCRATCH + 0x100, 0 };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_memory_op, XENMEM_machphys_mfn_list, SCRATCH, 0, 0, 0), 0);
    ck_assert_uint_ge(l->nr_extents, 1);
    ck_assert_uint_eq(*(uint32_t *)g(SCRATCH + 0x100), virt_to_phys(dom.arch->m2p) >> PAGE_SHIFT);
    /* machphys_mapping: where the read-only M2P is, as a 32-bit guest
     * reads it (Linux's machine_to_phys_mapping and _nr). */
    struct kmv_machphys_mapping32 *mm = g(SCRATCH);
    memset(mm, 0xff, sizeof(*mm));
    ck_assert_int_eq(HC(v0, __HYPERVISOR_memory_op, XENMEM_machphys_mapping, SCRATCH, 0, 0, 0), 0);
    ck_assert_uint_eq(mm->v_start, 0xf5800000u);
    ck_assert_uint_eq(mm->v_end, mm->v_start + (mm->max_mfn + 1) * 4);
    ck_assert_uint_le(mm->v_end, 0xf6800000u);
    ck_assert_uint_eq(mm->max_mfn + 1, MIN(dom.arch->m2p_frames, 4u << 20));
    for (uint32_t pfn = 0; pfn < dom.arch->nr_pages; pfn += 97) {
        uint32_t mfn = dom.arch->p2m[pfn];
        ck_assert_uint_le(mfn, mm->max_mfn);
        const uint32_t *m2p = fake_guest_ptr(v0, mm->v_start + mfn * 4, false);
        ck_assert_ptr_nonnull(m2p);
        ck_assert_uint_eq(*m2p, pfn);
    }
    ck_assert_ptr_nonnull(fake_guest_ptr(v0, mm->v_end - 4, false));
    if (mm->v_end < 0xf6800000u)
        ck_assert_ptr_null(fake_guest_ptr(v0, mm->v_end, false));
    ck_assert_ptr_null(fake_guest_ptr(v0, mm->v_start, true)); /* read-only */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_memory_op, XENMEM_machphys_mapping, 0x1000, 0, 0, 0), -XEN_EFAULT);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_memory_op, 99, SCRATCH, 0, 0, 0), -XEN_ENOSYS);
    /* vm_assist */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_writable_pagetables, 0, 0, 0), 0);
    ck_assert_uint_eq(dom.arch->vm_assist, 1u << VMASST_TYPE_writable_pagetables);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vm_assist, VMASST_CMD_enable, 32, 0, 0, 0), -XEN_EINVAL);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vm_assist, 7, 0, 0, 0, 0), -XEN_ENOSYS);
    /* alloc_unbound, then its status; events on it go nowhere. */
    struct evtchn_alloc_unbound *au = g(SCRATCH);
    *au = (struct evtchn_alloc_unbound){ DOMID_SELF, DOMID_SELF, 0 };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, SCRATCH, 0, 0, 0), 0);
    evtchn_port_t port = au->port;
    ck_assert_uint_ne(port, 0);
    *au = (struct evtchn_alloc_unbound){ DOMID_SELF, 3, 0 };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, SCRATCH, 0, 0, 0), -XEN_ESRCH);
    struct evtchn_status *st = g(SCRATCH);
    *st = (struct evtchn_status){ .dom = DOMID_SELF, .port = port };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_status, SCRATCH, 0, 0, 0), 0);
    ck_assert_uint_eq(st->status, EVTCHNSTAT_unbound);
    *(evtchn_port_t *)g(SCRATCH) = port;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_send, SCRATCH, 0, 0, 0), 0);
    ck_assert_uint_eq(dom.shared->evtchn_pending[port / 32] & (1u << (port % 32)), 0);
    *st = (struct evtchn_status){ .dom = DOMID_SELF, .port = 4095 };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_status, SCRATCH, 0, 0, 0), -XEN_EINVAL);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_init_control, SCRATCH, 0, 0, 0), -XEN_ENOSYS);
    /* debug registers: the guest's own addresses, no GD, no I/O breakpoints */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_set_debugreg, 0, 0xc0100000u, 0, 0, 0), 0);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_get_debugreg, 0, 0, 0, 0, 0), (long)(int32_t)0xc0100000u);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_set_debugreg, 1, 0xf5800000u, 0, 0, 0), -XEN_EPERM);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_set_debugreg, 7, 1u << 13, 0, 0, 0), -XEN_EPERM);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_set_debugreg, 7, 0x20001, 0, 0, 0), -XEN_EPERM); /* R/W0 = I/O */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_set_debugreg, 7, 0x10001, 0, 0, 0), 0);          /* write watch */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_get_debugreg, 7, 0, 0, 0, 0), 0x10401);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_set_debugreg, 4, 0, 0, 0, 0), -XEN_EINVAL);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_get_debugreg, 9, 0, 0, 0, 0), -XEN_EINVAL);
    /* xen_version's sub-ops a guest reads at boot */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_xen_version, XENVER_platform_parameters, SCRATCH, 0, 0, 0), 0);
    ck_assert_uint_eq(*(uint32_t *)g(SCRATCH), 0xf5800000u);
    memset(g(SCRATCH), 0x55, sizeof(xen_compile_info_t));
    ck_assert_int_eq(HC(v0, __HYPERVISOR_xen_version, XENVER_compile_info, SCRATCH, 0, 0, 0), 0);
    ck_assert_str_eq(((xen_compile_info_t *)g(SCRATCH))->compiler, "gcc");
    ck_assert_int_eq(HC(v0, __HYPERVISOR_xen_version, XENVER_changeset, SCRATCH, 0, 0, 0), 0);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_xen_version, XENVER_guest_handle, SCRATCH, 0, 0, 0), 0);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_xen_version, XENVER_commandline, SCRATCH, 0, 0, 0), -XEN_EPERM);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_xen_version, XENVER_compile_info, 0xfffff000u, 0, 0, 0), -XEN_EFAULT);
}
END_TEST

/* The guest sees the M2P, read-only, at Xen's compat address. */
START_TEST(m2p_read_only)
{
    build("mem=64M lowmem=32M vcpus=2");
    for (uint32_t pfn = 0; pfn < dom.arch->nr_usable_pages; pfn += 977) {
        uint32_t mfn = dom.arch->p2m[pfn];
        const uint32_t *e = fake_guest_ptr(&dom.vcpu[1], PV_M2P_VIRT_START + mfn * 4, false);
        ck_assert_ptr_nonnull(e);
        ck_assert_uint_eq(*e, pfn);
        ck_assert_ptr_null(fake_guest_ptr(&dom.vcpu[1], PV_M2P_VIRT_START + mfn * 4, true));
    }
    const uint32_t *hv = fake_guest_ptr(v0, PV_M2P_VIRT_START + 4, false); /* frame 1: nobody's */
    ck_assert_uint_eq(*hv, M2P_NONE);
    /* Its frames are not the guest's to map. */
    uint32_t m2p_mfn = (uint32_t)(virt_to_phys(dom.arch->m2p) >> PAGE_SHIFT);
    ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, KMAPOP_push, m2p_mfn, 0, 0, 0), -XEN_EPERM);
}
END_TEST

/* update_va_mapping's PTE decoding (moved here from the window test). */
START_TEST(update_va_mapping_decoding)
{
    build("mem=64M lowmem=32M vcpus=1");
    uint32_t mfn = highmem_mfn(1);
    uint32_t lo = (uint32_t)(((uint64_t)mfn << PAGE_SHIFT) | X86_PTE_P | X86_PTE_W), nx = (uint32_t)(X86_PTE_NX >> 32);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, KMV_WINDOW_BASE, lo, nx, UVMF_INVLPG, 0), 0);
    ck_assert_uint_eq(v0->win.live[0].prot, KMAP_PROT_WRITE);
    /* No NX: an executable mapping, not allowed for this domain. */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, KMV_WINDOW_BASE + 4096, lo, 0, 0, 0), -XEN_EOPNOTSUPP);
    /* A frame beyond 32 bits is nobody's. */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, KMV_WINDOW_BASE + 4096, X86_PTE_P | X86_PTE_W, 0x100 | nx,
                        0, 0), -XEN_EPERM);
    /* Outside the window and at or above HYPERVISOR_VIRT_START: the hypervisor's. */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, 0xf5800000u, lo, nx, 0, 0), -XEN_EINVAL);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, KMV_WINDOW_BASE - 4096, lo, nx, 0, 0), -XEN_EINVAL);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_update_va_mapping, KMV_WINDOW_BASE, 0, 0, UVMF_INVLPG, 0), 0);
    ck_assert_uint_eq(v0->win.depth, 0);
}
END_TEST

START_TEST(guest_pointers_and_structures)
{
    build("mem=64M lowmem=32M vcpus=2");
    /* console_io: unmapped buffer, a buffer that runs off mapped memory, too long. */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_console_io, CONSOLEIO_write, 16, 0x1000, 0, 0), -XEN_EFAULT);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_console_io, CONSOLEIO_write, 16, 0xfffffff8u, 0, 0), -XEN_EFAULT);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_console_io, CONSOLEIO_write, 70000, SCRATCH, 0, 0), -XEN_EINVAL);
    memcpy(g(SCRATCH), "from the guest\n", 15);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_console_io, CONSOLEIO_write, 15, SCRATCH, 0, 0), 0);
    ck_assert(strstr(fake_console, "from the guest"));
    /* bind_virq writes the port into the guest's structure. */
    struct evtchn_bind_virq *b = g(SCRATCH);
    *b = (struct evtchn_bind_virq){ .virq = VIRQ_TIMER, .vcpu = 1, .port = 0 };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, SCRATCH, 0, 0, 0), 0);
    ck_assert_uint_ne(b->port, 0);
    ck_assert_uint_eq(evtchn_virq_port(&dom.evtchn, 1, VIRQ_TIMER), b->port);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, 0x1000, 0, 0, 0), -XEN_EFAULT);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, 99, SCRATCH, 0, 0, 0), -XEN_ENOSYS);
    /* set_trap_table: a ring-0 or foreign code selector is refused. */
    struct trap_info_x86_32 *ti = g(SCRATCH);
    ti[0] = (struct trap_info_x86_32){ 14, 0, 0x0008, 0xc0101000u };
    ti[1] = (struct trap_info_x86_32){ 0, 0, 0, 0 };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_set_trap_table, SCRATCH, 0, 0, 0, 0), -XEN_EPERM);
    ti[0].cs = GUEST_RING1_CS;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_set_trap_table, SCRATCH, 0, 0, 0, 0), 0);
    ck_assert(v0->arch->traps[14].valid && v0->arch->traps[14].eip == 0xc0101000u);
    /* VCPUOP_initialise: a bad code selector, then a good context. */
    struct vcpu_guest_context_x86_32 *ctx = g(SCRATCH);
    memset(ctx, 0, sizeof(*ctx));
    ctx->user_regs.cs = 0x10;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, SCRATCH, 0, 0), -XEN_EINVAL);
    ck_assert(!v1->initialised);
    ctx->user_regs.cs = GUEST_RING1_CS;
    ctx->user_regs.eip = 0xc0102000u;
    ctx->kernel_ss = GUEST_RING1_DS;
    ctx->user_regs.ss = GUEST_RING1_DS;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, SCRATCH, 0, 0), 0);
    ck_assert(v1->initialised && vregs(v1)->rip == 0xc0102000u);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, SCRATCH, 0, 0), -XEN_EEXIST);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_up, 7, 0, 0, 0), -XEN_ENOENT);
}
END_TEST

/* Shutdown and the stop policy end the domain through the platform. */
START_TEST(domain_ends)
{
    build("mem=64M lowmem=32M vcpus=1 kmap.policy=stop");
    ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, KMAPOP_push, highmem_mfn(0), 0, 0, 0), (long)(int32_t)KMV_WINDOW_BASE);
    ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, KMAPOP_push, highmem_mfn(1), 0, 0, 0),
                     (long)(int32_t)(KMV_WINDOW_BASE + 4096));
    ck_assert_int_eq(HC(v0, KMV_HYPERVISOR_kmap_op, KMAPOP_pop, KMV_WINDOW_BASE, 0, 0, 0), -1000 - KMV_EXIT_CRASH);
    ck_assert(strstr(fake_console, "d0v0 stopped: kmap: non-nested pop: expected slot 1"));
    build("mem=64M lowmem=32M vcpus=1");
    struct sched_shutdown *s = g(SCRATCH);
    s->reason = SHUTDOWN_poweroff;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_sched_op, SCHEDOP_shutdown, SCRATCH, 0, 0, 0), -1000 - KMV_EXIT_POWEROFF);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_sched_op_compat, SCHEDOP_shutdown, SHUTDOWN_reboot, 0, 0, 0),
                     -1000 - KMV_EXIT_REBOOT);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_sched_op, SCHEDOP_shutdown, 0x1000, 0, 0, 0), -XEN_EFAULT);
}
END_TEST

Suite *pv_suite(void)
{
    Suite *s = suite_create("pv");
    TCase *tc = tcase_create("hypercalls");
    tcase_add_test(tc, builder_and_table);
    tcase_add_test(tc, kmap_through_the_table);
    tcase_add_test(tc, update_va_mapping_decoding);
    tcase_add_test(tc, m2p_read_only);
    tcase_add_test(tc, boot_queries);
    tcase_add_test(tc, guest_pointers_and_structures);
    tcase_add_test(tc, domain_ends);
    suite_add_tcase(s, tc);
    return s;
}
