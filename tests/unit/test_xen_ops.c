/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * physdev_op, grant_table_op, callback_op and the emulated privileged
 * instructions (port I/O by the virtual IOPL and I/O bitmap, rdmsr and
 * wrmsr, debug-register moves), through the real dispatch table and the
 * real #GP emulation on the fake machine.
 */
#include "unit.h"
#include <string.h>
#include <xen/physdev.h>
#include <xen/grant_table.h>
#include <xen/callback.h>
#include <xen/vcpu.h>
#include <xen/event_channel.h>
#include "pv_fixture.h"
#include "hypervisor/sched.h"
#include <kmapvisor/compat.h>

#define CODE (SCRATCH + 0x3000)   /* where the tests put an instruction */

START_TEST(physdev)
{
    build("mem=64M lowmem=32M vcpus=2");
    uint32_t *arg = g(SCRATCH);
    arg[0] = 3;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, SCRATCH, 0, 0, 0), 0);
    ck_assert_uint_eq(v0->arch->iopl, 3);
    ck_assert_uint_eq(v1->arch->iopl, 0); /* per vCPU */
    arg[0] = 4;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, SCRATCH, 0, 0, 0), -XEN_EINVAL);
    ck_assert_uint_eq(v0->arch->iopl, 3);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, 0x1000, 0, 0, 0), -XEN_EFAULT);
    arg[0] = SCRATCH + 0x100, arg[1] = 65537;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_physdev_op, PHYSDEVOP_set_iobitmap, SCRATCH, 0, 0, 0), -XEN_EINVAL);
    arg[1] = 0x400;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_physdev_op, PHYSDEVOP_set_iobitmap, SCRATCH, 0, 0, 0), 0);
    ck_assert_uint_eq(v0->arch->iobmp_limit, 0x400);
    arg[0] = 0;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_physdev_op, PHYSDEVOP_irq_status_query, SCRATCH, 0, 0, 0), -XEN_EINVAL);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_physdev_op, PHYSDEVOP_eoi, SCRATCH, 0, 0, 0), -XEN_EINVAL);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_physdev_op, PHYSDEVOP_get_free_pirq, SCRATCH, 0, 0, 0), -XEN_ENOSPC);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_physdev_op, PHYSDEVOP_apic_write, SCRATCH, 0, 0, 0), -XEN_EPERM);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_physdev_op, 12345, SCRATCH, 0, 0, 0), -XEN_ENOSYS);
    arg[0] = 0xfffffff0u; /* a gmfn is a machine frame for PV: not the domain's */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_physdev_op, PHYSDEVOP_pirq_eoi_gmfn_v2, SCRATCH, 0, 0, 0), -XEN_EINVAL);
    arg[0] = dom.arch->p2m[5];
    ck_assert_int_eq(HC(v0, __HYPERVISOR_physdev_op, PHYSDEVOP_pirq_eoi_gmfn_v2, SCRATCH, 0, 0, 0), 0);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_physdev_op, PHYSDEVOP_pirq_eoi_gmfn_v1, SCRATCH, 0, 0, 0), -XEN_EBUSY);
    /* The old form: the command, then the argument. */
    arg[0] = PHYSDEVOP_set_iopl, arg[1] = 1;
    ck_assert_int_eq(HC(v1, __HYPERVISOR_physdev_op_compat, SCRATCH, 0, 0, 0, 0), 0);
    ck_assert_uint_eq(v1->arch->iopl, 1);
    ck_assert_int_eq(HC(v1, __HYPERVISOR_physdev_op_compat, 0xfffffffe, 0, 0, 0, 0), -XEN_EFAULT);
}
END_TEST

/* EVTCHNOP_bind_virq through the dispatch: every VIRQ a domU may bind on
 * Xen 4.17 (Linux binds VIRQ_DEBUG per vCPU and fails to boot without it),
 * with Xen's errors. */
