/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86 PV domain builder: guest memory, the ELF image, start_info and
 * shared_info, the P2M list, the hypercall page, page tables and vCPU 0's
 * registers.  Every field of the image is untrusted (elf32.c checks it
 * all before anything is copied).
 */
#include "pv.h"
#include "page_type.h"
#include "hypervisor/elf32.h"
#include <asm/mmu.h>
#include <xen/sched.h>

void pv_fill_hypercall_page(uint8_t *page)
{
    for (unsigned nr = 0; nr < PAGE_SIZE / 32; nr++) {
        uint8_t *p = page + nr * 32;
        memset(p, 0xcc, 32); /* int3 */
        if (nr == __HYPERVISOR_iret) {
            *p++ = 0x50; /* push %eax */
        }
        *p++ = 0xb8; /* mov $nr, %eax */
        memcpy(p, &nr, 4);
        p += 4;
        *p++ = 0xcd; /* int $0x82 */
        *p++ = 0x82;
        if (nr != __HYPERVISOR_iret)
            *p = 0xc3; /* ret */
    }
}

/* Host frames for the hypervisor's own bookkeeping of a domain: zeroed,
 * contiguous (they are reached through the direct map as one array). */
static void *alloc_table(uint64_t bytes, uint64_t align_frames)
{
    uint64_t frames = ALIGN_UP((bytes + PAGE_SIZE - 1) / PAGE_SIZE, align_frames);
    int64_t pfn = fa_alloc(&host_frames, frames, align_frames);
    if (pfn < 0)
        return NULL;
    void *p = phys_to_virt((uint64_t)pfn << PAGE_SHIFT);
    memset(p, 0, frames * PAGE_SIZE);
    return p;
}

/*
 * Guest memory as a P2M of host frames: lowmem in 2 MiB-aligned runs (the
 * guest's boot tables map it with 4 KiB pages, boot_pt.c; the runs keep
 * lowmem in few host extents), everything above from whatever frames
 * are free, in runs as long as the allocator finds.  So a guest may have
 * more memory than any contiguous stretch of the host (QEMU splits RAM
 * around the PCI hole), up to KMV_MAX_MEM_MB.  The M2P says who owns a
 * frame: every check of a guest-named frame goes through it.
 */
static int alloc_guest_memory(struct arch_domain *ad, char *why, size_t why_len)
{
    ad->p2m = alloc_table((uint64_t)ad->nr_pages * sizeof(*ad->p2m), 1);
    ad->pgt = alloc_table((uint64_t)ad->nr_pages * sizeof(*ad->pgt), 1);
    if (!ad->p2m || !ad->pgt) {
        snprintf(why, why_len, "not enough host memory for the domain's P2M and frame tables");
        return -XEN_ENOMEM;
    }
    uint32_t pfn = 0;
    for (; pfn < ad->lowmem_pages; pfn += 512) {
        int64_t mfn = fa_alloc(&host_frames, 512, 512);
        if (mfn < 0) {
            snprintf(why, why_len, "not enough 2 MiB-aligned host memory for lowmem=%u MiB", ad->lowmem_pages >> 8);
            return -XEN_ENOMEM;
        }
        for (uint32_t i = 0; i < 512; i++)
            ad->p2m[pfn + i] = (uint32_t)mfn + i;
    }
    while (pfn < ad->nr_pages) {
        uint64_t got;
        int64_t mfn = fa_alloc_run(&host_frames, ad->nr_pages - pfn, &got);
        if (mfn < 0) {
            snprintf(why, why_len, "not enough host memory for mem=%u MiB (%u MiB short)", ad->nr_pages >> 8,
                     (ad->nr_pages - pfn) >> 8);
            return -XEN_ENOMEM;
        }
        for (uint64_t i = 0; i < got; i++)
            ad->p2m[pfn++] = (uint32_t)(mfn + i);
    }
    /* The M2P covers every host frame up to the highest of ours; it is
     * also the guest's read-only machine-to-phys table at Xen's compat
     * address, mapped with 2 MiB pages (guest_pt.c): whole, aligned runs. */
    for (pfn = 0; pfn < ad->nr_pages; pfn++)
        ad->m2p_frames = MAX(ad->m2p_frames, (uint64_t)ad->p2m[pfn] + 1);
    ad->m2p_frames = ALIGN_UP(ad->m2p_frames, (uint64_t)(2u << 20) / sizeof(*ad->m2p));
    ad->m2p = alloc_table(ad->m2p_frames * sizeof(*ad->m2p), 512);
    ad->owner = alloc_table(ad->m2p_frames * sizeof(*ad->owner), 1);
    if (!ad->m2p || !ad->owner) {
        snprintf(why, why_len, "not enough host memory for the domain's M2P table");
        return -XEN_ENOMEM;
    }
    for (uint64_t mfn = 0; mfn < ad->m2p_frames; mfn++)
        ad->m2p[mfn] = ad->owner[mfn] = M2P_NONE;
    for (pfn = 0; pfn < ad->nr_pages; pfn++)
        ad->m2p[ad->p2m[pfn]] = ad->owner[ad->p2m[pfn]] = pfn;
    return 0;
}

