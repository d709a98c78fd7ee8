/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * grant_table_op: what a PV guest's boot path needs.  A domain's grant
 * table is up to KMV_GRANT_FRAMES hypervisor frames (v1 entries),
 * allocated zeroed at the first setup_table that asks for them and shared
 * with the domain (pv_share_frame) so that it may map them; nobody
 * maps foreign grants here (one domain), so map/unmap/copy/transfer and
 * the v2 status frames are -ENOSYS.  Each op takes an array of count
 * structures, as on Xen; status codes go in the structures.
 */
#include "pv.h"
#include <xen/grant_table.h>
#include <asm/mmu.h>
#include "page_type.h"

static int16_t own_domain(struct vcpu *v, domid_t dom)
{
    return dom == DOMID_SELF || dom == v->d->id ? GNTST_okay : GNTST_bad_domain;
}

/* The table's first n frames, allocated now if they are not yet. */
static bool grant_frames(struct domain *d, uint32_t n)
{
    struct arch_domain *ad = d->arch;
    for (uint32_t i = ad->grant_frames; i < n; i++) {
        if (ad->nr_shared >= ARRAY_SIZE(ad->shared))
            return false; /* no room to share it: nothing allocated */
        int64_t mfn = fa_alloc(&host_frames, 1, 1);
        if (mfn < 0)
            return false;
        memset(phys_to_virt((uint64_t)mfn << PAGE_SHIFT), 0, PAGE_SIZE);
        /* The guest may map it writable (update_va_mapping, mmu_update). */
        if (pv_share_frame(d, (uint64_t)mfn, true))
            return false;
        ad->grant_mfn[i] = (uint32_t)mfn;
        ad->grant_frames = i + 1;
    }
    return true;
}

static long setup_table(struct vcpu *v, uint32_t arg)
{
    struct kmv_gnttab_setup_table32 s;
    if (copy_from_guest(v, &s, arg, sizeof(s)))
        return -XEN_EFAULT;
    s.status = own_domain(v, s.dom);
    if (s.status == GNTST_okay && s.nr_frames > KMV_GRANT_FRAMES)
        s.status = GNTST_general_error;
    spin_lock(&v->d->lock);
    if (s.status == GNTST_okay && !grant_frames(v->d, s.nr_frames))
        s.status = GNTST_general_error;
    spin_unlock(&v->d->lock);
    for (uint32_t i = 0; s.status == GNTST_okay && i < s.nr_frames; i++)
        if (copy_to_guest(v, s.frame_list + i * 4, &v->d->arch->grant_mfn[i], 4))
            return -XEN_EFAULT;
    return copy_to_guest(v, arg + offsetof(struct kmv_gnttab_setup_table32, status), &s.status, sizeof(s.status))
               ? -XEN_EFAULT : 0;
}

static long query_size(struct vcpu *v, uint32_t arg)
{
    struct gnttab_query_size q;
    if (copy_from_guest(v, &q, arg, sizeof(q)))
        return -XEN_EFAULT;
    q.status = own_domain(v, q.dom);
    if (q.status == GNTST_okay) {
        q.nr_frames = v->d->arch->grant_frames;
        q.max_nr_frames = KMV_GRANT_FRAMES;
    }
    return copy_to_guest(v, arg, &q, sizeof(q)) ? -XEN_EFAULT : 0;
}

long do_grant_table_op(struct vcpu *v, const uint32_t *a)
{
    uint32_t cmd = a[0], uop = a[1], count = a[2];
    long r = 0;
    switch (cmd) {
    case GNTTABOP_setup_table:
    case GNTTABOP_query_size:
        if (count > 512)
            return -XEN_EINVAL;
        for (uint32_t i = 0; i < count && !r; i++)
            r = cmd == GNTTABOP_setup_table ? setup_table(v, uop + i * (uint32_t)sizeof(struct kmv_gnttab_setup_table32))
                                            : query_size(v, uop + i * (uint32_t)sizeof(struct gnttab_query_size));
        return r;
    case GNTTABOP_set_version: {
        struct gnttab_set_version s;
        if (count != 1)
            return -XEN_EINVAL;
        if (copy_from_guest(v, &s, uop, sizeof(s)))
            return -XEN_EFAULT;
        /* Version 1 only (as a Xen booted with gnttab=max-ver:1). */
        r = s.version == 1 ? 0 : s.version == 2 ? -XEN_EOPNOTSUPP : -XEN_EINVAL;
        s.version = 1;
        return copy_to_guest(v, uop, &s, sizeof(s)) ? -XEN_EFAULT : r;
    }
    case GNTTABOP_get_version: {
        struct gnttab_get_version g;
        if (count != 1)
            return -XEN_EINVAL;
        if (copy_from_guest(v, &g, uop, sizeof(g)))
            return -XEN_EFAULT;
        if (own_domain(v, g.dom) != GNTST_okay)
            return -XEN_ESRCH;
        g.version = 1;
        return copy_to_guest(v, uop, &g, sizeof(g)) ? -XEN_EFAULT : 0;
    }
    default:
        return -XEN_ENOSYS;
    }
}