static long bind_virq(struct vcpu *v, uint32_t virq, uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_virq *b = g(SCRATCH);
    *b = (struct evtchn_bind_virq){ .virq = virq, .vcpu = vcpu, .port = 0 };
    long r = HC(v, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, SCRATCH, 0, 0, 0);
    if (port)
        *port = b->port;
    return r;
}

START_TEST(bind_virq_every_virq)
{
    build("mem=64M lowmem=32M vcpus=2");
    uint32_t port;
    static const uint32_t per_vcpu[] = { VIRQ_TIMER, VIRQ_DEBUG, VIRQ_XENOPROF, VIRQ_XENPMU };
    for (unsigned i = 0; i < ARRAY_SIZE(per_vcpu); i++)
        for (uint32_t vc = 0; vc < 2; vc++) {
            ck_assert_int_eq(bind_virq(v0, per_vcpu[i], vc, &port), 0);
            ck_assert_uint_ne(port, 0);
            ck_assert_uint_eq(evtchn_virq_port(&dom.evtchn, vc, per_vcpu[i]), port);
            ck_assert_int_eq(bind_virq(v1, per_vcpu[i], vc, NULL), -XEN_EEXIST);
        }
    ck_assert_int_eq(bind_virq(v0, VIRQ_DEBUG, 2, NULL), -XEN_ENOENT);
    ck_assert_int_eq(bind_virq(v0, VIRQ_DEBUG, 0xffffffffu, NULL), -XEN_ENOENT);
    static const uint32_t global[] = { VIRQ_CONSOLE, VIRQ_DOM_EXC, 5, VIRQ_CON_RING, VIRQ_ARGO, VIRQ_ENOMEM, VIRQ_ARCH_0, VIRQ_ARCH_7 };
    for (unsigned i = 0; i < ARRAY_SIZE(global); i++) {
        ck_assert_int_eq(bind_virq(v0, global[i], 1, NULL), -XEN_EINVAL);
        ck_assert_int_eq(bind_virq(v1, global[i], 0, &port), 0);
        ck_assert_uint_eq(evtchn_virq_port(&dom.evtchn, 0, global[i]), port);
        ck_assert_int_eq(bind_virq(v0, global[i], 0, NULL), -XEN_EEXIST);
    }
    ck_assert_int_eq(bind_virq(v0, 24, 0, NULL), -XEN_EINVAL);
    ck_assert_int_eq(bind_virq(v0, 0x80000000u, 0, NULL), -XEN_EINVAL);
    /* status reports it; close frees it for another bind. */
    port = evtchn_virq_port(&dom.evtchn, 1, VIRQ_DEBUG);
    struct evtchn_status *st = g(SCRATCH);
    *st = (struct evtchn_status){ .dom = DOMID_SELF, .port = port };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_status, SCRATCH, 0, 0, 0), 0);
    ck_assert_uint_eq(st->status, EVTCHNSTAT_virq);
    ck_assert_uint_eq(st->u.virq, VIRQ_DEBUG);
    ck_assert_uint_eq(st->vcpu, 1);
    *(uint32_t *)g(SCRATCH) = port;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_event_channel_op, EVTCHNOP_close, SCRATCH, 0, 0, 0), 0);
    ck_assert_int_eq(bind_virq(v1, VIRQ_DEBUG, 1, NULL), 0);
}
END_TEST

/* The guest's formula: system time at TSC tsc from a vcpu_time_info. */
static uint64_t guest_time_at(const struct vcpu_time_info_x86_32 *t, uint64_t tsc)
{
    return t->system_time + time_scale_delta(tsc - t->tsc_timestamp, t->tsc_to_system_mul, t->tsc_shift);
}

static const struct kmv_runstate_info32 *area(uint32_t gva) { return g(gva); }

/* Each vCPU's time info on one clock, kept current at every switch to
 * it with the version protocol; the runstate areas Linux registers
 * (VCPUOP_register_runstate_memory_area: it BUGs if that fails), written
 * at every switch in and out (the exit path's pv_vcpu_switch, called
 * here as exit.c calls it after sched_pick). The fake TSC is 1 GHz. */
