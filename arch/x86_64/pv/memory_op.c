/* SPDX-License-Identifier: GPL-2.0-only */
/* memory_op's queries a PV guest makes at boot, and vm_assist. */
#include "pv.h"
#include <xen/memory.h>
#include <asm/mmu.h>

/* The domid argument of the reservation queries: this domain only. */
static long own_domain(struct vcpu *v, uint32_t arg)
{
    domid_t dom;
    if (copy_from_guest(v, &dom, arg, sizeof(dom)))
        return -XEN_EFAULT;
    return dom == DOMID_SELF || dom == v->d->id ? 0 : -XEN_ESRCH;
}

long do_memory_op(struct vcpu *v, const uint32_t *a)
{
    const struct arch_domain *ad = v->d->arch;
    uint32_t arg = a[1];
    long r;
    switch (a[0]) {
    case XENMEM_maximum_ram_page: /* the highest machine frame the guest can meet */
        return (long)(ad->m2p_frames - 1);
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
        return (r = own_domain(v, arg)) ? r : (long)ad->nr_usable_pages;
    case XENMEM_maximum_gpfn:
        return (r = own_domain(v, arg)) ? r : (long)ad->nr_usable_pages - 1;
    case XENMEM_memory_map: {
        /* One stretch of RAM: every pfn the guest may use. */
        struct kmv_memory_map32 m;
        if (copy_from_guest(v, &m, arg, sizeof(m)))
            return -XEN_EFAULT;
        if (m.nr_entries < 1)
            return -XEN_EINVAL;
        struct kmv_e820_entry e = { 0, (uint64_t)ad->nr_usable_pages << PAGE_SHIFT, 1 /* E820_RAM */ };
        m.nr_entries = 1;
        if (copy_to_guest(v, m.buffer, &e, sizeof(e)) || copy_to_guest(v, arg, &m, sizeof(m.nr_entries)))
            return -XEN_EFAULT;
        return 0;
    }
    case XENMEM_machphys_mapping: {
        /* Where the read-only M2P is (guest_pt.c): Xen's compat start
         * (MACH2PHYS_COMPAT_VIRT_START, 0xF5800000), and the end of what
         * kmapvisor maps there: at most the PAE public layout's 16 MiB
         * (__MACH2PHYS_VIRT_END_PAE), one entry per host frame.  Xen's
         * 64-bit build answers v_end 0xFFE00000, max_mfn 0x297FFFF; that
         * space is kmapvisor's own here (the window), so it is not
         * claimed. */
        uint32_t entries = (uint32_t)MIN(ad->m2p_frames, (uint64_t)(PV_M2P_VIRT_END - PV_M2P_VIRT_START) / 4);
        struct kmv_machphys_mapping32 m = { PV_M2P_VIRT_START, PV_M2P_VIRT_START + entries * 4, entries - 1 };
        return copy_to_guest(v, arg, &m, sizeof(m)) ? -XEN_EFAULT : 0;
    }
    case XENMEM_machphys_mfn_list: {
        /* The frames of the M2P the guest sees at MACH2PHYS_VIRT_START, a
         * 2 MiB extent each. */
        struct kmv_machphys_mfn_list32 l;
        if (copy_from_guest(v, &l, arg, sizeof(l)))
            return -XEN_EFAULT;
        uint32_t extents = (uint32_t)MIN(ad->m2p_frames * sizeof(*ad->m2p),
                                         (uint64_t)(PV_M2P_VIRT_END - PV_M2P_VIRT_START)) >> 21;
        uint32_t n = MIN(l.max_extents, extents), base = (uint32_t)(virt_to_phys(ad->m2p) >> PAGE_SHIFT);
        for (uint32_t i = 0; i < n; i++) {
            uint32_t mfn = base + i * 512;
            if (copy_to_guest(v, l.extent_start + i * 4, &mfn, 4))
                return -XEN_EFAULT;
        }
        l.nr_extents = n;
        return copy_to_guest(v, arg + offsetof(struct kmv_machphys_mfn_list32, nr_extents), &l.nr_extents, 4)
                   ? -XEN_EFAULT : 0;
    }
    default:
        return -XEN_ENOSYS;
    }
}

/* vm_assist(cmd, type): the assists a 32-bit PV guest may ask for are
 * recorded (kmapvisor behaves the same either way: it has no guest page
 * tables to make writable yet, and 4 GiB segments are all it gives). */
long do_vm_assist(struct vcpu *v, const uint32_t *a)
{
    uint32_t cmd = a[0], type = a[1];
    if (cmd != VMASST_CMD_enable && cmd != VMASST_CMD_disable)
        return -XEN_ENOSYS;
    if (type > VMASST_TYPE_runstate_update_flag)
        return -XEN_EINVAL;
    if (cmd == VMASST_CMD_enable)
        __atomic_fetch_or(&v->d->arch->vm_assist, 1u << type, __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(&v->d->arch->vm_assist, ~(1u << type), __ATOMIC_SEQ_CST);
    return 0;
}
