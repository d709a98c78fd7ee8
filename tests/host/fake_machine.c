/* SPDX-License-Identifier: GPL-2.0-only */
#include "fake_machine.h"
#include <kmapvisor/x86_pte.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint8_t *fake_ram;
uint64_t fake_ram_bytes;
struct fake_tlb_counts fake_tlb;
jmp_buf fake_exit_jmp;
bool fake_exit_armed;
unsigned fake_exit_code;
char fake_console[16384];
size_t fake_console_len;
bool fake_console_echo;

/* What the PV layer takes from the x86 host (pv.h). */
struct frame_allocator host_frames;
uint64_t kernel_cr3;
uint64_t tsc_khz = 1000000;
unsigned nr_pcpus = 1;
uint64_t tsc_at_boot(void) { return 0; }
/* The fake TSC: 1 GHz (tsc_khz), so 1 tick is 1 ns of system time. */
uint64_t fake_tsc = 1000000;
uint64_t host_tsc(void) { return fake_tsc; }
uint64_t tsc_to_ns(uint64_t tsc) { return tsc; }
unsigned detect_accel(void) { return KMV_ACCEL_UNKNOWN; }

static uint64_t *bitmap;

/* Pages the hypervisor touched since fake_track_reset (for the fuzzer's
 * cheap restore between inputs). */
static uint8_t *touched_map;
static uint32_t *touched;
static size_t nr_touched;
bool fake_tracking;

void fake_track_reset(void)
{
    for (size_t i = 0; i < nr_touched; i++)
        touched_map[touched[i]] = 0;
    nr_touched = 0;
}

size_t fake_touched_pages(const uint32_t **pfns)
{
    *pfns = touched;
    return nr_touched;
}

void *fake_phys_to_virt(uint64_t pa)
{
    if (fake_tracking && pa < fake_ram_bytes && !touched_map[pa >> PAGE_SHIFT]) {
        touched_map[pa >> PAGE_SHIFT] = 1;
        touched[nr_touched++] = (uint32_t)(pa >> PAGE_SHIFT);
    }
    if (pa >= fake_ram_bytes) {
        fprintf(stderr, "fake machine: the hypervisor touched physical address %#llx outside RAM\n",
                (unsigned long long)pa);
        abort();
    }
    return fake_ram + pa;
}

static void console_write(const char *s, size_t len)
{
    if (fake_console_echo)
        fwrite(s, 1, len, stdout);
    size_t n = len < sizeof(fake_console) - 1 - fake_console_len ? len : sizeof(fake_console) - 1 - fake_console_len;
    memcpy(fake_console + fake_console_len, s, n);
    fake_console_len += n;
    fake_console[fake_console_len] = '\0';
}

static uint64_t now_ns(void) { return tsc_to_ns(fake_tsc); }
static void kick_cpu(unsigned cpu) { (void)cpu; }
static unsigned this_cpu(void) { return 0; }
static void stop_other_cpus(void) { }

const char *fake_console_input;
static int console_getc(void)
{
    if (!fake_console_input || !*fake_console_input)
        return -1;
    return (unsigned char)*fake_console_input++;
}

static __attribute__((noreturn)) void machine_exit(unsigned code)
{
    fake_exit_code = code;
    if (!fake_exit_armed) {
        fprintf(stderr, "fake machine: machine_exit(%#x) with no test waiting for it\n", code);
        abort();
    }
    fake_exit_armed = false;
    longjmp(fake_exit_jmp, 1);
}

static const struct hv_platform fake_platform = {
    .console_write = console_write,
    .now_ns = now_ns,
    .kick_cpu = kick_cpu,
    .dump_vcpu = pv_dump_vcpu,
    .machine_exit = machine_exit,
    .this_cpu = this_cpu,
    .stop_other_cpus = stop_other_cpus,
    .console_getc = console_getc,
};

void fake_machine_init(unsigned mem_mb)
{
    uint64_t bytes = (uint64_t)mem_mb << 20;
    if (!fake_ram || bytes != fake_ram_bytes) {
        free(fake_ram);
        free(bitmap);
        fake_ram = aligned_alloc(4096, bytes);
        bitmap = calloc(bytes / PAGE_SIZE / 64 + 1, 8);
        free(touched_map);
        free(touched);
        touched_map = calloc(bytes / PAGE_SIZE, 1);
        touched = calloc(bytes / PAGE_SIZE, sizeof(*touched));
        if (!fake_ram || !bitmap || !touched_map || !touched)
            abort();
        fake_ram_bytes = bytes;
    }
    memset(fake_ram, 0, bytes);
    memset(&fake_tlb, 0, sizeof(fake_tlb));
    fake_tsc = 1000000;
    fa_init(&host_frames, bitmap, bytes / PAGE_SIZE);
    fa_add_free(&host_frames, 1, bytes / PAGE_SIZE - 1); /* frame 0 stays: a null machine address */
    kernel_cr3 = (uint64_t)fa_alloc(&host_frames, 1, 1) << PAGE_SHIFT; /* the hypervisor's half: empty */
    platform = &fake_platform;
    sched_reset();
    nr_touched = 0;
    memset(touched_map, 0, bytes / PAGE_SIZE);
    fake_console_len = 0;
    fake_console[0] = '\0';
}

int fake_domain_build(struct domain *d, const char *image_path, const char *hv_cmdline,
                      const char *guest_cmdline, char *why, size_t why_len)
{
    FILE *f = fopen(image_path, "rb");
    if (!f) {
        snprintf(why, why_len, "%s: cannot open", image_path);
        return -1;
    }
    static uint8_t image[4 << 20];
    size_t len = fread(image, 1, sizeof(image), f);
    fclose(f);
    struct domain_config cfg;
    if (!domain_config_from_cmdline(hv_cmdline, &cfg, why, why_len))
        return -1;
    int r = domain_build(d, &cfg, (struct boot_blob){ image, len }, (struct boot_blob){ NULL, 0 }, guest_cmdline, why,
                         why_len);
    if (!r)
        dom0 = d;
    return r;
}