/* The machine frame, and its host address, of the guest page at lowmem address va. */
static uint32_t lowmem_mfn(const struct arch_domain *ad, uint32_t va)
{
    return ad->p2m[(va - ad->virt_base) >> PAGE_SHIFT];
}

static void *lowmem_page(const struct arch_domain *ad, uint32_t va)
{
    return phys_to_virt((uint64_t)lowmem_mfn(ad, va) << PAGE_SHIFT);
}

/* Copy (src) or zero (src NULL) len bytes of lowmem at va, page by page:
 * consecutive guest pages need not be consecutive host frames. */
static void fill_lowmem(const struct arch_domain *ad, uint32_t va, const uint8_t *src, uint32_t len)
{
    while (len) {
        uint32_t off = va & (PAGE_SIZE - 1), n = MIN(len, (uint32_t)PAGE_SIZE - off);
        uint8_t *dst = (uint8_t *)lowmem_page(ad, va & ~(uint32_t)(PAGE_SIZE - 1)) + off;
        if (src)
            memcpy(dst, src, n), src += n;
        else
            memset(dst, 0, n);
        va += n, len -= n;
    }
}

/* Does the image's FEATURES list ("a|!b|...") require feature f ("!f")? */
static bool requires_feature(const char *list, const char *f)
{
    size_t n = strlen(f);
    for (const char *p = list; *p;) {
        size_t len = 0;
        while (p[len] && p[len] != '|')
            len++;
        if (len == n + 1 && p[0] == '!' && !strncmp(p + 1, f, n))
            return true;
        p += len + (p[len] ? 1 : 0);
    }
    return false;
}