START_TEST(runstate_and_time)
{
    build("mem=64M lowmem=32M vcpus=2");
    struct sched_cpu c0 = { .id = 0, .online = true }, c1 = { .id = 1, .online = true };
    sched_register_cpu(&c0);
    sched_register_cpu(&c1);
    /* At the build: both offline since 1 ms, time info at 1 ms. */
    for (unsigned i = 0; i < 2; i++) {
        const struct vcpu_time_info_x86_32 *t = &dom.vcpu[i].info->time;
        ck_assert_uint_eq(t->version & 1, 0);
        ck_assert_uint_ne(t->version, 0);
        ck_assert_uint_eq(t->system_time, 1000000);
        ck_assert_uint_eq(t->tsc_timestamp, 1000000);
        ck_assert_uint_eq(dom.vcpu[i].runstate.state, RUNSTATE_offline);
        ck_assert_uint_eq(dom.vcpu[i].runstate.state_entry_time, 1000000);
    }
    /* vCPU 0 starts at 2 ms on CPU 0. */
    fake_tsc = 2000000;
    vcpu_up(v0);
    ck_assert_ptr_eq(sched_pick(&c0), v0);
    uint32_t ver0 = v0->info->time.version;
    pv_vcpu_switch(NULL, v0);
    ck_assert_uint_eq(v0->info->time.version, ver0 + 2);
    ck_assert_uint_eq(v0->info->time.system_time, 2000000);
    /* It registers its own area (the argument's first 32 bits), ... */
    const uint32_t A0 = SCRATCH + 0x100, A1 = SCRATCH + 0x200, ARG = SCRATCH;
    uint32_t *arg = g(ARG);
    arg[0] = A0, arg[1] = 0;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, ARG, 0, 0), 0);
    ck_assert_int_eq(area(A0)->state, RUNSTATE_running);
    ck_assert_uint_eq(area(A0)->state_entry_time, 2000000);
    ck_assert_uint_eq(area(A0)->time[RUNSTATE_offline], 1000000);
    ck_assert_uint_eq(area(A0)->time[RUNSTATE_running], 0);
    /* ... and vCPU 1's before bringing it up (as Linux's xen_pv_cpu_up):
     * offline since the build, up to now. */
    fake_tsc = 3000000;
    arg[0] = A1;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 1, ARG, 0, 0), 0);
    ck_assert_int_eq(area(A1)->state, RUNSTATE_offline);
    ck_assert_uint_eq(area(A1)->state_entry_time, 1000000);
    ck_assert_uint_eq(area(A1)->time[RUNSTATE_offline], 2000000);
    /* vCPU 1 up at 4 ms, on CPU 1: its time info on vCPU 0's clock. */
    struct vcpu_guest_context_x86_32 *ctx = g(SCRATCH + 0x1000);
    memset(ctx, 0, sizeof(*ctx));
    ctx->user_regs.cs = GUEST_RING1_CS;
    ctx->user_regs.eip = 0xc0102000u;
    ctx->kernel_ss = ctx->user_regs.ss = GUEST_RING1_DS;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, SCRATCH + 0x1000, 0, 0), 0);
    fake_tsc = 4000000;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_up, 1, 0, 0, 0), 0);
    ck_assert_uint_eq(v1->runstate.state, RUNSTATE_runnable);
    ck_assert_ptr_eq(sched_pick(&c1), v1);
    uint32_t ver1 = v1->info->time.version;
    pv_vcpu_switch(NULL, v1);
    ck_assert_uint_eq(v1->info->time.version, ver1 + 2);
    ck_assert_uint_eq(v1->info->time.system_time, 4000000);
    ck_assert_uint_eq(guest_time_at(&v1->info->time, 4500000), guest_time_at(&v0->info->time, 4500000));
    ck_assert_uint_eq(guest_time_at(&v1->info->time, 4500000), 4500000);
    ck_assert_int_eq(area(A1)->state, RUNSTATE_running);
    ck_assert_uint_eq(area(A1)->state_entry_time, 4000000);
    ck_assert_uint_eq(area(A1)->time[RUNSTATE_offline], 3000000);
    /* With the update flag (Linux enables it): vCPU 1 blocks at 6 ms; its
     * area says so, the flag clear again. */
    ck_assert_int_eq(HC(v1, __HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag, 0, 0, 0), 0);
    fake_tsc = 6000000;
    vcpu_block(v1);
    ck_assert_ptr_eq(sched_pick(&c1), NULL);
    pv_vcpu_switch(v1, NULL);
    ck_assert_int_eq(area(A1)->state, RUNSTATE_blocked);
    ck_assert_uint_eq(area(A1)->state_entry_time, 6000000); /* XEN_RUNSTATE_UPDATE clear */
    ck_assert_uint_eq(area(A1)->time[RUNSTATE_running], 2000000);
    /* vCPU 0's area is untouched by vCPU 1's switches. */
    ck_assert_int_eq(area(A0)->state, RUNSTATE_running);
    /* get_runstate_info: up to now. */
    fake_tsc = 7000000;
    const struct kmv_runstate_info32 *gi = g(SCRATCH + 0x300);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 1, SCRATCH + 0x300, 0, 0), 0);
    ck_assert_int_eq(gi->state, RUNSTATE_blocked);
    ck_assert_uint_eq(gi->time[RUNSTATE_blocked], 1000000);
    ck_assert_uint_eq(gi->time[RUNSTATE_running] + gi->time[RUNSTATE_offline] + gi->time[RUNSTATE_blocked] +
                          gi->time[RUNSTATE_runnable], 6000000);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 1, 0x1000, 0, 0), -XEN_EFAULT);
    /* Woken, picked by CPU 0 after vCPU 0 yields: 0's area runnable, 1's running. */
    fake_tsc = 8000000;
    vcpu_wake(v1);
    vcpu_yield(v0);
    ck_assert_ptr_eq(sched_pick(&c0), v1);
    pv_vcpu_switch(v0, v1);
    ck_assert_int_eq(area(A0)->state, RUNSTATE_runnable);
    ck_assert_uint_eq(area(A0)->time[RUNSTATE_running], 6000000);
    ck_assert_int_eq(area(A1)->state, RUNSTATE_running);
    ck_assert_uint_eq(area(A1)->time[RUNSTATE_runnable], 0);
    ck_assert_uint_eq(area(A1)->time[RUNSTATE_blocked], 2000000);
    ck_assert_uint_eq(v1->info->time.system_time, 8000000);
    /* Xen's errors: an unreadable argument, an area reaching the
     * hypervisor's space, a bad vCPU; an unmapped area is taken (its
     * copies fail quietly, as Xen's). */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, 0x1000, 0, 0), -XEN_EFAULT);
    arg[0] = 0xf5800000u - 43;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, ARG, 0, 0), -XEN_EFAULT);
    arg[0] = 0xffffffc0u;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, ARG, 0, 0), -XEN_EFAULT);
    ck_assert_uint_eq(v0->arch->runstate_gva, A0);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 2, ARG, 0, 0), -XEN_ENOENT);
    arg[0] = 0x1000;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, ARG, 0, 0), 0);
    pv_runstate_publish(v0);
    /* 0 unregisters: the old area is no longer written. */
    arg[0] = A0;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, ARG, 0, 0), 0);
    arg[0] = 0;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, ARG, 0, 0), 0);
    memset(g(A0), 0xa5, sizeof(struct kmv_runstate_info32));
    fake_tsc = 9000000;
    vcpu_wake(v0);
    vcpu_yield(v1);
    ck_assert_ptr_eq(sched_pick(&c0), v0);
    pv_vcpu_switch(v1, v0);
    ck_assert_uint_eq((uint32_t)area(A0)->state, 0xa5a5a5a5u);
    ck_assert_int_eq(area(A1)->state, RUNSTATE_runnable);
}
END_TEST

