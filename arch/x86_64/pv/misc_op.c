/* SPDX-License-Identifier: GPL-2.0-only */
/* console_io, xen_version and sched_op. */
#include "pv.h"
#include <xen/sched.h>
#include <xen/version.h>

long do_console_io(struct vcpu *v, const uint32_t *a)
{
    uint32_t cmd = a[0], count = a[1], buf = a[2];
    char tmp[256];
    if (cmd == CONSOLEIO_read)
        return 0;
    if (cmd != CONSOLEIO_write)
        return -XEN_ENOSYS;
    if (count > (1u << 16))
        return -XEN_EINVAL;
    for (uint32_t done = 0; done < count;) {
        uint32_t n = MIN(count - done, (uint32_t)sizeof(tmp));
        if (copy_from_guest(v, tmp, buf + done, n))
            return -XEN_EFAULT;
        console_emit(CONSOLE_GUEST, tmp, n);
        done += n;
    }
    return 0;
}

long do_xen_version(struct vcpu *v, const uint32_t *a)
{
    uint32_t arg = a[1];
    switch (a[0]) {
    case XENVER_version:
        return (4 << 16) | 17;
    case XENVER_extraversion: {
        xen_extraversion_t s = "-kmapvisor";
        return copy_to_guest(v, arg, s, sizeof(s)) ? -XEN_EFAULT : 0;
    }
    case XENVER_capabilities: {
        static const xen_capabilities_info_t s = "xen-3.0-x86_32p";
        return copy_to_guest(v, arg, s, sizeof(s)) ? -XEN_EFAULT : 0;
    }
    case XENVER_get_features: {
        xen_feature_info_t f;
        if (copy_from_guest(v, &f.submap_idx, arg, sizeof(f.submap_idx)))
            return -XEN_EFAULT;
        f.submap = 0; /* no optional features */
        return copy_to_guest(v, arg + offsetof(xen_feature_info_t, submap), &f.submap, sizeof(f.submap))
                   ? -XEN_EFAULT : 0;
    }
    case XENVER_pagesize:
        return PAGE_SIZE;
    case XENVER_compile_info: {
        xen_compile_info_t ci = { .compiler = "gcc", .compile_by = "kmapvisor", .compile_domain = "",
                                  .compile_date = __DATE__ };
        return copy_to_guest(v, arg, &ci, sizeof(ci)) ? -XEN_EFAULT : 0;
    }
    case XENVER_changeset: {
        static const xen_changeset_info_t cs = "kmapvisor";
        return copy_to_guest(v, arg, cs, sizeof(cs)) ? -XEN_EFAULT : 0;
    }
    case XENVER_platform_parameters: {
        /* A 32-bit guest's struct: one 32-bit field, where its space ends. */
        uint32_t virt_start = PV_M2P_VIRT_START; /* HYPERVISOR_VIRT_START (PAE) */
        return copy_to_guest(v, arg, &virt_start, sizeof(virt_start)) ? -XEN_EFAULT : 0;
    }
    case XENVER_guest_handle: {
        static const xen_domain_handle_t none; /* no toolstack gave it a UUID */
        return copy_to_guest(v, arg, none, sizeof(none)) ? -XEN_EFAULT : 0;
    }
    case XENVER_commandline:
    case XENVER_build_id:
        return -XEN_EPERM; /* the hypervisor's own: a domU is not told, as on Xen */
    default:
        return -XEN_ENOSYS;
    }
}

static long do_shutdown(struct vcpu *v, uint32_t reason)
{
    if (reason > SHUTDOWN_soft_reset)
        return -XEN_EINVAL;
    if (reason == SHUTDOWN_crash)
        printk("kmapvisor: d%uv%u asked to crash (SHUTDOWN_crash)\n", v->d->id, v->id);
    sstep_report(v->d);
    domain_shutdown(v->d, reason);
}

static long sched_op(struct vcpu *v, uint32_t cmd, uint32_t arg, bool compat)
{
    switch (cmd) {
    case SCHEDOP_yield:
        vcpu_yield(v);
        return 0;
    case SCHEDOP_block:
        /* Xen's block enables event delivery and sleeps until an event. */
        v->info->evtchn_upcall_mask = 0;
        vcpu_block(v);
        return 0;
    case SCHEDOP_shutdown: {
        if (compat) /* the old call passes the reason itself */
            return do_shutdown(v, arg);
        struct sched_shutdown s;
        if (copy_from_guest(v, &s, arg, sizeof(s)))
            return -XEN_EFAULT;
        return do_shutdown(v, s.reason);
    }
    default:
        return -XEN_ENOSYS;
    }
}

long do_sched_op(struct vcpu *v, const uint32_t *a) { return sched_op(v, a[0], a[1], false); }
long do_sched_op_compat(struct vcpu *v, const uint32_t *a) { return sched_op(v, a[0], a[1], true); }
