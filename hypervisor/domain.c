/*
 * The domain builder and the life of a domain: configuration from the
 * hypervisor command line, guest memory, the ELF image, start_info and
 * shared_info, page tables, vCPUs; shutdown and crash.
 */
#include "domain.h"
#include "elf32.h"
#include "../arch/x86_64/arch.h"
#include "../arch/x86_64/guest.h"
#include <xen/errno.h>
#include <xen/sched.h>
#include <kmapvisor/abi.h>

struct domain *dom0;

static bool word_value(const char *cmdline, const char *key, char *out, size_t len)
{
    size_t klen = strlen(key);
    for (const char *p = cmdline; *p;) {
        while (*p == ' ')
            p++;
        const char *end = p;
        while (*end && *end != ' ')
            end++;
        if ((size_t)(end - p) > klen && !strncmp(p, key, klen) && p[klen] == '=') {
            size_t n = MIN((size_t)(end - p) - klen - 1, len - 1);
            memcpy(out, p + klen + 1, n);
            out[n] = '\0';
            return true;
        }
        p = end;
    }
    return false;
}

bool domain_config_from_cmdline(const char *cmdline, struct domain_config *cfg, char *why, size_t len)
{
    char val[32];
    uint64_t n;
    *cfg = (struct domain_config){
        .mem_bytes = 256ull << 20, .lowmem_bytes = 64ull << 20, .nr_vcpus = 1,
        .kmap_slots = KMAP_DEFAULT_SLOTS, .kmap_flags = 0, .kmap_allowed_prot = KMAP_PROT_WRITE,
    };
#define BAD(...) do { kmv_snprintf(why, len, __VA_ARGS__); return false; } while (0)
    if (word_value(cmdline, "mem", val, sizeof(val)) && !parse_size(val, &cfg->mem_bytes))
        BAD("mem=%s: not a size", val);
    if (word_value(cmdline, "lowmem", val, sizeof(val)) && !parse_size(val, &cfg->lowmem_bytes))
        BAD("lowmem=%s: not a size", val);
    if (word_value(cmdline, "vcpus", val, sizeof(val))) {
        if (!parse_uint(val, &n) || n < 1 || n > MAX_VCPUS)
            BAD("vcpus=%s: must be 1..%u", val, MAX_VCPUS);
        cfg->nr_vcpus = (unsigned)n;
    }
    if (word_value(cmdline, "kmap.slots", val, sizeof(val))) {
        if (!parse_uint(val, &n) || n < 1 || n > KMAP_MAX_SLOTS)
            BAD("kmap.slots=%s: must be 1..%u", val, KMAP_MAX_SLOTS);
        cfg->kmap_slots = (unsigned)n;
    }
    if (word_value(cmdline, "kmap.guard", val, sizeof(val)) && !strcmp(val, "1"))
        cfg->kmap_flags |= KMAP_WIN_GUARD;
    if (word_value(cmdline, "kmap.lazy", val, sizeof(val)) && !strcmp(val, "1"))
        cfg->kmap_flags |= KMAP_WIN_LAZY;
    if (word_value(cmdline, "kmap.policy", val, sizeof(val))) {
        if (!strcmp(val, "stop"))
            cfg->kmap_flags |= KMAP_WIN_STOP;
        else if (strcmp(val, "error"))
            BAD("kmap.policy=%s: must be error or stop", val);
    }
    if (word_value(cmdline, "kmap.cached", val, sizeof(val)) && !strcmp(val, "1"))
        cfg->kmap_flags |= KMAP_WIN_CACHED | KMAP_WIN_LAZY;
    if (word_value(cmdline, "kmap.sstep", val, sizeof(val)) && !strcmp(val, "1"))
        cfg->kmap_flags |= KMAP_WIN_SSTEP;
    if (word_value(cmdline, "kmap.prot", val, sizeof(val))) {
        if (!parse_uint(val, &n) || (n & ~(uint64_t)KMAP_PROT_ALL))
            BAD("kmap.prot=%s: must be a mask of KMAP_PROT_*", val);
        cfg->kmap_allowed_prot = (uint32_t)n;
    }
    if (cfg->mem_bytes < (16ull << 20) || cfg->mem_bytes > (16ull << 30))
        BAD("mem: %llu MiB is outside 16 MiB..16 GiB", (unsigned long long)(cfg->mem_bytes >> 20));
    if (cfg->lowmem_bytes < (8ull << 20) || cfg->lowmem_bytes > GUEST_MAX_LOWMEM ||
        !IS_ALIGNED(cfg->lowmem_bytes, 2ull << 20))
        BAD("lowmem: must be a multiple of 2 MiB from 8 MiB to %u MiB", GUEST_MAX_LOWMEM >> 20);
    if (cfg->lowmem_bytes + (1ull << 20) > cfg->mem_bytes)
        BAD("lowmem (%llu MiB) must be at least 1 MiB below mem (%llu MiB)",
            (unsigned long long)(cfg->lowmem_bytes >> 20), (unsigned long long)(cfg->mem_bytes >> 20));
#undef BAD
    return true;
}

