/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copying to and from guest virtual memory.  Every guest pointer is
 * untrusted: we translate it by walking the vCPU's page tables (which the
 * hypervisor owns) and touch the frame through the direct map, so a bad
 * pointer gives -EFAULT and never a hypervisor page fault.
 */
#include "pv.h"
#include "page_type.h"
#include <asm/mmu.h>
#include <kmapvisor/x86_pte.h>

uint64_t guest_translate(struct vcpu *v, uint32_t gva, bool write)
{
    uint64_t e = v->arch->cr3;
    static const unsigned shifts[4] = { 39, 30, 21, 12 };
    for (unsigned level = 0; level < 4; level++) {
        const uint64_t *table = phys_to_virt(e & X86_PTE_ADDR);
        e = table[((uint64_t)gva >> shifts[level]) & 511];
        if (!(e & X86_PTE_P) || (write && !(e & X86_PTE_W)))
            return 0;
        if (level == 2 && (e & X86_PTE_PS))
            return (e & X86_PTE_ADDR & ~((1ull << 21) - 1)) + (gva & ((1u << 21) - 1));
    }
    return (e & X86_PTE_ADDR) + (gva & (PAGE_SIZE - 1));
}

static int copy_guest(struct vcpu *v, void *buf, uint32_t gva, size_t len, bool write)
{
    if ((uint64_t)gva + len > (1ull << 32))
        return -XEN_EFAULT;
    while (len) {
        size_t chunk = MIN(len, PAGE_SIZE - (gva & (PAGE_SIZE - 1)));
        uint64_t ma = guest_translate(v, gva, write);
        if (!ma)
            return -XEN_EFAULT;
        if (write) {
            /* The frame was mapped writable when we walked; hold a writable
             * reference while we store, so that another vCPU cannot make
             * it a page table meanwhile (frames not the domain's here are
             * frames shared writable with it). */
            const struct arch_domain *ad = v->d->arch;
            uint32_t pfn = pv_mfn_to_pfn(ad, ma >> PAGE_SHIFT);
            if (pfn != M2P_NONE && !pgt_get_writable(pgt_word(ad, pfn), false))
                return -XEN_EFAULT;
            memcpy(phys_to_virt(ma), buf, chunk);
            if (pfn != M2P_NONE)
                pgt_put_writable(pgt_word(ad, pfn));
        } else
            memcpy(buf, phys_to_virt(ma), chunk);
        buf = (uint8_t *)buf + chunk;
        gva += (uint32_t)chunk;
        len -= chunk;
    }
    return 0;
}

int copy_from_guest(struct vcpu *v, void *dst, uint32_t gva, size_t len)
{
    return copy_guest(v, dst, gva, len, false);
}

int copy_to_guest(struct vcpu *v, uint32_t gva, const void *src, size_t len)
{
    return copy_guest(v, (void *)src, gva, len, true);
}
