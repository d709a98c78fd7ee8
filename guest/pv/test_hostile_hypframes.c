/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Group "hypframes": the frames the hypervisor writes through its own
 * mapping -- shared_info, the console ring, the xenstore ring (ordinary
 * frames of the domain's, named by start_info) and the grant-table frames
 * (the hypervisor's, shared with the domain) -- must never become a page
 * table or a descriptor table.  If one did, the hypervisor's next store
 * into it (a time update, a ring index, the cr2 of a #PF or of an
 * emulated mov to %cr2) would be a guest-chosen page-table entry: a full
 * escape.  Xen keeps a writable type reference on such frames for their
 * whole life, so get_page_type to a table or seg-desc type fails: -EINVAL.
 *
 * The guest drops every writable mapping it holds of the frame (found by
 * walking its own page tables), so that only the hypervisor's reference
 * can refuse, then pins it as an L1, L2 and L3, hands it to set_gdt and
 * (read-only mapped) to SET_LDT; whatever is wrongly accepted is undone
 * at once, so that the suite goes on and reports it.  The mappings are
 * put back right after: the guest's own event mask, console and store
 * live in these frames, so nothing in the window may touch them (no
 * printk, events masked before the drop).
 */
#include "test_hostile.h"
#include "test_mm.h"
#include "rings.h"
#include <xen/grant_table.h>
#include <xen/io/console.h>
#include <xen/io/xs_wire.h>

#define M2P ((const uint32_t *)MACH2PHYS_VIRT_START)
#define P2M ((const uint32_t *)start_info->mfn_list)
#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_ADDR 0x000ffffffffff000ull
#define XEN_L2_FIRST_HV_SLOT 428 /* HYPERVISOR_VIRT_START 0xf5800000 in the pae_xen_l2 */
#define MAX_MAPS 8


static long uva(uint32_t va, uint64_t pte) { return HYPERVISOR_update_va_mapping(va, pte, UVMF_INVLPG); }

static uint32_t rd_cr2(void) { uint32_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static void wr_cr2(uint32_t v) { __asm__ volatile("mov %0, %%cr2" : : "r"(v) : "memory"); }

/* ---- the guest's own page tables, read through their lowmem mappings ---- */

static const uint64_t *table_va(uint64_t e)
{
    uint32_t pfn = M2P[(e & PTE_ADDR) >> PAGE_SHIFT];
    return pfn < plat.lowmem_pages ? (const uint64_t *)(kmv_ext->virt_base + pfn * PAGE_SIZE) : NULL;
}

static const uint64_t *boot_l3(void) { return (const uint64_t *)start_info->pt_base; }

/* Every L1 entry of ours below the hypervisor's slots: fn(va, entry). */
static void walk(void (*fn)(uint32_t va, uint64_t e, void *arg), void *arg)
{
    for (unsigned i3 = 0; i3 < 4; i3++) {
        uint64_t e3 = boot_l3()[i3];
        const uint64_t *l2 = (e3 & PTE_P) ? table_va(e3) : NULL;
        for (unsigned i2 = 0; l2 && i2 < (i3 == 3 ? XEN_L2_FIRST_HV_SLOT : 512u); i2++) {
            const uint64_t *l1 = (l2[i2] & PTE_P) ? table_va(l2[i2]) : NULL;
            for (unsigned i1 = 0; l1 && i1 < 512; i1++)
                if (l1[i1] & PTE_P)
                    fn(i3 << 30 | i2 << 21 | i1 << 12, l1[i1], arg);
        }
    }
}

struct mapping { uint32_t va; uint64_t pte; };
struct maps { uint32_t mfn; unsigned n; struct mapping m[MAX_MAPS]; };

static void note_writable(uint32_t va, uint64_t e, void *arg)
{
    struct maps *m = arg;
    if ((e & PTE_RW) && (e & PTE_ADDR) >> PAGE_SHIFT == m->mfn && m->n < MAX_MAPS)
        m->m[m->n++] = (struct mapping){ va, e };
}

struct lookup { uint32_t va; uint64_t pte; };
static void note_va(uint32_t va, uint64_t e, void *arg)
{
    struct lookup *l = arg;
    if (va == l->va)
        l->pte = e;
}

/* ---- the frames the guest is told about ---- */

struct hypframe {
    char name[16];
    uint32_t mfn;
    bool domain;  /* a frame of the domain's RAM (else the hypervisor's, shared) */
};

static bool domain_frame(uint32_t mfn)
{
    uint32_t pfn = M2P[mfn];
    return pfn < start_info->nr_pages && P2M[pfn] == mfn;
}

static unsigned add_frame(struct hypframe *f, unsigned n, const char *name, uint32_t mfn)
{
    if (!mfn)
        return n;
    snprintf(f[n].name, sizeof(f[n].name), "%s", name);
    f[n].mfn = mfn;
    f[n].domain = domain_frame(mfn);
    return n + 1;
}

/* The grant table at its largest (GNTTABOP_query_size's max_nr_frames). */
static unsigned grant_frames(uint32_t *frames, unsigned max)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    if (hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_query_size, &q, 1) || q.status != GNTST_okay)
        return 0;
    struct { uint16_t dom, pad; uint32_t nr_frames; int16_t status; uint16_t pad2; uint32_t frame_list; } st = {
        DOMID_SELF, 0, MIN(q.max_nr_frames, max), 0, 0, (uint32_t)frames
    };
    if (hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, &st, 1) || st.status != GNTST_okay)
        return 0;
    return st.nr_frames;
}