void vcpu_reset_regs(struct vcpu *v)
{
    memset(&v->regs, 0, sizeof(v->regs));
    v->regs.cs = GUEST_RING1_CS;
    v->regs.ss = GUEST_RING1_DS;
    v->regs.rflags = (1u << 9) | 2; /* IF: real interrupts always on in the guest */
    v->ds = v->es = v->fs = v->gs = GUEST_RING1_DS;
}

/* The vcpu_time_info scale (Xen's): ns = ((tsc_delta << shift) * mul) >> 32. */
static void time_scale(uint64_t tsc_hz, uint32_t *mul, int8_t *shift)
{
    int s = 0;
    while (tsc_hz > 2000000000ull) {
        tsc_hz >>= 1;
        s--;
    }
    while (tsc_hz <= 1000000000ull) {
        tsc_hz <<= 1;
        s++;
    }
    *mul = (uint32_t)((1000000000ull << 32) / tsc_hz);
    *shift = (int8_t)s;
}

extern uint64_t tsc_at_boot(void);

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
    struct elf32_image elf;
    memset(d, 0, sizeof(*d));
    d->cfg = *cfg;
    d->nr_vcpus = cfg->nr_vcpus;
    d->nr_pages = cfg->mem_bytes >> PAGE_SHIFT;
    d->lowmem_pages = (uint32_t)(cfg->lowmem_bytes >> PAGE_SHIFT);
    if (!elf32_parse(image, len, GUEST_VIRT_BASE, GUEST_VIRT_BASE + (uint32_t)cfg->lowmem_bytes,
                     &elf, why, why_len))
        return -XEN_EINVAL;

    int64_t base = fa_alloc(&host_frames, d->nr_pages, 512); /* 2 MiB aligned: lowmem uses 2 MiB pages */
    if (base < 0) {
        kmv_snprintf(why, why_len, "not enough host memory for mem=%llu MiB",
                     (unsigned long long)(cfg->mem_bytes >> 20));
        return -XEN_ENOMEM;
    }
    d->base_mfn = (uint64_t)base;
    int64_t ft = fa_alloc(&host_frames, (d->nr_pages + PAGE_SIZE - 1) / PAGE_SIZE, 1);
    if (ft < 0) {
        kmv_snprintf(why, why_len, "not enough host memory for the frame table");
        return -XEN_ENOMEM;
    }
    d->frame_type = phys_to_virt((uint64_t)ft << PAGE_SHIFT);
    memset(d->frame_type, FT_RAM, d->nr_pages);

    /* Page tables at the top of the domain's memory, out of lowmem. */
    uint64_t pt_pfn = d->nr_pages - 4ull * d->nr_vcpus;
    d->nr_usable_pages = (uint32_t)pt_pfn;
    uint8_t *mem = phys_to_virt(d->base_mfn << PAGE_SHIFT);

    /* The image, then start_info, shared_info, the P2M list, a boot stack. */
    uint32_t image_end = ALIGN_UP(elf.highest, (uint32_t)PAGE_SIZE);
    memset(mem + (elf.lowest - GUEST_VIRT_BASE), 0, image_end - elf.lowest);
    for (unsigned i = 0; i < elf.nr_segments; i++) {
        const struct elf32_segment *s = &elf.seg[i];
        memcpy(mem + (s->vaddr - GUEST_VIRT_BASE), (const uint8_t *)image + s->offset, s->filesz);
    }
    uint32_t si_va = image_end, sh_va = si_va + PAGE_SIZE, p2m_va = sh_va + PAGE_SIZE;
    uint32_t p2m_bytes = ALIGN_UP(d->nr_usable_pages * 4, (uint32_t)PAGE_SIZE);
    uint32_t stack_va = p2m_va + p2m_bytes, free_va = stack_va + 4 * PAGE_SIZE;
    if (free_va - GUEST_VIRT_BASE > d->lowmem_pages * PAGE_SIZE) {
        kmv_snprintf(why, why_len, "lowmem too small for the image and its start-up data");
        return -XEN_ENOMEM;
    }
    memset(mem + (si_va - GUEST_VIRT_BASE), 0, free_va - si_va);
    uint32_t *p2m = (uint32_t *)(mem + (p2m_va - GUEST_VIRT_BASE));
    for (uint32_t pfn = 0; pfn < d->nr_usable_pages; pfn++)
        p2m[pfn] = (uint32_t)(d->base_mfn + pfn);

    d->shared = (struct shared_info_x86_32 *)(mem + (sh_va - GUEST_VIRT_BASE));
    evtchn_init(&d->evtchn, d->shared, d->nr_vcpus);
    uint32_t mul;
    int8_t shift;
    time_scale(tsc_khz * 1000, &mul, &shift);

    struct start_info_x86_32 *si = (struct start_info_x86_32 *)(mem + (si_va - GUEST_VIRT_BASE));
    memcpy(si->magic, "xen-3.0-x86_32p", 16);
    si->nr_pages = d->nr_usable_pages;
    si->shared_info = (uint32_t)((d->base_mfn << PAGE_SHIFT) + (sh_va - GUEST_VIRT_BASE));
    si->pt_base = free_va; /* no guest-visible page tables: marks the end of the boot area */
    si->nr_pt_frames = 0;
    si->mfn_list = p2m_va;
    size_t cl = strnlen(guest_cmdline, sizeof(si->cmd_line) - 1);
    memcpy(si->cmd_line, guest_cmdline, cl);

    for (unsigned i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = &d->vcpu[i];
        v->d = d;
        v->id = i;
        v->state = VCPU_DOWN;
        v->info = &d->shared->vcpu_info[i];
        v->info->evtchn_upcall_mask = 1; /* every vCPU starts with events masked */
        v->info->time.tsc_timestamp = tsc_at_boot();
        v->info->time.system_time = 0;
        v->info->time.tsc_to_system_mul = mul;
        v->info->time.tsc_shift = shift;
        vcpu_reset_regs(v);
        kmap_window_init(&v->win, GUEST_WINDOW_BASE, cfg->kmap_slots, cfg->kmap_flags,
                         cfg->kmap_allowed_prot);
        guest_pt_build(d, v, &pt_pfn);
        vcpu_kmap_env(v, &v->kenv);
    }

    struct kmv_start_ext *ext = (struct kmv_start_ext *)((uint8_t *)si + KMV_START_EXT_OFFSET);
    *ext = (struct kmv_start_ext){
        .magic = KMV_START_EXT_MAGIC, .version = 1, .nr_vcpus = d->nr_vcpus,
        .lowmem_pages = d->lowmem_pages, .virt_base = GUEST_VIRT_BASE,
        .first_highmem_pfn = d->lowmem_pages, .nr_usable_pages = d->nr_usable_pages,
        .first_free_pfn = (free_va - GUEST_VIRT_BASE) >> PAGE_SHIFT,
        .tsc_khz = (uint32_t)tsc_khz,
        .window = { .base = GUEST_WINDOW_BASE, .nslots = d->vcpu[0].win.nslots,
                    .stride = d->vcpu[0].win.stride_pages * (uint32_t)PAGE_SIZE,
                    .flags = cfg->kmap_flags },
        .accel = detect_accel(), .nr_pcpus = nr_pcpus,
    };

    if (elf.hypercall_page)
        fill_hypercall_page(mem + (elf.hypercall_page - GUEST_VIRT_BASE));

    struct vcpu *v0 = &d->vcpu[0];
    v0->regs.rip = elf.entry;
    v0->regs.rsp = free_va;
    v0->regs.rsi = si_va;
    v0->initialised = true;
    kmv_snprintf(d->cmdline, sizeof(d->cmdline), "%s", guest_cmdline);
    printk("kmapvisor: d0: %llu MiB (%u MiB lowmem at %#x), %u vCPU(s), window %u slots at %#x%s%s%s\n",
           (unsigned long long)(cfg->mem_bytes >> 20), d->lowmem_pages >> 8, GUEST_VIRT_BASE,
           d->nr_vcpus, v0->win.nslots, GUEST_WINDOW_BASE,
           (cfg->kmap_flags & KMAP_WIN_GUARD) ? ", guard pages" : "",
           (cfg->kmap_flags & KMAP_WIN_CACHED) ? ", cached" : (cfg->kmap_flags & KMAP_WIN_LAZY) ? ", lazy" : "",
           (cfg->kmap_flags & KMAP_WIN_STOP) ? ", policy stop" : ", policy error");
    return 0;
}

