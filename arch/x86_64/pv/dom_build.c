/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86 PV domain builder: guest memory, the ELF image, start_info and
 * shared_info, the P2M list, the hypercall page, page tables and vCPU 0's
 * registers.  Every field of the image is untrusted (elf32.c checks it
 * all before anything is copied).
 */
#include "pv.h"
#include "hypervisor/elf32.h"
#include <asm/mmu.h>
#include <xen/sched.h>

static void fill_hypercall_page(uint8_t *page)
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

int domain_build(struct domain *d, const struct domain_config *cfg, const void *image, size_t len,
                 const char *guest_cmdline, char *why, size_t why_len)
{
    static struct arch_domain arch_dom0;
    struct arch_domain *ad = &arch_dom0;
    struct elf32_image elf;
    memset(d, 0, sizeof(*d));
    memset(ad, 0, sizeof(*ad));
    d->arch = ad;
    d->cfg = *cfg;
    d->nr_vcpus = cfg->nr_vcpus;
    ad->nr_pages = cfg->mem_bytes >> PAGE_SHIFT;
    ad->lowmem_pages = (uint32_t)(cfg->lowmem_bytes >> PAGE_SHIFT);
    if (!elf32_parse(image, len, KMV_GUEST_VIRT_BASE, KMV_GUEST_VIRT_BASE + (uint32_t)cfg->lowmem_bytes,
                     &elf, why, why_len))
        return -XEN_EINVAL;

    int64_t base = fa_alloc(&host_frames, ad->nr_pages, 512); /* 2 MiB aligned: lowmem uses 2 MiB pages */
    if (base < 0) {
        snprintf(why, why_len, "not enough host memory for mem=%llu MiB",
                     (unsigned long long)(cfg->mem_bytes >> 20));
        return -XEN_ENOMEM;
    }
    ad->base_mfn = (uint64_t)base;
    int64_t ft = fa_alloc(&host_frames, (ad->nr_pages + PAGE_SIZE - 1) / PAGE_SIZE, 1);
    if (ft < 0) {
        snprintf(why, why_len, "not enough host memory for the frame table");
        return -XEN_ENOMEM;
    }
    ad->frame_type = phys_to_virt((uint64_t)ft << PAGE_SHIFT);
    memset(ad->frame_type, FT_RAM, ad->nr_pages);

    /* Page tables at the top of the domain's memory, out of lowmem. */
    uint64_t pt_pfn = ad->nr_pages - 4ull * d->nr_vcpus;
    ad->nr_usable_pages = (uint32_t)pt_pfn;
    uint8_t *mem = phys_to_virt(ad->base_mfn << PAGE_SHIFT);

    /* The image, then start_info, shared_info, the P2M list, a boot stack. */
    uint32_t image_end = ALIGN_UP(elf.highest, (uint32_t)PAGE_SIZE);
    memset(mem + (elf.lowest - KMV_GUEST_VIRT_BASE), 0, image_end - elf.lowest);
    for (unsigned i = 0; i < elf.nr_segments; i++) {
        const struct elf32_segment *s = &elf.seg[i];
        memcpy(mem + (s->vaddr - KMV_GUEST_VIRT_BASE), (const uint8_t *)image + s->offset, s->filesz);
    }
    uint32_t si_va = image_end, sh_va = si_va + PAGE_SIZE, p2m_va = sh_va + PAGE_SIZE;
    uint32_t p2m_bytes = ALIGN_UP(ad->nr_usable_pages * 4, (uint32_t)PAGE_SIZE);
    uint32_t stack_va = p2m_va + p2m_bytes, free_va = stack_va + 4 * PAGE_SIZE;
    if (free_va - KMV_GUEST_VIRT_BASE > ad->lowmem_pages * PAGE_SIZE) {
        snprintf(why, why_len, "lowmem too small for the image and its start-up data");
        return -XEN_ENOMEM;
    }
    memset(mem + (si_va - KMV_GUEST_VIRT_BASE), 0, free_va - si_va);
    uint32_t *p2m = (uint32_t *)(mem + (p2m_va - KMV_GUEST_VIRT_BASE));
    for (uint32_t pfn = 0; pfn < ad->nr_usable_pages; pfn++)
        p2m[pfn] = (uint32_t)(ad->base_mfn + pfn);

    domain_init_vcpus(d, (struct shared_info_x86_32 *)(mem + (sh_va - KMV_GUEST_VIRT_BASE)));
    uint32_t mul;
    int8_t shift;
    time_scale(tsc_khz * 1000, &mul, &shift);

    struct start_info_x86_32 *si = (struct start_info_x86_32 *)(mem + (si_va - KMV_GUEST_VIRT_BASE));
    memcpy(si->magic, "xen-3.0-x86_32p", 16);
    si->nr_pages = ad->nr_usable_pages;
    si->shared_info = (uint32_t)((ad->base_mfn << PAGE_SHIFT) + (sh_va - KMV_GUEST_VIRT_BASE));
    si->pt_base = free_va; /* no guest-visible page tables: marks the end of the boot area */
    si->nr_pt_frames = 0;
    si->mfn_list = p2m_va;
    size_t cl = strnlen(guest_cmdline, sizeof(si->cmd_line) - 1);
    memcpy(si->cmd_line, guest_cmdline, cl);

    for (unsigned i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = &d->vcpu[i];
        v->arch = &ad->vcpu[i];
        v->info->time.tsc_timestamp = tsc_at_boot();
        v->info->time.system_time = 0;
        v->info->time.tsc_to_system_mul = mul;
        v->info->time.tsc_shift = shift;
        vcpu_reset_regs(v);
        v->arch->kernel_ss = GUEST_RING1_DS;
        guest_pt_build(d, v, &pt_pfn);
        vcpu_kmap_env(v, &v->kenv);
    }

    struct kmv_start_ext *ext = (struct kmv_start_ext *)((uint8_t *)si + KMV_START_EXT_OFFSET);
    *ext = (struct kmv_start_ext){
        .magic = KMV_START_EXT_MAGIC, .version = 1, .nr_vcpus = d->nr_vcpus,
        .lowmem_pages = ad->lowmem_pages, .virt_base = KMV_GUEST_VIRT_BASE,
        .first_highmem_pfn = ad->lowmem_pages, .nr_usable_pages = ad->nr_usable_pages,
        .first_free_pfn = (free_va - KMV_GUEST_VIRT_BASE) >> PAGE_SHIFT,
        .tsc_khz = (uint32_t)tsc_khz,
        .window = { .base = KMV_WINDOW_BASE, .nslots = d->vcpu[0].win.nslots,
                    .stride = d->vcpu[0].win.stride_pages * (uint32_t)PAGE_SIZE,
                    .flags = cfg->kmap_flags },
        .accel = detect_accel(), .nr_pcpus = nr_pcpus,
    };

    if (elf.hypercall_page)
        fill_hypercall_page(mem + (elf.hypercall_page - KMV_GUEST_VIRT_BASE));

    struct vcpu *v0 = &d->vcpu[0];
    vregs(v0)->rip = elf.entry;
    vregs(v0)->rsp = free_va;
    vregs(v0)->rsi = si_va;
    v0->initialised = true;
    snprintf(d->cmdline, sizeof(d->cmdline), "%s", guest_cmdline);
    printk("kmapvisor: d0: %llu MiB (%u MiB lowmem at %#x), %u vCPU(s), window %u slots at %#x%s%s%s\n",
           (unsigned long long)(cfg->mem_bytes >> 20), ad->lowmem_pages >> 8, KMV_GUEST_VIRT_BASE,
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