START_TEST(grant_table)
{
    build("mem=64M lowmem=32M vcpus=1");
    struct kmv_gnttab_setup_table32 *st = g(SCRATCH);
    uint32_t *frames = g(SCRATCH + 0x100);
    *st = (struct kmv_gnttab_setup_table32){ .dom = DOMID_SELF, .nr_frames = 2, .status = 99, .frame_list = SCRATCH + 0x100 };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, SCRATCH, 1, 0, 0), 0);
    ck_assert_int_eq(st->status, GNTST_okay);
    ck_assert_uint_eq(dom.arch->grant_frames, 2);
    ck_assert_uint_eq(frames[0], dom.arch->grant_mfn[0]);
    ck_assert_uint_eq(frames[1], dom.arch->grant_mfn[1]);
    ck_assert_uint_eq(pv_mfn_to_pfn(dom.arch, frames[0]), M2P_NONE); /* the hypervisor's frames, not guest RAM */
    uint8_t *gt = fake_phys_to_virt((uint64_t)frames[0] << PAGE_SHIFT);
    for (unsigned i = 0; i < PAGE_SIZE; i++)
        ck_assert_uint_eq(gt[i], 0);
    /* Asking again gives the same frames. */
    frames[0] = frames[1] = 0;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, SCRATCH, 1, 0, 0), 0);
    ck_assert_uint_eq(frames[0], dom.arch->grant_mfn[0]);
    /* Too many frames, another domain: status errors; bad lists: -EFAULT. */
    st->nr_frames = KMV_GRANT_FRAMES + 1;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, SCRATCH, 1, 0, 0), 0);
    ck_assert_int_eq(st->status, GNTST_general_error);
    st->nr_frames = 1, st->dom = 3;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, SCRATCH, 1, 0, 0), 0);
    ck_assert_int_eq(st->status, GNTST_bad_domain);
    st->dom = DOMID_SELF, st->frame_list = 0x1000;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, SCRATCH, 1, 0, 0), -XEN_EFAULT);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, SCRATCH, 513, 0, 0), -XEN_EINVAL);
    /* query_size */
    struct gnttab_query_size *q = g(SCRATCH);
    *q = (struct gnttab_query_size){ .dom = DOMID_SELF };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, SCRATCH, 1, 0, 0), 0);
    ck_assert_uint_eq(q->nr_frames, 2);
    ck_assert_uint_eq(q->max_nr_frames, KMV_GRANT_FRAMES);
    ck_assert_int_eq(q->status, GNTST_okay);
    /* set_version / get_version: v1 only. */
    uint32_t *ver = g(SCRATCH);
    ver[0] = 1;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_grant_table_op, GNTTABOP_set_version, SCRATCH, 1, 0, 0), 0);
    ver[0] = 2;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_grant_table_op, GNTTABOP_set_version, SCRATCH, 1, 0, 0), -XEN_EOPNOTSUPP);
    ck_assert_uint_eq(ver[0], 1); /* the version in force, written back */
    ver[0] = 0;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_grant_table_op, GNTTABOP_set_version, SCRATCH, 1, 0, 0), -XEN_EINVAL);
    struct gnttab_get_version *gv = g(SCRATCH);
    *gv = (struct gnttab_get_version){ .dom = DOMID_SELF };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_grant_table_op, GNTTABOP_get_version, SCRATCH, 1, 0, 0), 0);
    ck_assert_uint_eq(gv->version, 1);
    for (uint32_t cmd = 0; cmd < 16; cmd++)
        if (cmd != GNTTABOP_setup_table && cmd != GNTTABOP_query_size && cmd != GNTTABOP_set_version &&
            cmd != GNTTABOP_get_version)
            ck_assert_int_eq(HC(v0, __HYPERVISOR_grant_table_op, cmd, SCRATCH, 1, 0, 0), -XEN_ENOSYS);
}
END_TEST