static const char *const shutdown_names[] = {
    "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset" };

/* There is one domain: when it ends, the machine ends, with its status. */
_Noreturn void domain_shutdown(struct domain *d, unsigned reason)
{
    d->dying = true;
    if (d->cfg.kmap_flags & KMAP_WIN_SSTEP)
        printk("kmapvisor: single-step: %llu stepped regions, %llu instruction boundaries, longest %u, "
               "%llu interrupts injected at %u distinct EIPs\n",
               (unsigned long long)d->sstep_regions, (unsigned long long)d->sstep_boundaries, d->sstep_longest,
               (unsigned long long)d->sstep_injections, d->sstep_nr_eips);
    printk("kmapvisor: domain %u shut down: %s\n", d->id,
           reason < ARRAY_SIZE(shutdown_names) ? shutdown_names[reason] : "?");
    switch (reason) {
    case SHUTDOWN_poweroff: machine_exit(KMV_EXIT_POWEROFF);
    case SHUTDOWN_reboot: machine_exit(KMV_EXIT_REBOOT);
    default: machine_exit(KMV_EXIT_CRASH);
    }
}

_Noreturn void domain_crash(struct vcpu *v, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    kmv_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    const struct trap_frame *r = &v->regs;
    v->d->dying = true;
    printk("kmapvisor: d%uv%u stopped: %s\n", v->d->id, v->id, buf);
    printk("  eip %08x  cs %04x  eflags %08x  esp %08x  ss %04x\n", (uint32_t)r->rip,
           (uint32_t)r->cs, (uint32_t)r->rflags, (uint32_t)r->rsp, (uint32_t)r->ss);
    printk("  eax %08x  ebx %08x  ecx %08x  edx %08x  esi %08x  edi %08x  ebp %08x\n",
           (uint32_t)r->rax, (uint32_t)r->rbx, (uint32_t)r->rcx, (uint32_t)r->rdx,
           (uint32_t)r->rsi, (uint32_t)r->rdi, (uint32_t)r->rbp);
    printk("kmapvisor: domain %u shut down: crash\n", v->d->id);
    machine_exit(KMV_EXIT_CRASH);
}

void domain_kick_result(struct domain *d, int r)
{
    if (r >= 0 && (unsigned)r < d->nr_vcpus)
        vcpu_wake(&d->vcpu[r]);
}

void vcpu_send_virq(struct vcpu *v, unsigned virq)
{
    unsigned port = evtchn_virq_port(&v->d->evtchn, v->id, virq); /* racy read: a port bound later is missed, as on Xen */
    if (!port)
        return;
    spin_lock(&v->d->evtchn_lock);
    int r = evtchn_send(&v->d->evtchn, port);
    spin_unlock(&v->d->evtchn_lock);
    domain_kick_result(v->d, r);
}