int domain_build(struct domain *d, const struct domain_config *cfg, struct boot_blob kernel, struct boot_blob module,
                 const char *guest_cmdline, char *why, size_t why_len)
{
    const void *image = kernel.data;
    size_t len = kernel.len;
    struct elf32_image elf;
    memset(d, 0, sizeof(*d));
    /* Each domain's own PV state, in host frames of its own (zeroed). */
    struct arch_domain *ad = alloc_table(sizeof(*ad), 1);
    if (!ad) {
        snprintf(why, why_len, "not enough host memory for the domain's PV state");
        return -XEN_ENOMEM;
    }
    d->arch = ad;
    d->cfg = *cfg;
    d->nr_vcpus = cfg->nr_vcpus;
    ad->nr_pages = (uint32_t)(cfg->mem_bytes >> PAGE_SHIFT);
    ad->lowmem_pages = (uint32_t)(cfg->lowmem_bytes >> PAGE_SHIFT);
    if (!elf32_parse(image, len, (uint32_t)cfg->lowmem_bytes, &elf, why, why_len))
        return -XEN_EINVAL;
    ad->virt_base = elf.virt_base;
    if (requires_feature(elf.features, "writable_page_tables"))
        ad->vm_assist |= 1u << VMASST_TYPE_writable_pagetables; /* the guest writes its L1s from the start (ptwr.c) */
    int r = alloc_guest_memory(ad, why, why_len);
    if (r)
        return r;
    /* Each vCPU's own address-space frames (guest_pt.c) in the domain's
     * top frames, out of lowmem; the guest's tables in the boot region. */
    uint64_t pt_pfn = ad->nr_pages - guest_pt_frames(d);
    ad->nr_usable_pages = (uint32_t)pt_pfn;

    /* The image, then start_info, shared_info, the P2M list, a boot stack,
     * the module, the page tables (boot_pt.c). */
    uint32_t image_end = ALIGN_UP(elf.highest, (uint32_t)PAGE_SIZE);
    fill_lowmem(ad, elf.lowest, NULL, image_end - elf.lowest);
    for (unsigned i = 0; i < elf.nr_segments; i++) {
        const struct elf32_segment *seg = &elf.seg[i];
        fill_lowmem(ad, seg->vaddr, (const uint8_t *)image + seg->offset, seg->filesz);
    }
    uint32_t si_va = image_end, sh_va = si_va + PAGE_SIZE;
    uint32_t store_va = sh_va + PAGE_SIZE, cons_va = store_va + PAGE_SIZE, p2m_va = cons_va + PAGE_SIZE;
    uint32_t p2m_bytes = ALIGN_UP(ad->nr_usable_pages * 4, (uint32_t)PAGE_SIZE);
    uint32_t stack_va = p2m_va + p2m_bytes, mod_va = stack_va + 4 * PAGE_SIZE;
    uint64_t free_va64 = mod_va + ALIGN_UP((uint64_t)module.len, PAGE_SIZE);
    if (free_va64 - ad->virt_base > (uint64_t)ad->lowmem_pages * PAGE_SIZE) {
        snprintf(why, why_len, "lowmem too small for the image, its start-up data and its module");
        return -XEN_ENOMEM;
    }
    struct boot_pt bp;
    if (boot_pt_layout(ad, (uint32_t)free_va64, &bp)) {
        snprintf(why, why_len, "lowmem too small for the image, its start-up data, its module and page tables");
        return -XEN_ENOMEM;
    }
    uint32_t free_va = bp.pt_va + bp.nr_frames * (uint32_t)PAGE_SIZE; /* after the page tables */
    fill_lowmem(ad, si_va, NULL, bp.pt_va - si_va);
    boot_pt_fill(ad, &bp);
    fill_lowmem(ad, free_va, NULL, (uint32_t)(bp.map_end - free_va)); /* the mapped slack */
    fill_lowmem(ad, p2m_va, (const uint8_t *)ad->p2m, ad->nr_usable_pages * 4);
    fill_lowmem(ad, mod_va, module.data, (uint32_t)module.len);

    /* The three frames the hypervisor writes for the domain's whole life:
     * each holds a permanent writable reference from here on, so the
     * guest can never make one a page table or a descriptor frame (the
     * hypervisor's stores would then be entries of the guest's choosing). */
    void *shared = pv_hold_writable(ad, lowmem_mfn(ad, sh_va), "shared_info");
    void *cons_ring = pv_hold_writable(ad, lowmem_mfn(ad, cons_va), "console ring");
    void *store_ring = pv_hold_writable(ad, lowmem_mfn(ad, store_va), "xenstore ring");
    if (!shared || !cons_ring || !store_ring) {
        snprintf(why, why_len, "cannot hold the shared_info and ring frames writable");
        return -XEN_EINVAL;
    }
    domain_init_vcpus(d, shared);
    unsigned cons_port, store_port;
    r = domain_backends_init(d, cons_ring, store_ring, &cons_port, &store_port);
    if (r) {
        snprintf(why, why_len, "no event channels for the console and the xenstore");
        return r;
    }
    pv_time_init(d);

    struct start_info_x86_32 *si = lowmem_page(ad, si_va);
    memcpy(si->magic, "xen-3.0-x86_32p", 16);
    si->nr_pages = ad->nr_usable_pages;
    si->shared_info = lowmem_mfn(ad, sh_va) << PAGE_SHIFT;
    si->pt_base = bp.pt_va; /* the L3 */
    si->nr_pt_frames = bp.nr_frames;
    si->mfn_list = p2m_va;
    si->store_mfn = lowmem_mfn(ad, store_va);
    si->store_evtchn = store_port;
    si->console.domU.mfn = lowmem_mfn(ad, cons_va);
    si->console.domU.evtchn = cons_port;
    if (module.len) {
        si->mod_start = mod_va; /* a virtual address (no SIF_MOD_START_PFN), as Xen gives it */
        si->mod_len = (uint32_t)module.len;
    }
    size_t cl = strnlen(guest_cmdline, sizeof(si->cmd_line) - 1);
    memcpy(si->cmd_line, guest_cmdline, cl);

    for (unsigned i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = &d->vcpu[i];
        v->arch = &ad->vcpu[i];
        pv_time_update(v); /* every vCPU on the same clock; again at each switch to it */
        vcpu_reset_regs(v);
        v->arch->kernel_ss = GUEST_RING1_DS;
        guest_pt_build(d, v, &pt_pfn);
        vcpu_kmap_env(v, &v->kenv);
    }
    if ((r = boot_pt_install(d, &bp))) {
        snprintf(why, why_len, "the initial page tables do not validate (%d)", r);
        return r;
    }

    struct kmv_start_ext *ext = (struct kmv_start_ext *)((uint8_t *)si + KMV_START_EXT_OFFSET);
    *ext = (struct kmv_start_ext){
        .magic = KMV_START_EXT_MAGIC, .version = 1, .nr_vcpus = d->nr_vcpus,
        .lowmem_pages = ad->lowmem_pages, .virt_base = ad->virt_base,
        .first_highmem_pfn = ad->lowmem_pages, .nr_usable_pages = ad->nr_usable_pages,
        .first_free_pfn = (free_va - ad->virt_base) >> PAGE_SHIFT,
        .tsc_khz = (uint32_t)tsc_khz,
        .window = { .base = KMV_WINDOW_BASE, .nslots = d->vcpu[0].win.nslots,
                    .stride = d->vcpu[0].win.stride_pages * (uint32_t)PAGE_SIZE,
                    .flags = cfg->kmap_flags },
        .accel = detect_accel(), .nr_pcpus = nr_pcpus,
    };

    if (elf.hypercall_page)
        pv_fill_hypercall_page(lowmem_page(ad, elf.hypercall_page));

    struct vcpu *v0 = &d->vcpu[0];
    vregs(v0)->rip = elf.entry;
    vregs(v0)->rsp = mod_va; /* the top of the boot stack */
    vregs(v0)->rsi = si_va;
    v0->initialised = true;
    snprintf(d->cmdline, sizeof(d->cmdline), "%s", guest_cmdline);
    printk("kmapvisor: d0: %llu MiB (%u MiB lowmem at %#x), %u vCPU(s), window %u slots at %#x%s%s%s\n",
           (unsigned long long)(cfg->mem_bytes >> 20), ad->lowmem_pages >> 8, ad->virt_base,
           d->nr_vcpus, v0->win.nslots, KMV_WINDOW_BASE,
           (cfg->kmap_flags & KMAP_WIN_GUARD) ? ", guard pages" : "",
           (cfg->kmap_flags & KMAP_WIN_CACHED) ? ", cached" : (cfg->kmap_flags & KMAP_WIN_LAZY) ? ", lazy" : "",
           (cfg->kmap_flags & KMAP_WIN_STOP) ? ", policy stop" : ", policy error");
    return 0;
}

/* The registers of a stopped vCPU, for domain_crash's diagnostic. */
void pv_dump_vcpu(const struct vcpu *v)
{
    const struct trap_frame *r = &v->arch->regs;
    printk("  eip %08x  cs %04x  eflags %08x  esp %08x  ss %04x\n", (uint32_t)r->rip,
           (uint32_t)r->cs, (uint32_t)r->rflags, (uint32_t)r->rsp, (uint32_t)r->ss);
    printk("  eax %08x  ebx %08x  ecx %08x  edx %08x  esi %08x  edi %08x  ebp %08x\n",
           (uint32_t)r->rax, (uint32_t)r->rbx, (uint32_t)r->rcx, (uint32_t)r->rdx,
           (uint32_t)r->rsi, (uint32_t)r->rdi, (uint32_t)r->rbp);
}