bool host_frame_is_ram(uint64_t mfn) { return mfn < fake_ram_bytes / PAGE_SIZE; }

void *fake_guest_ptr(struct vcpu *v, uint32_t gva, bool write)
{
    uint64_t ma = guest_translate(v, gva, write);
    return ma ? fake_phys_to_virt(ma) : NULL;
}

long fake_hypercall(struct vcpu *v, uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    struct trap_frame *r = vregs(v);
    r->rax = nr, r->rbx = a1, r->rcx = a2, r->rdx = a3, r->rsi = a4, r->rdi = a5;
    fake_exit_armed = true;
    if (setjmp(fake_exit_jmp))
        return -1000 - (long)fake_exit_code;
    hypercall_dispatch(v);
    fake_exit_armed = false;
    return (long)(int32_t)(uint32_t)r->rax;
}

/* What the mini guest's early boot does (guest/pv/mm.c), through the same
 * hypercalls: map all of lowmem on the guest's own page tables, new
 * tables from the first frames past the boot mapping, read-only; request lists in the boot
 * region's slack.  Aborts on any refusal (a hypervisor bug). */
static void fake_mm_call(struct vcpu *v, uint32_t nr, uint32_t list, uint32_t n)
{
    long r = fake_hypercall(v, nr, list, n, 0, DOMID_SELF, 0);
    if (r) {
        fprintf(stderr, "fake_map_lowmem: hypercall %u of %u: %ld\n", nr, n, r);
        abort();
    }
}

void fake_map_lowmem(struct vcpu *v)
{
    struct trap_frame saved = *vregs(v); /* the calls below take the registers */
    uint64_t counts[NR_HYPERCALLS];
    memcpy(counts, v->arch->hypercalls, sizeof(counts));
    const struct arch_domain *ad = v->d->arch;
    const struct start_info_x86_32 *si = fake_guest_ptr(v, (uint32_t)v->arch->regs.rsi, false);
    const struct kmv_start_ext *ext = (const void *)((const uint8_t *)si + KMV_START_EXT_OFFSET);
    uint32_t vb = ad->virt_base, top = MIN(ad->lowmem_pages, si->nr_pages);
    uint32_t pt_first = (si->pt_base - vb) >> PAGE_SHIFT, pt_end = pt_first + si->nr_pt_frames;
    uint32_t buf = vb + ext->first_free_pfn * PAGE_SIZE;
    struct mmu_update *reqs = fake_guest_ptr(v, buf, true);
    struct kmv_mmuext_op32 *op = fake_guest_ptr(v, buf + 512 * sizeof(*reqs), true);
    const uint64_t *l3 = fake_guest_ptr(v, si->pt_base, false);
    uint32_t chunks = (top + 511) / 512, need = 0, first_unmapped = top;
    for (uint32_t c = 0; c < chunks; c++) {
        uint32_t va = vb + c * (2u << 20);
        bool missing = !(l3[va >> 30] & 1) || !(((uint64_t *)fake_phys_to_virt(l3[va >> 30] & X86_PTE_ADDR))[(va >> 21) & 511] & 1);
        need += missing;
        if (missing && first_unmapped == top)
            first_unmapped = c * 512;
        if (!(l3[va >> 30] & 1)) {
            fprintf(stderr, "fake_map_lowmem: lowmem beyond the boot L2s is not done here\n");
            abort();
        }
    }
    uint32_t first_new = first_unmapped, next = first_new; /* the first frames past the boot mapping */
    for (uint32_t c = 0; c < chunks; c++) {
        uint32_t va = vb + c * (2u << 20);
        uint64_t l2ma = l3[va >> 30] & X86_PTE_ADDR;
        if (((uint64_t *)fake_phys_to_virt(l2ma))[(va >> 21) & 511] & 1)
            continue;
        uint32_t l1 = next++;
        uint64_t l1ma = (uint64_t)ad->p2m[l1] << PAGE_SHIFT;
        *op = (struct kmv_mmuext_op32){ MMUEXT_CLEAR_PAGE, ad->p2m[l1], 0 };
        fake_mm_call(v, __HYPERVISOR_mmuext_op, buf + 512 * sizeof(*reqs), 1);
        uint32_t n = 0;
        for (uint32_t i = 0; i < 512 && c * 512 + i < top; i++, n++) {
            uint32_t pfn = c * 512 + i;
            bool table = (pfn >= pt_first && pfn < pt_end) || (pfn >= first_new && pfn < first_new + need);
            reqs[n] = (struct mmu_update){ l1ma + i * 8, ((uint64_t)ad->p2m[pfn] << PAGE_SHIFT) | X86_PTE_P | X86_PTE_A |
                                                             (table ? 0 : X86_PTE_W | X86_PTE_D) };
        }
        fake_mm_call(v, __HYPERVISOR_mmu_update, buf, n);
        reqs[0] = (struct mmu_update){ l2ma + ((va >> 21) & 511) * 8, l1ma | X86_PTE_P | X86_PTE_W | X86_PTE_A | X86_PTE_D };
        fake_mm_call(v, __HYPERVISOR_mmu_update, buf, 1);
    }
    /* The tests see the vCPU as the builder left it: registers, call counts. */
    *vregs(v) = saved;
    memcpy(v->arch->hypercalls, counts, sizeof(counts));
}
