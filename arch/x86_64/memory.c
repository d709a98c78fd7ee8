/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot memory: the multiboot memory map, the frame allocator, and the
 * hypervisor's final page tables (direct map of all RAM plus the image at
 * -2 GiB).  The lower half of every address space is left to guests.
 */
#include "arch.h"
#include <kmapvisor/x86_pte.h>
#include <kmapvisor/limits.h>

struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_mmap_entry {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;
} __attribute__((packed));

struct mb_module {
    uint32_t start, end, string, reserved;
};

/* Physical addresses the allocator covers: the largest guest (--mem up to
 * KMV_MAX_MEM_MB) plus the runner's 128 MiB, moved up by the PCI hole QEMU's
 * q35 leaves below 4 GiB (2 GiB once RAM passes 2.75 GiB): 20 GiB. */
#define MAX_FRAMES ((((uint64_t)KMV_MAX_MEM_MB << 20) + (4ull << 30)) >> PAGE_SHIFT)
static uint64_t frame_bitmap[MAX_FRAMES / 64];
struct frame_allocator host_frames;
uint64_t kernel_cr3;
char hv_cmdline[512];
struct boot_module boot_modules[4];
unsigned nr_boot_modules;
extern char _image_end_phys[];

/* The machine's RAM, as the boot loader listed it: the PV MMU tells a
 * frame of someone else's RAM (-EBUSY) from one that is no RAM (-EPERM). */
static struct { uint64_t first, end; } ram_ranges[32];
static unsigned nr_ram_ranges;

bool host_frame_is_ram(uint64_t mfn)
{
    for (unsigned i = 0; i < nr_ram_ranges; i++)
        if (mfn >= ram_ranges[i].first && mfn < ram_ranges[i].end)
            return true;
    return false;
}

uint64_t alloc_zeroed_frame(void)
{
    int64_t pfn = fa_alloc(&host_frames, 1, 1);
    if (pfn < 0)
        panic("out of host memory");
    memset(phys_to_virt((uint64_t)pfn << PAGE_SHIFT), 0, PAGE_SIZE);
    return (uint64_t)pfn << PAGE_SHIFT;
}