START_TEST(callbacks)
{
    build("mem=64M lowmem=32M vcpus=1");
    struct kmv_callback_register32 *cb = g(SCRATCH);
    /* syscall32 and sysenter: not supported here (no fast system calls
     * from ring 3), Xen's -ENOSYS, whatever the selector; Linux then
     * falls back to int $0x80. */
    *cb = (struct kmv_callback_register32){ CALLBACKTYPE_syscall32, CALLBACKF_mask_events, GUEST_RING1_CS, 0xc0101000 };
    ck_assert_int_eq(HC(v0, __HYPERVISOR_callback_op, CALLBACKOP_register, SCRATCH, 0, 0, 0), -XEN_ENOSYS);
    cb->type = CALLBACKTYPE_sysenter;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_callback_op, CALLBACKOP_register, SCRATCH, 0, 0, 0), -XEN_ENOSYS);
    cb->flags = 0;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_callback_op, CALLBACKOP_register, SCRATCH, 0, 0, 0), -XEN_ENOSYS);
    cb->cs = GUEST_RING3_CS;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_callback_op, CALLBACKOP_register, SCRATCH, 0, 0, 0), -XEN_ENOSYS);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_callback_op, CALLBACKOP_unregister, SCRATCH, 0, 0, 0), -XEN_EINVAL);
    cb->type = CALLBACKTYPE_failsafe;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_callback_op, CALLBACKOP_register, SCRATCH, 0, 0, 0), -XEN_EPERM);
    cb->type = CALLBACKTYPE_sysenter;
    cb->type = CALLBACKTYPE_nmi;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_callback_op, CALLBACKOP_register, SCRATCH, 0, 0, 0), 0);
    ck_assert_uint_eq(v0->arch->nmi_eip, 0xc0101000);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_callback_op, CALLBACKOP_unregister, SCRATCH, 0, 0, 0), 0);
    ck_assert_uint_eq(v0->arch->nmi_eip, 0);
    cb->type = CALLBACKTYPE_event;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_callback_op, CALLBACKOP_unregister, SCRATCH, 0, 0, 0), -XEN_EINVAL);
    cb->type = CALLBACKTYPE_syscall; /* x86-64's */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_callback_op, CALLBACKOP_register, SCRATCH, 0, 0, 0), -XEN_ENOSYS);
    cb->type = CALLBACKTYPE_event, cb->flags = 4, cb->cs = GUEST_RING1_CS;
    ck_assert_int_eq(HC(v0, __HYPERVISOR_callback_op, CALLBACKOP_register, SCRATCH, 0, 0, 0), -XEN_EINVAL);
}
END_TEST

