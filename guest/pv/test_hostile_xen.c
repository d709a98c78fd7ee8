/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Group "xenpv": hostile calls on the Xen interfaces of issue 10 --
 * physdev_op, grant_table_op, the emulated privileged instructions (MSRs,
 * port I/O by the virtual IOPL, debug-register moves) and the xenstore
 * ring (malformed requests, then bogus indices, which disconnect the
 * backend with a diagnostic: the hypervisor stays up and the suite goes
 * on).  Group "xenstore-garbage" is run alone (the store is gone after it).
 */
#include "test_hostile.h"
#include "rings.h"
#include <xen/physdev.h>
#include <xen/grant_table.h>
#include <xen/io/xs_wire.h>

static const trap_info_t gp_table[] = {
    { 13, 0, FLAT_RING1_CS, (unsigned long)hostile_catch_13 },
    { 0, 0, 0, 0 },
};

static volatile uint32_t msr_idx, msr_lo, msr_hi, io_val;
static void do_rdmsr(void) { __asm__ volatile("rdmsr" : "=a"(msr_lo), "=d"(msr_hi) : "c"(msr_idx)); }
static void do_wrmsr(void) { __asm__ volatile("wrmsr" : : "a"(msr_lo), "d"(msr_hi), "c"(msr_idx)); }
static void do_inb(void) { uint32_t v = 0x12345678; __asm__ volatile("inb $0x71, %%al" : "+a"(v)); io_val = v; }
static void do_inw_dx(void) { uint32_t v = 0x12345678; __asm__ volatile("inw %%dx, %%ax" : "+a"(v) : "d"(0x1f0)); io_val = v; }
static void do_outl(void) { __asm__ volatile("outl %%eax, %%dx" : : "a"(0xdeadbeef), "d"(0xcf8)); }
static void do_mov_dr7_gd(void) { __asm__ volatile("mov %0, %%db7" : : "r"(1u << 13)); }
static void do_mov_dr0(void) { __asm__ volatile("mov %0, %%db0" : : "r"(0x00401000u)); }
static void do_read_dr0(void) { uint32_t v; __asm__ volatile("mov %%db0, %0" : "=r"(v)); io_val = v; }

static void group_physdev(void)
{
    struct physdev_set_iopl iopl = { .iopl = 4 };
    hostile_report("physdev_op(set_iopl 4)", hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, &iopl), E(EINVAL));
    hostile_report("physdev_op(set_iopl, unmapped)", hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, 0x1000), E(EFAULT));
    struct { uint32_t bitmap, nr_ports; } bmp = { 0x1000, 65537 };
    hostile_report("physdev_op(set_iobitmap, 65537 ports)", hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iobitmap, &bmp), E(EINVAL));
    struct physdev_irq_status_query q = { .irq = 0 };
    hostile_report("physdev_op(irq_status_query 0)", hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_irq_status_query, &q), E(EINVAL));
    struct physdev_eoi eoi = { .irq = 0xffffffffu };
    hostile_report("physdev_op(eoi 0xffffffff)", hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_eoi, &eoi), E(EINVAL));
    uint32_t gmfn = 0xffffffffu;
    hostile_report("physdev_op(pirq_eoi_gmfn, beyond memory)", hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_pirq_eoi_gmfn_v2, &gmfn), E(EINVAL));
    hostile_report("physdev_op(apic_read)", hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_apic_read, &q), E(EPERM));
    hostile_report("physdev_op(map_pirq)", hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_map_pirq, &q), E(EPERM));
    hostile_report("physdev_op(cmd 999)", hypercall2(__HYPERVISOR_physdev_op, 999, &q), E(ENOSYS));
    hostile_report("physdev_op_compat(unmapped)", hypercall1(__HYPERVISOR_physdev_op_compat, 0x1000), E(EFAULT));
    struct { uint32_t cmd, iopl; } old = { PHYSDEVOP_set_iopl, 9 };
    hostile_report("physdev_op_compat(set_iopl 9)", hypercall1(__HYPERVISOR_physdev_op_compat, &old), E(EINVAL));
}

static void group_grant(void)
{
    struct { uint16_t dom, pad; uint32_t nr_frames; int16_t status; uint16_t pad2; uint32_t frame_list; } st;
    uint32_t frames[8];
    st = (typeof(st)){ DOMID_SELF, 0, 1, 99, 0, 0x1000 };
    hostile_report("grant_table_op(setup_table, frame_list unmapped)",
                   hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, &st, 1), E(EFAULT));
    st = (typeof(st)){ DOMID_SELF, 0, 5, 99, 0, (uint32_t)frames };
    hostile_report("grant_table_op(setup_table, 5 frames)", hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, &st, 1), 0);
    hostile_report("... its status", st.status, GNTST_general_error);
    st = (typeof(st)){ 7, 0, 1, 99, 0, (uint32_t)frames };
    hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, &st, 1);
    hostile_report("grant_table_op(setup_table, dom 7): status", st.status, GNTST_bad_domain);
    st = (typeof(st)){ DOMID_SELF, 0, 1, 99, 0, (uint32_t)frames };
    hostile_report("grant_table_op(setup_table, 1 frame)", hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, &st, 1), 0);
    hostile_report("... its status", st.status, GNTST_okay);
    hostile_report("... the frame is no frame of ours", frames[0] != 0 && ((const uint32_t *)MACH2PHYS_VIRT_START)[frames[0]] >= start_info->nr_pages, 1);
    hostile_report("grant_table_op(setup_table, count 100000)", hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, &st, 100000), E(EINVAL));
    hostile_report("grant_table_op(query_size, unmapped)", hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_query_size, 0x1000, 1), E(EFAULT));
    struct gnttab_set_version sv = { 2 };
    hostile_report("grant_table_op(set_version 2)", hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_set_version, &sv, 1), E(EOPNOTSUPP));
    sv.version = 3;
    hostile_report("grant_table_op(set_version 3)", hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_set_version, &sv, 1), E(EINVAL));
    hostile_report("grant_table_op(set_version, count 2)", hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_set_version, &sv, 2), E(EINVAL));
    hostile_report("grant_table_op(map_grant_ref)", hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, &sv, 1), E(ENOSYS));
    hostile_report("grant_table_op(cmd 0xffffffff)", hypercall3(__HYPERVISOR_grant_table_op, 0xffffffffu, &sv, 1), E(ENOSYS));
}