static void copy_string(char *dst, size_t size, uint32_t pa)
{
    const char *s = pa ? phys_to_virt(pa) : "";
    size_t n = strnlen(s, size - 1);
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* Map [0, end) at DIRECTMAP_BASE and the image at -2 GiB, 2 MiB pages. */
static void build_kernel_page_tables(uint64_t end)
{
    uint64_t pml4 = alloc_zeroed_frame();
    uint64_t *pml4v = phys_to_virt(pml4);
    for (uint64_t pa = 0; pa < end; pa += 1ull << 21) {
        unsigned l4 = 256 + (unsigned)(pa >> 39), l3 = (pa >> 30) & 511, l2 = (pa >> 21) & 511;
        if (!(pml4v[l4] & X86_PTE_P))
            pml4v[l4] = alloc_zeroed_frame() | X86_PTE_P | X86_PTE_W;
        uint64_t *pdpt = phys_to_virt(pml4v[l4] & X86_PTE_ADDR);
        if (!(pdpt[l3] & X86_PTE_P))
            pdpt[l3] = alloc_zeroed_frame() | X86_PTE_P | X86_PTE_W;
        uint64_t *pd = phys_to_virt(pdpt[l3] & X86_PTE_ADDR);
        /* The 3-4 GiB hole holds the LAPIC and IOAPIC: uncached. */
        uint64_t cache = pa >= 0xc0000000 && pa < 0x100000000 ? X86_PTE_PCD | X86_PTE_PWT : 0;
        pd[l2] = pa | X86_PTE_P | X86_PTE_W | X86_PTE_PS | X86_PTE_G | X86_PTE_NX | cache;
    }
    uint64_t pdpt = alloc_zeroed_frame(), pd = alloc_zeroed_frame();
    uint64_t *pdv = phys_to_virt(pd);
    for (unsigned i = 0; i < 512; i++)
        pdv[i] = ((uint64_t)i << 21) | X86_PTE_P | X86_PTE_W | X86_PTE_PS | X86_PTE_G;
    ((uint64_t *)phys_to_virt(pdpt))[510] = pd | X86_PTE_P | X86_PTE_W;
    pml4v[511] = pdpt | X86_PTE_P | X86_PTE_W;
    kernel_cr3 = pml4;
    write_cr3(pml4);
}

void memory_init(uint32_t mb_magic, uint32_t mb_info_pa)
{
    if (mb_magic != 0x2badb002)
        panic("not booted by a multiboot loader (magic %x)", mb_magic);
    const struct mb_info *mbi = phys_to_virt(mb_info_pa);
    if (!(mbi->flags & (1 << 6)))
        panic("the boot loader gave no memory map");
    if (mbi->flags & (1 << 2))
        copy_string(hv_cmdline, sizeof(hv_cmdline), mbi->cmdline);
    if (mbi->flags & (1 << 3)) {
        const struct mb_module *m = phys_to_virt(mbi->mods_addr);
        for (uint32_t i = 0; i < mbi->mods_count && i < ARRAY_SIZE(boot_modules); i++) {
            boot_modules[i].start = m[i].start;
            boot_modules[i].end = m[i].end;
            copy_string(boot_modules[i].cmdline, sizeof(boot_modules[i].cmdline), m[i].string);
            nr_boot_modules++;
        }
    }

    fa_init(&host_frames, frame_bitmap, MAX_FRAMES);
    uint64_t ram_end = 0;
    for (uint32_t off = 0; off < mbi->mmap_length;) {
        const struct mb_mmap_entry *e = phys_to_virt(mbi->mmap_addr + off);
        if (e->type == 1) {
            uint64_t first = ALIGN_UP(e->addr, PAGE_SIZE) >> PAGE_SHIFT;
            uint64_t last = (e->addr + e->len) >> PAGE_SHIFT;
            if (last > first)
                fa_add_free(&host_frames, first, last - first);
            if (last > first && nr_ram_ranges < ARRAY_SIZE(ram_ranges)) {
                ram_ranges[nr_ram_ranges].first = first;
                ram_ranges[nr_ram_ranges++].end = last;
            }
            ram_end = MAX(ram_end, e->addr + e->len);
        }
        off += e->size + 4;
    }
    if (ram_end > MAX_FRAMES << PAGE_SHIFT)
        printk("kmapvisor: note: RAM above %llu GiB is not used\n", (unsigned long long)(MAX_FRAMES >> 18));
    /* Below 1 MiB (BIOS, trampoline), the image, the modules. */
    fa_reserve(&host_frames, 0, 0x100);
    fa_reserve(&host_frames, 0x100, ((uint64_t)_image_end_phys >> PAGE_SHIFT) - 0x100 + 1);
    for (unsigned i = 0; i < nr_boot_modules; i++)
        fa_reserve(&host_frames, boot_modules[i].start >> PAGE_SHIFT,
                   ((boot_modules[i].end + PAGE_SIZE - 1) >> PAGE_SHIFT) - (boot_modules[i].start >> PAGE_SHIFT));
    /* The boot tables map only the first GiB: page-table frames must
     * come from there until the direct map is complete. */
    fa_reserve(&host_frames, 1ull << 18, MAX_FRAMES - (1ull << 18));
    build_kernel_page_tables(MAX(ALIGN_UP(ram_end, 1ull << 30), 1ull << 32));
    for (uint32_t off = 0; off < mbi->mmap_length;) {
        const struct mb_mmap_entry *e = phys_to_virt(mbi->mmap_addr + off);
        if (e->type == 1 && e->addr + e->len > (1ull << 30)) {
            uint64_t first = MAX(e->addr, 1ull << 30) >> PAGE_SHIFT;
            uint64_t last = (e->addr + e->len) >> PAGE_SHIFT;
            fa_add_free(&host_frames, first, last - first);
        }
        off += e->size + 4;
    }
    printk("kmapvisor: memory: %llu MiB RAM, %llu MiB free\n",
           (unsigned long long)(ram_end >> 20), (unsigned long long)(host_frames.nfree >> 8));
}
