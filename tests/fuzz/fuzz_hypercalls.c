/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libFuzzer target: sequences of hypercalls from a hostile 32-bit guest,
 * through the real PV layer's dispatch table into the real core, on the
 * fake machine (tests/host/), with ASan and UBSan.  The domain is built
 * once from the real build/guest.elf; between inputs everything a call
 * can change is put back (the domain, the pages it touched, the window
 * page tables, shared_info), so an input means the same thing every time.
 *
 * Besides the sanitizers, every call is followed by the invariants that
 * say the hypervisor is still safe to return to the guest: selectors the
 * exit path will load are ones the CPU accepts, no window PTE maps a
 * frame that is not the domain's RAM, every frame the hypervisor writes
 * through its own pointer is held writable (never a table or descriptor
 * frame), and debug registers are ones the exit path may load.  A
 * violation aborts: a finding.
 *
 * Input: 512 bytes that fill the guest's scratch pages, then records of
 * { vcpu, call, kinds, 5 x value } (23 bytes each).  tests/fuzz/seeds
 * holds hand-made inputs in this format (the call byte indexes calls[]:
 * keep their order, or remake the seeds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kmapvisor/x86_pte.h>
#include "tests/host/fake_machine.h"
#include <xen/grant_table.h>
#include <xen/physdev.h>
#include "arch/x86_64/pv/page_type.h"
#include "arch/x86_64/pv/desc_check.h"

#ifndef KMV_BUILD_DIR
#define KMV_BUILD_DIR "build"
#endif

#define NR_VCPUS 3
#define SCRATCH 0xc0800000u      /* guest lowmem (8 MiB in) that the input fills */
#define SCRATCH_BYTES 0x4000u
#define FRAME_LIST (SCRATCH + SCRATCH_BYTES) /* 14 highmem frames, for set_gdt */

static struct domain dom;
static struct domain dom_saved;
static struct arch_domain arch_saved;
static uint8_t *ram_saved;
static uint64_t windows_pa[NR_VCPUS], shared_pa, cons_pa, store_pa, l3c_pa[NR_VCPUS], l2s_pa[NR_VCPUS];
static uint32_t *pgt_saved, *m2p_saved;
/*
 * The frames the hypervisor writes for the domain's life (ad->held), and
 * ready-made requests against them in the last scratch page (past what an
 * input fills, so they survive): an mmu_update that drops the guest's
 * writable mapping of one, mmuext ops that pin one at each level or make
 * it an LDT, and a set_gdt frame list of them.  Argument kinds 252-255
 * point at these, so that an input needs two calls, not two lucky
 * 8-byte machine addresses, to replay the escapes of issue 22.
 */
#define HELD_REQS (SCRATCH + 0x3000)
struct held_reqs {
    struct mmu_update drop[PV_MAX_HELD];
    struct kmv_mmuext_op32 op[PV_MAX_HELD][4];
    uint32_t gdt_list[PV_MAX_HELD];
};
_Static_assert(sizeof(struct held_reqs) <= 0x1000, "held requests fit the last scratch page");
/*
 * Writable page tables (ptwr.c): a test L1 (highmem frame PTWR_FRAME, so
 * argument kind 6 names it too) hooked into the pae_xen_l2 at PTWR_VA,
 * mapping itself read-only at PTWR_VA + 4 KiB (its entry 1), and the
 * assist on.  Pseudo-calls 232-235 fault a write on it with instruction
 * bytes from the input's scratch bytes, as exit.c hands a real #PF over.
 */
#define PTWR_FRAME 10u
#define PTWR_SLOT 400u
#define PTWR_VA (0xc0000000u + PTWR_SLOT * (2u << 20))
#define PTWR_SELF (PTWR_VA + PAGE_SIZE)
static uint32_t held_mfn[PV_MAX_HELD];
static unsigned nr_held, nr_held_mapped;
static uint32_t pt_first_pfn, pt_frames; /* the builder's page tables */

/*
 * The fixture's own loops (the invariants after every call, the reset
 * after every input) walk every frame of the domain: instrumented for
 * coverage, their comparisons cost nine tenths of the run (perf: the
 * __sanitizer_cov_trace_*cmp* callbacks) and only feed the fuzzer
 * features of the fixture, not of the hypervisor.  ASan and UBSan stay.
 */
#define FIXTURE __attribute__((no_sanitize("coverage"), noinline)) /* inlined, it would be instrumented again */

/* pv_mfn_to_pfn, inlined into the fixture's uninstrumented loops (the
 * same lookup of the owner table). */
static inline __attribute__((always_inline)) uint32_t owner_pfn(const struct arch_domain *ad, uint64_t mfn)
{
    return mfn < ad->m2p_frames ? ad->owner[mfn] : M2P_NONE;
}

/* The machine address of the guest L1 entry that maps va (the builder's
 * tables map the boot region with 4 KiB pages). */
static uint64_t l1e_ma(uint32_t va)
{
    const uint64_t *l3 = fake_phys_to_virt((uint64_t)dom.vcpu[0].arch->base_mfn << PAGE_SHIFT);
    const uint64_t *l2 = fake_phys_to_virt(l3[va >> 30] & X86_PTE_ADDR);
    return (l2[(va >> 21) & 511] & X86_PTE_ADDR) + ((va >> 12) & 511) * 8;
}

static void build_once(void)
{
    char why[160];
    fake_machine_init(64);
    if (fake_domain_build(&dom, KMV_BUILD_DIR "/guest.elf", "mem=24M lowmem=16M vcpus=3 kmap.slots=8",
                          "test=none", why, sizeof(why))) {
        fprintf(stderr, "fuzz: cannot build the domain: %s\n", why);
        abort();
    }
    fake_map_lowmem(&dom.vcpu[0]);
    for (unsigned i = 0; i < NR_VCPUS; i++) {
        windows_pa[i] = virt_to_phys(dom.vcpu[i].arch->window_pt);
        l3c_pa[i] = virt_to_phys(dom.vcpu[i].arch->l3c);
        l2s_pa[i] = virt_to_phys(dom.vcpu[i].arch->l2s);
    }
    shared_pa = virt_to_phys(dom.shared);
    cons_pa = virt_to_phys(dom.cons.ring);
    store_pa = virt_to_phys(dom.store.ring);
    const struct start_info_x86_32 *si = fake_guest_ptr(&dom.vcpu[0], (uint32_t)dom.vcpu[0].arch->regs.rsi, false);
    pt_first_pfn = (si->pt_base - dom.arch->virt_base) >> PAGE_SHIFT;
    pt_frames = si->nr_pt_frames;
    /* The grant table's frames now, so that no input allocates host
     * frames (restore() puts the domain back, not the allocator). */
    struct trap_frame regs0 = dom.vcpu[0].arch->regs; /* the call's registers are not the guest's */
    struct kmv_gnttab_setup_table32 *st = fake_guest_ptr(&dom.vcpu[0], SCRATCH, true);
    *st = (struct kmv_gnttab_setup_table32){ .dom = DOMID_SELF, .nr_frames = KMV_GRANT_FRAMES, .frame_list = SCRATCH + 64 };
    if (fake_hypercall(&dom.vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, SCRATCH, 1, 0, 0) || st->status) {
        fprintf(stderr, "fuzz: cannot set up the grant table\n");
        abort();
    }
    /* The test L1 of the write emulation, through the real calls. */
    {
        uint32_t t = dom.arch->p2m[dom.arch->lowmem_pages + PTWR_FRAME];
        uint64_t *tl1 = fake_phys_to_virt((uint64_t)t << PAGE_SHIFT);
        const uint64_t *l3 = fake_phys_to_virt((uint64_t)dom.vcpu[0].arch->base_mfn << PAGE_SHIFT);
        memset(tl1, 0, PAGE_SIZE);
        tl1[0] = ((uint64_t)dom.arch->p2m[dom.arch->lowmem_pages + PTWR_FRAME + 1] << PAGE_SHIFT) | X86_PTE_P | X86_PTE_W;
        tl1[1] = ((uint64_t)t << PAGE_SHIFT) | X86_PTE_P;
        struct mmu_update *u = fake_guest_ptr(&dom.vcpu[0], SCRATCH, true);
        *u = (struct mmu_update){ (l3[3] & X86_PTE_ADDR) + PTWR_SLOT * 8, ((uint64_t)t << PAGE_SHIFT) | X86_PTE_P | X86_PTE_W };
        if (fake_hypercall(&dom.vcpu[0], __HYPERVISOR_mmu_update, SCRATCH, 1, 0, DOMID_SELF, 0) ||
            fake_hypercall(&dom.vcpu[0], __HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_writable_pagetables,
                           0, 0, 0)) {
            fprintf(stderr, "fuzz: cannot set up the write-emulation L1\n");
            abort();
        }
    }
    /* The pirq EOI bitmap too, so that every kind of held frame is in play. */
    uint32_t *gmfn = fake_guest_ptr(&dom.vcpu[0], SCRATCH, true);
    *gmfn = dom.arch->p2m[dom.arch->lowmem_pages + 70];
    if (fake_hypercall(&dom.vcpu[0], __HYPERVISOR_physdev_op, PHYSDEVOP_pirq_eoi_gmfn_v2, SCRATCH, 0, 0, 0)) {
        fprintf(stderr, "fuzz: cannot register the pirq EOI frame\n");
        abort();
    }
    struct held_reqs *hr = fake_guest_ptr(&dom.vcpu[0], HELD_REQS, true);
    nr_held = dom.arch->nr_held;
    for (unsigned i = 0; i < nr_held; i++) {
        uint32_t pfn = dom.arch->held[i].pfn, va = dom.arch->virt_base + pfn * PAGE_SIZE;
        held_mfn[i] = dom.arch->p2m[pfn];
        hr->gdt_list[i] = held_mfn[i];
        hr->op[i][0] = (struct kmv_mmuext_op32){ MMUEXT_PIN_L1_TABLE, held_mfn[i], 0 };
        hr->op[i][1] = (struct kmv_mmuext_op32){ MMUEXT_PIN_L2_TABLE, held_mfn[i], 0 };
        hr->op[i][2] = (struct kmv_mmuext_op32){ MMUEXT_PIN_L3_TABLE, held_mfn[i], 0 };
        hr->op[i][3] = (struct kmv_mmuext_op32){ MMUEXT_SET_LDT, va, 16 };
        if (pfn < dom.arch->lowmem_pages) { /* mapped by the builder's tables: the first held frames */
            uint64_t ptr = l1e_ma(va);
            hr->drop[nr_held_mapped++] = (struct mmu_update){ ptr, *(uint64_t *)fake_phys_to_virt(ptr) & ~X86_PTE_W };
        }
    }
    dom.vcpu[0].arch->regs = regs0;
    /* The types and M2P as the inputs start from (the EOI frame held). */
    pgt_saved = malloc(dom.arch->nr_pages * sizeof(uint32_t));
    memcpy(pgt_saved, dom.arch->pgt, dom.arch->nr_pages * sizeof(uint32_t));
    m2p_saved = malloc(dom.arch->m2p_frames * sizeof(uint32_t));
    memcpy(m2p_saved, dom.arch->m2p, dom.arch->m2p_frames * sizeof(uint32_t));
    /* A frame list set_gdt can take (highmem frames: zeroed, so valid
     * descriptor frames until the input writes them). */
    uint32_t *list = fake_guest_ptr(&dom.vcpu[0], FRAME_LIST, true);
    for (unsigned i = 0; i < PV_GDT_MAX_FRAMES; i++)
        list[i] = dom.arch->p2m[dom.arch->lowmem_pages + i % 4];
    dom_saved = dom;
    arch_saved = *dom.arch;
    ram_saved = malloc(fake_ram_bytes);
    memcpy(ram_saved, fake_ram, fake_ram_bytes);
    fake_tracking = true;
    fake_track_reset();
}

FIXTURE static void restore_page(uint64_t pfn)
{
    memcpy(fake_ram + (pfn << PAGE_SHIFT), ram_saved + (pfn << PAGE_SHIFT), PAGE_SIZE);
}

/*
 * The page types and the guest's M2P.  The M2P covers every host frame
 * (2 MiB-aligned: 512k entries, 2 MiB), but only the entries of the
 * domain's own frames can change (MMU_MACHPHYS_UPDATE refuses any other
 * frame), and the type words are one per pfn: walking the domain's pfns
 * and writing back only what differs costs a few microseconds, where
 * copying both tables whole cost ten times a typical input's calls.
 */
FIXTURE static void restore_types(void)
{
    struct arch_domain *ad = dom.arch;
    for (uint32_t pfn = 0; pfn < ad->nr_pages; pfn++) {
        uint32_t mfn = ad->p2m[pfn];
        if (ad->pgt[pfn] != pgt_saved[pfn])
            ad->pgt[pfn] = pgt_saved[pfn];
        if (ad->m2p[mfn] != m2p_saved[mfn])
            ad->m2p[mfn] = m2p_saved[mfn];
    }
}

FIXTURE static void restore(void)
{
    const uint32_t *pfns;
    size_t n = fake_touched_pages(&pfns);
    for (size_t i = 0; i < n; i++)
        restore_page(pfns[i]);
    fake_track_reset();
    for (unsigned i = 0; i < NR_VCPUS; i++) {
        restore_page(windows_pa[i] >> PAGE_SHIFT);
        restore_page(l3c_pa[i] >> PAGE_SHIFT);
        restore_page(l2s_pa[i] >> PAGE_SHIFT);
    }
    restore_page(shared_pa >> PAGE_SHIFT);
    restore_page(cons_pa >> PAGE_SHIFT);   /* written through the backends' own pointers */
    restore_page(store_pa >> PAGE_SHIFT);
    dom = dom_saved;
    *dom.arch = arch_saved;
    restore_types();
    dom0 = &dom;
    sched_reset();
    fake_console_len = 0;
}

/* The numbers worth calling, and a share of anything at all. */
static const uint32_t calls[] = {
    __HYPERVISOR_set_trap_table, __HYPERVISOR_stack_switch, __HYPERVISOR_set_callbacks,
    __HYPERVISOR_fpu_taskswitch, __HYPERVISOR_sched_op_compat, __HYPERVISOR_multicall,
    __HYPERVISOR_update_va_mapping, __HYPERVISOR_set_timer_op, __HYPERVISOR_xen_version,
    __HYPERVISOR_console_io, __HYPERVISOR_iret, __HYPERVISOR_vcpu_op, __HYPERVISOR_sched_op,
    __HYPERVISOR_callback_op, __HYPERVISOR_event_channel_op, KMV_HYPERVISOR_kmap_op,
    __HYPERVISOR_physdev_op, __HYPERVISOR_physdev_op_compat, __HYPERVISOR_grant_table_op,
    __HYPERVISOR_memory_op, __HYPERVISOR_vm_assist, __HYPERVISOR_set_debugreg, __HYPERVISOR_get_debugreg,
    __HYPERVISOR_mmu_update, __HYPERVISOR_mmuext_op, __HYPERVISOR_mmu_update, __HYPERVISOR_mmuext_op,
    __HYPERVISOR_set_gdt, __HYPERVISOR_update_descriptor,
};

/* An argument: a raw value, or a pointer a guest would plausibly (or
 * maliciously) pass. */
static uint32_t argument(uint8_t kind, uint32_t value)
{
    /* Kinds 252-255 (added later; the rest keep their meaning for the
     * seeds): the ready-made requests against held frames (HELD_REQS). */
    switch (kind) {
    case 252: return HELD_REQS + offsetof(struct held_reqs, drop[value % nr_held_mapped]);
    case 253: return HELD_REQS + offsetof(struct held_reqs, op[0][0]) + value % (nr_held * 4) * 12;
    case 254: return HELD_REQS + offsetof(struct held_reqs, gdt_list[value % nr_held]);
    case 255: return held_mfn[value % nr_held];
    }
    switch (kind % 12) {
    case 10: return FRAME_LIST + (value & 1) * 4;                    /* set_gdt's frame list */
    case 11: /* a descriptor's machine address in a highmem frame (update_descriptor) */
        return (dom.arch->p2m[dom.arch->lowmem_pages + value % 4] << PAGE_SHIFT) + ((value >> 8) & 0xff8);
    case 0: return value;                                            /* anything */
    case 1: return value & 0xff;                                     /* small numbers, commands */
    case 2: return SCRATCH + (value % SCRATCH_BYTES);                /* into the scratch pages */
    case 3: return SCRATCH + (value % SCRATCH_BYTES & ~3u);          /* aligned */
    case 4: return KMV_WINDOW_BASE + (value % 16) * PAGE_SIZE;       /* window slots */
    case 5: return 0xe000 + (value & 0x7f);                          /* the reserved selectors and past them */
    case 6: return dom.arch->p2m[dom.arch->lowmem_pages + value % 64]; /* highmem frames */
    case 7: return 0xfffff000u + (value & 0xfff);                   /* the top page, wrap-around */
    case 8: /* a page-table entry's machine address, with a command in the low bits */
        return (dom.arch->p2m[pt_first_pfn + (value >> 12) % pt_frames] << PAGE_SHIFT) + (value & 0xfff);
    default: /* the frame of a page table, of the hypervisor, or of lowmem */
        return value & 1 ? dom.arch->p2m[pt_first_pfn + (value >> 1) % pt_frames]
                         : dom.arch->p2m[(value >> 1) % dom.arch->nr_pages];
    }
}

FIXTURE static bool code_sel_ok(uint64_t s) { return s == 0xe019 || s == 0xe02b; }
FIXTURE static bool ss_ok(uint64_t cs, uint64_t ss) { return (cs & 3) == 1 ? ss == 0xe021 || ss == 0 : ss == 0xe033; }
FIXTURE static bool data_sel_ok(uint16_t s) { return s == 0 || s == 0xe021 || s == 0xe033 || s == 0xe02b; }

/* The backends' own state: what they read and queue stays inside their buffers. */
FIXTURE static void check_backends(void)
{
    const struct xenstore *xs = &dom.store;
    if (xs->req_len > sizeof(xs->req) || xs->rsp_off > xs->rsp_len || xs->rsp_len > sizeof(xs->rsp) ||
        dom.cons.in_len > PVCONS_INBUF || dom.cons.in_head >= PVCONS_INBUF) {
        fprintf(stderr, "fuzz: backend state out of bounds: req_len %u rsp %u/%u console input %u at %u\n",
                xs->req_len, xs->rsp_off, xs->rsp_len, dom.cons.in_len, dom.cons.in_head);
        abort();
    }
}

/* Every frame the hypervisor writes through its own pointer is held (a
 * frame added without the reference fails here), and every held frame is
 * still a data frame: never a page table, a dying one, or a GDT/LDT frame. */
FIXTURE static bool held_pa(uint64_t pa)
{
    uint32_t pfn = owner_pfn(dom.arch, pa >> PAGE_SHIFT);
    for (unsigned i = 0; i < dom.arch->nr_held; i++)
        if (dom.arch->held[i].pfn == pfn)
            return true;
    return false;
}

FIXTURE static void check_held(void)
{
    const struct arch_domain *ad = dom.arch;
    if (!held_pa(virt_to_phys(dom.shared)) || !held_pa(virt_to_phys(dom.cons.ring)) ||
        !held_pa(virt_to_phys(dom.store.ring))) {
        fprintf(stderr, "fuzz: a frame the hypervisor writes is not held\n");
        abort();
    }
    for (unsigned i = 0; i < NR_VCPUS; i++)
        if (!held_pa(virt_to_phys(dom.vcpu[i].info))) {
            fprintf(stderr, "fuzz: vCPU %u's vcpu_info is not in a held frame\n", i);
            abort();
        }
    for (unsigned i = 0; i < ad->nr_held; i++) {
        uint32_t w = ad->pgt[ad->held[i].pfn];
        if ((w & PGT_TYPE) != PGT_WRITABLE || !(w & PGT_COUNT)) {
            fprintf(stderr, "fuzz: held frame %s (pfn %#x) has type word %#x\n", ad->held[i].what,
                    ad->held[i].pfn, w);
            abort();
        }
    }
}

/* Debug registers as the exit path will load them (context.c): breakpoint
 * addresses in the guest's space, DR7 without GD or I/O breakpoints. */
FIXTURE static void check_debugregs(const struct arch_vcpu *av, unsigned i)
{
    bool bad = av->dr[7] & (1u << 13);
    for (unsigned b = 0; b < 4; b++)
        bad |= av->dr[b] > PV_M2P_VIRT_START - 4 || ((av->dr[7] >> (16 + 4 * b)) & 3) == 2;
    if (bad) {
        fprintf(stderr, "fuzz: vCPU %u debug registers %#x %#x %#x %#x dr7 %#x\n", i, av->dr[0], av->dr[1],
                av->dr[2], av->dr[3], av->dr[7]);
        abort();
    }
}

FIXTURE static void check_invariants(void)
{
    check_backends();
    check_held();
    for (unsigned i = 0; i < NR_VCPUS; i++) {
        struct vcpu *v = &dom.vcpu[i];
        struct arch_vcpu *av = v->arch;
        const struct trap_frame *r = &av->regs;
        if (!code_sel_ok(r->cs) || !ss_ok(r->cs, r->ss) || !data_sel_ok(av->ds) || !data_sel_ok(av->es) ||
            !data_sel_ok(av->fs) || !data_sel_ok(av->gs)) {
            fprintf(stderr, "fuzz: vCPU %u would enter with cs %#llx ss %#llx ds %#x es %#x fs %#x gs %#x\n", i,
                    (unsigned long long)r->cs, (unsigned long long)r->ss, av->ds, av->es, av->fs, av->gs);
            abort();
        }
        if (av->kernel_ss != 0xe021 || (av->event_cs && av->event_cs != 0xe019) ||
            (av->failsafe_cs && av->failsafe_cs != 0xe019)) {
            fprintf(stderr, "fuzz: vCPU %u kernel_ss %#x event_cs %#x failsafe_cs %#x\n", i, av->kernel_ss,
                    av->event_cs, av->failsafe_cs);
            abort();
        }
        for (unsigned t = 0; t < 256; t++)
            if (av->traps[t].valid && av->traps[t].cs != 0xe019) {
                fprintf(stderr, "fuzz: vCPU %u trap %u cs %#x\n", i, t, av->traps[t].cs);
                abort();
            }
        if (v->win.depth > v->win.nslots)
            abort();
        check_debugregs(av, i);
        if (av->iopl > 3 || av->iobmp_limit > 65536 || dom.arch->grant_frames > KMV_GRANT_FRAMES)
            abort();
        for (unsigned s = 0; s < 512; s++) {
            uint64_t pte = av->window_pt[s];
            if (!(pte & X86_PTE_P))
                continue;
            uint64_t mfn = (pte & X86_PTE_ADDR) >> PAGE_SHIFT;
            const struct arch_domain *ad = dom.arch;
            uint32_t pfn = owner_pfn(ad, mfn);
            uint32_t t = pfn == M2P_NONE ? 0 : ad->pgt[pfn] & PGT_TYPE;
            if (pfn == M2P_NONE || (t != PGT_NONE && t != PGT_WRITABLE) || (pte & X86_PTE_U)) {
                fprintf(stderr, "fuzz: vCPU %u window PTE %u = %#llx maps a frame that is not guest RAM\n", i, s,
                        (unsigned long long)pte);
                abort();
            }
        }
    }
    /* Descriptor tables: every frame a vCPU's GDT or LDT names is typed
     * seg-desc, and holds only descriptors the check leaves as they are. */
    for (unsigned i = 0; i < NR_VCPUS; i++) {
        const struct arch_vcpu *av = dom.vcpu[i].arch;
        unsigned ng = (av->gdt_ents + 511) / 512, nl = (av->ldt_ents + 511) / 512;
        for (unsigned f = 0; f < ng + nl; f++) {
            uint32_t mfn = f < ng ? av->gdt_mfn[f] : av->ldt_mfn[f - ng], pfn = owner_pfn(dom.arch, mfn);
            uint32_t w = pfn == M2P_NONE ? 0 : dom.arch->pgt[pfn];
            if ((w & PGT_TYPE) != PGT_SEGDESC || !(w & PGT_COUNT)) {
                fprintf(stderr, "fuzz: vCPU %u descriptor frame %#x has type word %#x\n", i, mfn, w);
                abort();
            }
            const uint64_t *d = fake_phys_to_virt((uint64_t)mfn << PAGE_SHIFT);
            for (unsigned e = 0; e < 512; e++) {
                uint64_t x = d[e];
                /* A checked call gate (DPL 0, the guest's DPL kept in its
                 * selector's RPL) is no fixed point of the check: checked
                 * again, DPL 0 becomes 1 in the RPL, as on Xen.  Harmless,
                 * since every use of a gate faults in compat mode; so the
                 * RPL is left out of the comparison for gates. */
                uint64_t ignore = (x >> 40 & 0x1f) == 0x0c ? 3ull << 16 : 0;
                if (!pv_check_descriptor(&x) || (x & ~ignore) != (d[e] & ~ignore)) {
                    fprintf(stderr, "fuzz: vCPU %u descriptor frame %#x entry %u = %#llx is unchecked\n", i, mfn, e,
                            (unsigned long long)d[e]);
                    abort();
                }
            }
        }
    }
    /* The PV MMU: every writable entry of a live L1 maps a frame typed
     * writable (never a page table or the hypervisor's), every entry of a
     * live L2 an L1 in use. */
    const struct arch_domain *ad = dom.arch;
    for (uint32_t pfn = 0; pfn < ad->nr_pages; pfn++) {
        uint32_t w = ad->pgt[pfn], t = w & PGT_TYPE;
        if (!(w & PGT_COUNT) || (t != PGT_L1 && t != PGT_L2))
            continue;
        const uint64_t *tab = fake_phys_to_virt((uint64_t)ad->p2m[pfn] << PAGE_SHIFT);
        for (unsigned e = 0; e < (t == PGT_L2 && (w & PGT_XEN_L2) ? PV_XEN_L2_FIRST_HV_SLOT : 512u); e++) {
            if (!(tab[e] & X86_PTE_P))
                continue;
            uint32_t to = owner_pfn(ad, (tab[e] & X86_PTE_ADDR) >> PAGE_SHIFT);
            uint32_t tw = to == M2P_NONE ? 0 : ad->pgt[to];
            bool ok = t == PGT_L1 ? (!(tab[e] & X86_PTE_W) || ((tw & PGT_TYPE) == PGT_WRITABLE && (tw & PGT_COUNT)))
                                  : ((tw & PGT_TYPE) == PGT_L1 && (tw & PGT_COUNT));
            if (to == M2P_NONE || !ok) {
                fprintf(stderr, "fuzz: pfn %u (type %#x) entry %u = %#llx maps pfn %#x of type word %#x\n", pfn, w, e,
                        (unsigned long long)tab[e], to, tw);
                abort();
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool built;
    if (!built) {
        build_once();
        built = true;
    }
    size_t fill = size < 512 ? size : 512;
    if (fill)
        memcpy(fake_guest_ptr(&dom.vcpu[0], SCRATCH, true), data, fill);
    data += fill, size -= fill;
    for (; size >= 23; data += 23, size -= 23) {
        struct vcpu *v = &dom.vcpu[data[0] % NR_VCPUS];
        uint32_t nr = data[1] < 240 ? calls[data[1] % ARRAY_SIZE(calls)] : (uint32_t)data[1] * 0x01010101u;
        uint32_t a[5];
        for (unsigned i = 0; i < 5; i++) {
            uint32_t val;
            memcpy(&val, data + 3 + i * 4, 4);
            a[i] = argument((uint8_t)(data[2] >> (i % 4 * 2)) + (uint8_t)i * 3, val);
        }
        /* A ready-made request against a held frame (kinds 252-254 as the
         * first argument) comes as a whole call: one request, for this
         * domain (mmu_update, mmuext_op), or one frame (set_gdt). */
        uint8_t kind0 = (uint8_t)data[2];
        if (kind0 >= 252 && kind0 <= 254) {
            a[1] = kind0 == 254 ? 16 : 1;
            a[2] = 0;
            a[3] = DOMID_SELF;
        }
        /* Descriptors and counts are values, not pointers: the new
         * calls take them raw whatever the kinds say, so a bad
         * descriptor meets a live descriptor frame often enough. */
        if (nr == __HYPERVISOR_update_descriptor) {
            a[1] = 0;                                            /* ma_hi: a frame below 4 GiB */
            memcpy(&a[2], data + 3 + 2 * 4, 4);                  /* the descriptor, raw */
            memcpy(&a[3], data + 3 + 3 * 4, 4);
        } else if (nr == __HYPERVISOR_set_gdt) {
            a[1] %= PV_GDT_MAX_ENTS + 8;                         /* entries: mostly in range */
        }
        /* A vCPU that is down makes no calls. */
        if (!v->initialised)
            continue;
        if (data[1] >= 232 && data[1] < 236) {
            /* Not a call: a write fault on the test L1 (ptwr.c).  The
             * instruction is at SCRATCH + x[1] % 496 (the input's bytes),
             * the fault at PTWR_SELF + x[0] % 4 KiB (or, for 235, any
             * address), registers from the raw values x[] (not the
             * argument kinds), two pointing into the L1. */
            uint32_t x[5];
            memcpy(x, data + 3, sizeof(x));
            struct trap_frame *r = &v->arch->regs, before = *r;
            uint32_t addr = data[1] == 235 ? x[0] : PTWR_SELF + (x[0] & 0xfff);
            r->rip = SCRATCH + x[1] % 496;
            r->rax = x[2], r->rdx = x[3], r->rcx = x[4], r->rbx = x[1] >> 9;
            r->rdi = PTWR_SELF + (x[0] & 0xff8), r->rsi = PTWR_SELF + (x[3] & 0xff8);
            r->cs = data[1] == 234 ? 0xe02b : 0xe019;
            uint32_t err = data[1] == 233 ? x[4] & 0x1f : 3;
            struct trap_frame set = *r;
            enum pv_ptwr_result res = pv_ptwr_emulate(v, addr, err);
            /* Refused or retried: nothing of the guest's changed. */
            if (res != PTWR_DONE && memcmp(r, &set, sizeof(set))) {
                fprintf(stderr, "fuzz: ptwr %s changed the registers\n", res == PTWR_REFUSED ? "refused" : "retry");
                abort();
            }
            *r = before;
            check_invariants();
            continue;
        }
        if (data[1] >= 236 && data[1] < 240) {
            /* Not a call: the guest scribbles 16 bytes on its console or
             * xenstore ring (indices included) and notifies the backend,
             * or serial input arrives. */
            bool cons = data[1] & 1;
            uint8_t *ring = cons ? (uint8_t *)dom.cons.ring : (uint8_t *)dom.store.ring;
            memcpy(ring + a[0] % (PAGE_SIZE - 16), &a[1], 16);
            if (data[1] & 2) {
                char in[17] = { 0 };
                memcpy(in, &a[1], 16);
                fake_console_input = in;
                console_input_poll(&dom);
                fake_console_input = NULL;
            } else {
                domain_backend_notify(&dom, cons ? KMV_BACKEND_CONSOLE : KMV_BACKEND_STORE);
            }
            check_invariants();
            continue;
        }
        long r = fake_hypercall(v, nr, a[0], a[1], a[2], a[3], a[4]);
        if (r <= -1000)
            break; /* the domain ended: shutdown or a clean stop */
        check_invariants();
    }
    restore();
    return 0;
}