static void group_insns(void)
{
    HYPERVISOR_set_trap_table(gp_table);
    /* MSRs: Xen's answers, #GP for the rest. */
    static const struct { uint32_t idx; long want; } rd[] = {
        { 0xc0000080, 0 }, { 0x277, 0 }, { 0x1a0, 0 }, { 0x10, 0 }, { 0x1b, CAUGHT(13) }, { 0x174, CAUGHT(13) },
        { 0xc0000100, CAUGHT(13) }, { 0x40000000, CAUGHT(13) }, { 0xdeadbeef, CAUGHT(13) },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(rd); i++) {
        msr_idx = rd[i].idx;
        hostile_reportf(hostile_try(do_rdmsr), rd[i].want, "rdmsr(%#x)", rd[i].idx);
    }
    msr_idx = 0xc0000080, msr_lo = 0x501, msr_hi = 0; /* LME|LMA|SCE: not what it reads */
    hostile_report("wrmsr(EFER, another value)", hostile_try(do_wrmsr), CAUGHT(13));
    msr_idx = 0x40000000, msr_lo = 0xfffff000, msr_hi = 0xf; /* the hypercall page beyond memory */
    hostile_report("wrmsr(hypercall page, beyond memory)", hostile_try(do_wrmsr), CAUGHT(13));
    msr_lo = 0x123;
    hostile_report("wrmsr(hypercall page, not page aligned)", hostile_try(do_wrmsr), CAUGHT(13));
    msr_idx = 0x1b, msr_lo = 0, msr_hi = 0;
    hostile_report("wrmsr(APIC base)", hostile_try(do_wrmsr), CAUGHT(13));
    /* Port I/O: #GP at IOPL 0; at IOPL 1 (the kernel's ring) reads give
     * all ones and writes reach nothing. */
    struct physdev_set_iopl iopl = { .iopl = 0 };
    hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, &iopl);
    hostile_report("inb $0x71 at IOPL 0", hostile_try(do_inb), CAUGHT(13));
    hostile_report("outl to 0xcf8 at IOPL 0", hostile_try(do_outl), CAUGHT(13));
    iopl.iopl = 1;
    hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, &iopl);
    hostile_report("inb $0x71 at IOPL 1", hostile_try(do_inb), 0);
    hostile_report("... reads all ones in al only", io_val, 0x123456ff);
    hostile_report("inw (%dx) at IOPL 1", hostile_try(do_inw_dx), 0);
    hostile_report("... reads all ones in ax only", io_val, 0x1234ffff);
    hostile_report("outl to 0xcf8 at IOPL 1", hostile_try(do_outl), 0);
    iopl.iopl = 0;
    hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, &iopl);
    /* Debug registers by mov: set_debugreg's rules. */
    hostile_report("mov to dr7 with GD", hostile_try(do_mov_dr7_gd), CAUGHT(13));
    hostile_report("mov to dr0", hostile_try(do_mov_dr0), 0);
    hostile_report("mov from dr0", hostile_try(do_read_dr0), 0);
    hostile_report("... reads it back", io_val, 0x00401000);
    hostile_restore();
}

void hostile_group_xenpv(void);
void hostile_group_xenpv(void)
{
    group_physdev();
    group_grant();
    group_insns();
    /* The store answers malformed requests, and unknown ones, with errors. */
    char rep[64];
    uint32_t n = sizeof(rep);
    hostile_report("xenstore: read without NUL", xs_request(XS_READ, 0, "domid", 5, rep, &n), XS_ERROR);
    n = sizeof(rep);
    hostile_report("xenstore: type 0xffffffff", xs_request(0xffffffffu, 0, "", 0, rep, &n), XS_ERROR);
    n = sizeof(rep);
    hostile_report("xenstore: write to another domain", xs_request(XS_WRITE, 0, "/local/domain/9/x\0v", 19, rep, &n), XS_ERROR);
    n = sizeof(rep);
    hostile_report("xenstore: a transaction that is not open", xs_request(XS_READ, 77, "domid", 6, rep, &n), XS_ERROR);
}

/* Alone: the xenstore ring's indices made bogus.  The backend must
 * disconnect with its diagnostic, the guest get no answer (not hang),
 * and everything else keep working. */
void hostile_group_xenstore_garbage(void);
void hostile_group_xenstore_garbage(void)
{
    struct xenstore_domain_interface *xs = ring_page(start_info->store_mfn);
    evtchn_send_t s = { .port = start_info->store_evtchn };
    xs->req_prod += 5000;
    hostile_report("xenstore: req_prod 5000 ahead, send", HYPERVISOR_event_channel_op(EVTCHNOP_send, &s), 0);
    char rep[16];
    uint32_t n = sizeof(rep);
    hostile_report("xenstore: a request after it gets no answer", xs_request(XS_READ, 0, "domid", 6, rep, &n) < 0, 1);
    hostile_report("the console still works", HYPERVISOR_xen_version(XENVER_version, NULL), 0x40011);
}
