/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * physdev_op (and its old form, physdev_op_compat), as Xen answers an
 * unprivileged PV domain: set_iopl and set_iobitmap (the vCPU's virtual
 * I/O privilege, which the port I/O emulation obeys: priv_insn.c), the
 * pirq queries a PV kernel makes at boot with the answers of a domain
 * that has no physical IRQs (nr_pirqs 0: -EINVAL for every irq, no free
 * pirq), pirq_eoi_gmfn (a frame of the domain's, recorded), and -EPERM
 * for what only the hardware domain may do.
 */
#include "pv.h"
#include "page_type.h"
#include <xen/physdev.h>

static long physdev(struct vcpu *v, uint32_t cmd, uint32_t arg)
{
    struct arch_vcpu *av = v->arch;
    switch (cmd) {
    case PHYSDEVOP_set_iopl: {
        struct physdev_set_iopl s;
        if (copy_from_guest(v, &s, arg, sizeof(s)))
            return -XEN_EFAULT;
        if (s.iopl > 3)
            return -XEN_EINVAL;
        av->iopl = (uint8_t)s.iopl;
        return 0;
    }
    case PHYSDEVOP_set_iobitmap: {
        struct kmv_physdev_set_iobitmap32 s;
        if (copy_from_guest(v, &s, arg, sizeof(s)))
            return -XEN_EFAULT;
        if (s.nr_ports > 65536)
            return -XEN_EINVAL;
        av->iobmp = s.bitmap;        /* read at each access, as Xen does */
        av->iobmp_limit = s.nr_ports;
        return 0;
    }
    case PHYSDEVOP_irq_status_query:
    case PHYSDEVOP_eoi: {
        uint32_t irq;
        if (copy_from_guest(v, &irq, arg, sizeof(irq)))
            return -XEN_EFAULT;
        return -XEN_EINVAL; /* irq >= nr_pirqs (0) */
    }
    case PHYSDEVOP_get_free_pirq: {
        struct physdev_get_free_pirq p;
        if (copy_from_guest(v, &p, arg, sizeof(p)))
            return -XEN_EFAULT;
        return -XEN_ENOSPC;
    }
    case PHYSDEVOP_pirq_eoi_gmfn_v1:
    case PHYSDEVOP_pirq_eoi_gmfn_v2: {
        /* xen_pfn_t: 32 bits for a 32-bit guest; for a PV guest a gmfn
         * is a machine frame (Linux passes virt_to_gfn = pfn_to_mfn). */
        uint32_t gmfn;
        if (copy_from_guest(v, &gmfn, arg, sizeof(gmfn)))
            return -XEN_EFAULT;
        struct arch_domain *ad = v->d->arch;
        if (__atomic_exchange_n(&ad->pirq_eoi_gmfn_set, true, __ATOMIC_SEQ_CST))
            return -XEN_EBUSY;
        /* The hypervisor may write the bitmap from now on (an EOI bit per
         * pirq; none today): held writable for good, as Xen's
         * get_page_and_type(PGT_writable_page) does, so it can never
         * become a table.  Not the domain's, or a table now: -EINVAL. */
        pv_mmu_lock(v);
        bool held = pv_hold_writable(ad, gmfn, "pirq EOI bitmap") != NULL;
        pv_mmu_unlock(v);
        if (!held) {
            __atomic_store_n(&ad->pirq_eoi_gmfn_set, false, __ATOMIC_SEQ_CST);
            return -XEN_EINVAL;
        }
        ad->pirq_eoi_gmfn = gmfn;
        return 0;
    }
    case PHYSDEVOP_IRQ_UNMASK_NOTIFY:
        return 0; /* no pirqs to unmask */
    case PHYSDEVOP_apic_read:
    case PHYSDEVOP_apic_write:
    case PHYSDEVOP_alloc_irq_vector:
    case PHYSDEVOP_free_irq_vector:
    case PHYSDEVOP_map_pirq:
    case PHYSDEVOP_unmap_pirq:
    case PHYSDEVOP_manage_pci_add:
    case PHYSDEVOP_manage_pci_remove:
    case PHYSDEVOP_manage_pci_add_ext:
    case PHYSDEVOP_restore_msi:
    case PHYSDEVOP_restore_msi_ext:
    case PHYSDEVOP_setup_gsi:
    case PHYSDEVOP_pci_device_add:
    case PHYSDEVOP_pci_device_remove:
    case PHYSDEVOP_pci_mmcfg_reserved:
    case PHYSDEVOP_prepare_msix:
    case PHYSDEVOP_release_msix:
    case PHYSDEVOP_dbgp_op:
        return -XEN_EPERM; /* the hardware domain's */
    default:
        return -XEN_ENOSYS;
    }
}

long do_physdev_op(struct vcpu *v, const uint32_t *a)
{
    return physdev(v, a[0], a[1]);
}

/* The old form: struct physdev_op, the command then its argument. */
long do_physdev_op_compat(struct vcpu *v, const uint32_t *a)
{
    uint32_t cmd;
    if (copy_from_guest(v, &cmd, a[0], sizeof(cmd)))
        return -XEN_EFAULT;
    return physdev(v, cmd, a[0] + 4);
}