/* Put the instruction bytes at CODE and run the #GP emulation on them. */
static bool emulate(struct vcpu *v, const void *insn, size_t len, unsigned ring)
{
    memcpy(g(CODE), insn, len);
    vregs(v)->rip = CODE;
    vregs(v)->cs = ring == 1 ? GUEST_RING1_CS : GUEST_RING3_CS;
    return pv_emulate_privileged(v);
}

START_TEST(port_io)
{
    build("mem=64M lowmem=32M vcpus=1");
    struct trap_frame *r = vregs(v0);
    static const uint8_t inb71[] = { 0xe4, 0x71 }, inw_dx[] = { 0x66, 0xed }, outl_dx[] = { 0xef },
                         outb80[] = { 0xe6, 0x80 }, ins[] = { 0x6c };
    /* IOPL 0: every access is the guest's #GP. */
    ck_assert(!emulate(v0, inb71, 2, 1));
    ck_assert(!emulate(v0, outl_dx, 1, 1));
    ck_assert_uint_eq(r->rip, CODE);
    /* IOPL 1: the kernel may, user code may not; reads are all ones, of the size. */
    v0->arch->iopl = 1;
    r->rax = 0x12345678;
    ck_assert(emulate(v0, inb71, 2, 1));
    ck_assert_uint_eq(r->rax, 0x123456ff);
    ck_assert_uint_eq(r->rip, CODE + 2);
    r->rax = 0x12345678, r->rdx = 0x1f0;
    ck_assert(emulate(v0, inw_dx, 2, 1));
    ck_assert_uint_eq(r->rax, 0x1234ffff);
    ck_assert(emulate(v0, outl_dx, 1, 1));
    ck_assert_uint_eq(r->rip, CODE + 1);
    ck_assert(!emulate(v0, inb71, 2, 3));
    ck_assert(!emulate(v0, ins, 1, 1)); /* string I/O: not emulated */
    v0->arch->iopl = 3;
    ck_assert(emulate(v0, inb71, 2, 3));
    /* The I/O bitmap: port 0x80 clear, 0x71 set, past the limit denied. */
    v0->arch->iopl = 0;
    uint8_t *bmp = g(SCRATCH + 0x800);
    memset(bmp, 0xff, 0x20);
    bmp[0x80 / 8] &= (uint8_t)~1;
    v0->arch->iobmp = SCRATCH + 0x800, v0->arch->iobmp_limit = 0x100;
    ck_assert(emulate(v0, outb80, 2, 1));
    ck_assert(emulate(v0, outb80, 2, 3));
    ck_assert(!emulate(v0, inb71, 2, 1));
    r->rdx = 0x80;
    ck_assert(!emulate(v0, outl_dx, 1, 1)); /* 4 bytes: 0x81-0x83 are set */
    v0->arch->iobmp_limit = 0x80;
    ck_assert(!emulate(v0, outb80, 2, 1));
    v0->arch->iobmp = 0x1000, v0->arch->iobmp_limit = 0x100; /* an unmapped bitmap denies */
    ck_assert(!emulate(v0, outb80, 2, 1));
}
END_TEST