static unsigned enumerate(struct hypframe *f, unsigned max)
{
    unsigned n = 0;
    n = add_frame(f, n, "shared_info", (uint32_t)(start_info->shared_info >> PAGE_SHIFT));
    n = add_frame(f, n, "console", start_info->console.domU.mfn);
    n = add_frame(f, n, "xenstore", start_info->store_mfn);
    uint32_t g[8];
    unsigned ng = grant_frames(g, MIN(ARRAY_SIZE(g), max - n));
    for (unsigned i = 0; i < ng; i++) {
        char name[16];
        snprintf(name, sizeof(name), "grant%u", i);
        n = add_frame(f, n, name, g[i]);
    }
    return n;
}

/* A ring frame's data areas, once the backend has taken everything in
 * them, are zeroed: then no entry of the frame makes a table or a
 * descriptor refuse it, and only the type of the frame can (without this
 * the console's text would make a pin fail on its reserved bits, and hide
 * the hole).  False when the ring is not idle. */
static bool ring_quiet(const struct hypframe *f)
{
    void *p = ring_page(f->mfn);
    if (!p)
        return false;
    if (f->mfn == start_info->console.domU.mfn) {
        struct xencons_interface *c = p;
        for (unsigned spins = 0; READ_ONCE(c->out_cons) != READ_ONCE(c->out_prod) && spins < 1000; spins++)
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        if (c->out_cons != c->out_prod || c->in_cons != c->in_prod)
            return false;
        memset(c->in, 0, sizeof(c->in));
        memset(c->out, 0, sizeof(c->out));
        return true;
    }
    struct xenstore_domain_interface *x = p;
    if (x->req_cons != x->req_prod || x->rsp_cons != x->rsp_prod)
        return false;
    memset(x->req, 0, sizeof(x->req));
    memset(x->rsp, 0, sizeof(x->rsp));
    return true;
}

/* ---- the attack window ---- */

struct outcome {
    long drop, pin[3], gdt, ldt_map, ldt, cr2_pin, restore;
    uint32_t cr2_seen;
};

/* A pin wrongly accepted is undone at once (the frame must not stay a table). */
static long pin(unsigned cmd, uint32_t mfn)
{
    long r = ext(cmd, mfn, 0);
    if (!r)
        ext(MMUEXT_UNPIN_TABLE, mfn, 0);
    return r;
}

/* Pin as an L3 with slot 3 naming our live pae_xen_l2 (written by the
 * hypervisor's plain store, mmu_update): the content of a valid L3, so
 * that a refusal can only come from the frame's type.  Slot 3 of these
 * frames is unused (vcpu_info[0].arch.pad, or ring data zeroed above). */
static long pin_l3(uint32_t mfn)
{
    uint64_t slot3 = ma(mfn) + 3 * 8;
    mmu1(slot3, (boot_l3()[3] & PTE_ADDR) | PTE_P);
    long r = pin(MMUEXT_PIN_L3_TABLE, mfn);
    mmu1(slot3, 0);
    return r;
}

static long gdt(uint32_t mfn)
{
    uint32_t frames[1] = { mfn };
    long r = hypercall2(__HYPERVISOR_set_gdt, frames, 512);
    if (!r)
        hypercall2(__HYPERVISOR_set_gdt, frames, 0);
    return r;
}

static long ldt(uint32_t va)
{
    long r = ext(MMUEXT_SET_LDT, va, 512);
    if (!r)
        ext(MMUEXT_SET_LDT, 0, 0);
    return r;
}

/* cr2 as a PTE that maps hypervisor text (frame 0x100) writable: what the
 * attack would have the hypervisor store into shared_info, were it an L1. */
#define CR2_PTE 0x00100067u