START_TEST(msrs_and_debug_registers)
{
    build("mem=64M lowmem=32M vcpus=1");
    struct trap_frame *r = vregs(v0);
    static const uint8_t rdmsr[] = { 0x0f, 0x32 }, wrmsr[] = { 0x0f, 0x30 };
    r->rcx = 0xc0000080;
    ck_assert(emulate(v0, rdmsr, 2, 1));
    ck_assert_uint_eq(r->rax, 1u << 11); /* NXE, no LME/LMA */
    ck_assert_uint_eq(r->rdx, 0);
    ck_assert(emulate(v0, wrmsr, 2, 1)); /* the same value back */
    r->rax |= 1u << 8;
    ck_assert(!emulate(v0, wrmsr, 2, 1));
    ck_assert(!emulate(v0, rdmsr, 2, 3)); /* never from ring 3 */
    r->rcx = 0x277;
    ck_assert(emulate(v0, rdmsr, 2, 1));
    ck_assert_uint_eq(r->rax | (uint64_t)r->rdx << 32, 0x0000050100070406ull);
    static const uint32_t gp[] = { 0x1b, 0x174, 0x175, 0x176, 0xc0000081, 0xc0000100, 0xc0000101, 0x40000000, 0xffffffff };
    for (unsigned i = 0; i < sizeof(gp) / sizeof(gp[0]); i++) {
        r->rcx = gp[i];
        ck_assert_msg(!emulate(v0, rdmsr, 2, 1), "rdmsr %#x", gp[i]);
    }
    /* The hypercall page by MSR 0x40000000: a frame of the guest's. */
    uint32_t pfn = (SCRATCH + 0x1000 - dom.arch->virt_base) >> PAGE_SHIFT;
    memset(g(SCRATCH + 0x1000), 0, PAGE_SIZE);
    r->rcx = 0x40000000, r->rax = pfn << PAGE_SHIFT, r->rdx = 0;
    ck_assert(emulate(v0, wrmsr, 2, 1));
    const uint8_t *page = g(SCRATCH + 0x1000);
    ck_assert_uint_eq(page[0], 0xb8);                  /* mov $0, %eax */
    ck_assert_uint_eq(page[32 * 23], 0x50);            /* iret: push %eax first */
    ck_assert_uint_eq(page[32 * 17 + 5], 0xcd);        /* int $0x82 */
    r->rax = (uint32_t)dom.arch->nr_pages << PAGE_SHIFT;
    ck_assert(!emulate(v0, wrmsr, 2, 1));
    r->rax = (pfn << PAGE_SHIFT) | 1;
    ck_assert(!emulate(v0, wrmsr, 2, 1));
    /* mov to/from debug registers: set_debugreg's rules. */
    static const uint8_t mov_eax_dr0[] = { 0x0f, 0x23, 0xc0 }, mov_dr0_ecx[] = { 0x0f, 0x21, 0xc1 },
                         mov_eax_dr7[] = { 0x0f, 0x23, 0xf8 }, mov_dr5_edx[] = { 0x0f, 0x21, 0xea };
    r->rax = 0x00401000;
    ck_assert(emulate(v0, mov_eax_dr0, 3, 1));
    ck_assert_uint_eq(v0->arch->dr[0], 0x00401000);
    ck_assert(emulate(v0, mov_dr0_ecx, 3, 1));
    ck_assert_uint_eq(r->rcx, 0x00401000);
    r->rax = 0xffe00000; /* the hypervisor's */
    ck_assert(!emulate(v0, mov_eax_dr0, 3, 1));
    r->rax = 1u << 13;   /* GD */
    ck_assert(!emulate(v0, mov_eax_dr7, 3, 1));
    r->rax = 0x3;
    ck_assert(emulate(v0, mov_eax_dr7, 3, 1));
    ck_assert(emulate(v0, mov_dr5_edx, 3, 1)); /* DR5 is DR7 */
    ck_assert_uint_eq(r->rdx, 0x403);
    ck_assert(!emulate(v0, mov_dr0_ecx, 3, 3));
}
END_TEST

/* VCPUOP_initialise: debug registers by set_debugreg's rules, the
 * context's IOPL as the virtual IOPL. */
START_TEST(initialise_debugregs_and_iopl)
{
    build("mem=64M lowmem=32M vcpus=2");
    struct vcpu_guest_context_x86_32 *ctx = g(SCRATCH);
    struct vcpu *t = &dom.vcpu[1];
    for (unsigned bad = 0; bad < 3; bad++) {
        memset(ctx, 0, sizeof(*ctx));
        ctx->user_regs.cs = 0xe019, ctx->user_regs.ss = 0xe021, ctx->kernel_ss = 0xe021;
        if (bad == 0)
            ctx->debugreg[0] = 0xffe00000u;  /* the hypervisor's */
        else if (bad == 1)
            ctx->debugreg[7] = 1u << 13;     /* GD */
        else
            ctx->debugreg[7] = 0x20001;      /* an I/O breakpoint */
        ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, SCRATCH, 0, 0), -XEN_EINVAL);
        ck_assert(!t->initialised);
    }
    memset(ctx, 0, sizeof(*ctx));
    ctx->user_regs.cs = 0xe019, ctx->user_regs.ss = 0xe021, ctx->kernel_ss = 0xe021;
    ctx->debugreg[1] = 0x00402000u, ctx->debugreg[7] = 0x4;
    ctx->debugreg[5] = 0xdeadbeef; /* ignored */
    ctx->user_regs.eflags = 0x202 | (1u << 12);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, SCRATCH, 0, 0), 0);
    ck_assert_uint_eq(t->arch->dr[1], 0x00402000u);
    ck_assert_uint_eq(t->arch->dr[7], 0x404);
    ck_assert_uint_eq(t->arch->dr[5], 0);
    ck_assert_uint_eq(t->arch->iopl, 1);
}
END_TEST

Suite *xen_ops_suite(void)
{
    Suite *s = suite_create("xen-ops");
    TCase *tc = tcase_create("physdev-grant-callback-emulation");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, physdev);
    tcase_add_test(tc, bind_virq_every_virq);
    tcase_add_test(tc, runstate_and_time);
    tcase_add_test(tc, grant_table);
    tcase_add_test(tc, callbacks);
    tcase_add_test(tc, port_io);
    tcase_add_test(tc, msrs_and_debug_registers);
    tcase_add_test(tc, initialise_debugregs_and_iopl);
    suite_add_tcase(s, tc);
    return s;
}