/* Nothing in here may touch shared_info, the console or the store. */
static void window(const struct hypframe *f, const struct maps *m, uint32_t spare_va, uint64_t spare_pte,
                   struct outcome *o)
{
    bool is_shared = f->mfn == start_info->shared_info >> PAGE_SHIFT;
    unsigned long flags = local_irq_save(); /* no upcall may write shared_info while it is read-only */
    o->drop = 0;
    for (unsigned i = 0; i < m->n; i++)
        o->drop |= uva(m->m[i].va, m->m[i].pte & ~PTE_RW);
    o->pin[0] = pin(MMUEXT_PIN_L1_TABLE, f->mfn);
    o->pin[1] = pin(MMUEXT_PIN_L2_TABLE, f->mfn);
    o->pin[2] = pin_l3(f->mfn);
    o->gdt = gdt(f->mfn);
    /* SET_LDT takes a linear address: a read-only mapping of the frame,
     * ours (the one just made read-only), or the spare page's. */
    uint32_t ldt_va = m->n ? m->m[0].va : spare_va;
    o->ldt_map = m->n ? 0 : uva(spare_va, ma(f->mfn) | PTE_P);
    o->ldt = ldt(ldt_va);
    if (!m->n)
        uva(spare_va, spare_pte);
    if (is_shared) {
        /* The attack, after the refused pin: the emulated mov to
         * %cr2 makes the hypervisor store a guest-chosen word at offset
         * 8 of shared_info (entry 1 of an L1).  It must stay data. */
        uint32_t old = rd_cr2();
        wr_cr2(CR2_PTE);
        o->cr2_pin = pin(MMUEXT_PIN_L1_TABLE, f->mfn);
        o->cr2_seen = rd_cr2();
        wr_cr2(old);
    }
    o->restore = 0;
    for (unsigned i = 0; i < m->n; i++)
        o->restore |= uva(m->m[i].va, m->m[i].pte);
    local_irq_restore(flags);
}

static void attack_frame(const struct hypframe *f, uint32_t spare_va, uint64_t spare_pte)
{
    struct maps m = { .mfn = f->mfn };
    walk(note_writable, &m);
    bool quiet = f->domain && f->mfn != start_info->shared_info >> PAGE_SHIFT && ring_quiet(f);
    struct outcome o = { 0 };
    window(f, &m, spare_va, spare_pte, &o);

    printk("guest: hostile: hypframes: %s, mfn %#x, %s, %u writable mapping%s of ours%s\n", f->name, f->mfn,
           f->domain ? "the domain's" : "the hypervisor's", m.n, m.n == 1 ? "" : "s",
           quiet ? ", ring data zeroed" : "");
    if (f->domain) {
        hostile_reportf(m.n >= 1, 1, "hypframes: %s has a writable mapping of ours to drop", f->name);
        hostile_reportf(o.drop, 0, "hypframes: %s drop the writable mappings", f->name);
    }
    /* Xen: get_page_type(PGT_l1/l2/l3_page_table or PGT_seg_desc_page)
     * fails on a frame with a writable type reference (the domain's
     * hypervisor-written frames hold one for life) or on a frame that is
     * not the domain's (the grant frames): -EINVAL. */
    static const char *const level[3] = { "pin-l1", "pin-l2", "pin-l3" };
    for (unsigned i = 0; i < 3; i++)
        hostile_reportf(o.pin[i], E(EINVAL), "hypframes: %s %s", f->name, level[i]);
    hostile_reportf(o.gdt, E(EINVAL), "hypframes: %s set_gdt", f->name);
    if (!m.n)
        hostile_reportf(o.ldt_map, 0, "hypframes: %s mapped read-only for SET_LDT", f->name);
    hostile_reportf(o.ldt, E(EINVAL), "hypframes: %s SET_LDT", f->name);
    if (f->mfn == start_info->shared_info >> PAGE_SHIFT) {
        hostile_reportf(o.cr2_pin, E(EINVAL), "hypframes: %s mov %%cr2 (a PTE) then pin-l1", f->name);
        hostile_reportf(o.cr2_seen, CR2_PTE, "hypframes: %s ... cr2 reads back as plain data", f->name);
    }
    if (m.n)
        hostile_reportf(o.restore, 0, "hypframes: %s writable again", f->name);
}

void hostile_group_hypframes(void);
void hostile_group_hypframes(void)
{
    struct hypframe f[12];
    unsigned n = enumerate(f, ARRAY_SIZE(f));
    /* A mapped, unused lowmem page (past test=desc's), for SET_LDT of a
     * frame we have no mapping of. */
    struct lookup spare = { kmv_ext->virt_base + (kmv_ext->first_free_pfn + 90) * PAGE_SIZE, 0 };
    walk(note_va, &spare);
    hostile_report("hypframes: frames named by start_info and the grant table", n >= 4, 1);
    hostile_report("hypframes: a spare page for SET_LDT", (spare.pte & (PTE_P | PTE_RW)) == (PTE_P | PTE_RW), 1);
    for (unsigned i = 0; i < n; i++)
        attack_frame(&f[i], spare.va, spare.pte);
    /* Unharmed: the frames still do their jobs. */
    hostile_report("hypframes: xen_version after it all", HYPERVISOR_xen_version(XENVER_version, NULL), 0x40011);
    char rep[32];
    uint32_t len = sizeof(rep);
    hostile_report("hypframes: the store still answers", xs_request(XS_READ, 0, "domid", 6, rep, &len), XS_READ);
}
