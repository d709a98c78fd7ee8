/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Privileged instructions of a PV guest that Xen emulates at their #GP,
 * besides the control registers (emulate.c):
 *  - in/out (imm8 and dx forms, 8/16/32 bits): allowed when the vCPU's
 *    virtual IOPL (PHYSDEVOP_set_iopl) admits its ring (1 for the kernel,
 *    3 for user code), or its I/O bitmap (PHYSDEVOP_set_iobitmap) clears
 *    the ports; else the guest's #GP.  An allowed access reaches no
 *    device (the domain owns no I/O ports, as a Xen domU): reads give all
 *    ones, writes are dropped.  String I/O (ins/outs) is not emulated.
 *  - rdmsr/wrmsr from the guest kernel: the answers of Xen for a 32-bit
 *    PV domain (the table below); any other MSR, and a write Xen would
 *    refuse, is the guest's #GP.  wrmsr of 0x40000000 (CPUID leaf
 *    0x40000002's hypercall-page MSR) writes the hypercall page at the
 *    guest frame it names.
 *  - mov to/from DR0-7 from the guest kernel, with set_debugreg's and
 *    get_debugreg's rules (DR4/5 alias DR6/7: the guest's CR4.DE is clear).
 */
#include "pv.h"
#include <asm/mmu.h>
#include "page_type.h"

/* ---- port I/O ---- */

static bool io_allowed(struct vcpu *v, uint32_t port, unsigned bytes)
{
    struct arch_vcpu *av = v->arch;
    unsigned ring = (unsigned)vregs(v)->cs & 3;
    if (av->iopl >= (ring == 1 ? 1 : 3))
        return true;
    if (!(av->iobmp_limit > port + bytes)) /* Xen's test, to the port */
        return false;
    uint8_t b[2] = { 0xff, 0xff };   /* unreadable bitmap bytes deny */
    if (copy_from_guest(v, b, av->iobmp + (port >> 3), 2))
        copy_from_guest(v, b, av->iobmp + (port >> 3), 1);
    uint32_t x = b[0] | (uint32_t)b[1] << 8, mask = (1u << bytes) - 1;
    return !(x & (mask << (port & 7)));
}

static bool emulate_io(struct vcpu *v, const uint8_t *insn, unsigned avail)
{
    struct trap_frame *r = vregs(v);
    unsigned at = 0, size = 4;
    if (at < avail && insn[at] == 0x66)
        size = 2, at++;
    if (at >= avail)
        return false;
    uint8_t op = insn[at++];
    uint32_t port;
    switch (op) {
    case 0xe4: case 0xe5: case 0xe6: case 0xe7:
        if (at >= avail)
            return false;
        port = insn[at++];
        break;
    case 0xec: case 0xed: case 0xee: case 0xef:
        port = (uint16_t)r->rdx;
        break;
    default:
        return false;
    }
    if (!(op & 1))
        size = 1;
    if (!io_allowed(v, port, size))
        return false;
    if (!(op & 2)) { /* in: all ones, into al, ax or eax */
        uint64_t keep = size == 4 ? 0 : r->rax & ~(uint64_t)((1u << (size * 8)) - 1) & 0xffffffffu;
        r->rax = keep | (size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1);
    }
    r->rip = (uint32_t)(r->rip + at);
    return true;
}

/* ---- MSRs ---- */

#define MSR_IA32_TSC            0x00000010
#define MSR_IA32_UCODE_REV      0x0000008b
#define MSR_PLATFORM_INFO       0x000000ce
#define MSR_MISC_FEATURES       0x00000140
#define MSR_IA32_MISC_ENABLE    0x000001a0
#define MSR_IA32_CR_PAT         0x00000277
#define MSR_EFER                0xc0000080
#define MSR_HYPERCALL_PAGE      0x40000000

#define MISC_ENABLE_PV   ((1u << 11) | (1u << 12))  /* BTS and PEBS unavailable, as Xen shows a PV guest */
#define PAT_XEN          0x0000050100070406ull      /* Xen's own PAT, which a PV guest reads */
#define EFER_PV32        (1u << 11)                 /* NXE; LME/LMA hidden from a 32-bit guest */

/* 0 and *val, or false for the guest's #GP. */
bool pv_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    (void)v;
    switch (msr) {
    case MSR_IA32_TSC: {
        uint32_t lo, hi;
        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
        *val = lo | (uint64_t)hi << 32;
        return true;
    }
    case MSR_IA32_UCODE_REV:
    case MSR_PLATFORM_INFO:      /* no CPUID faulting offered */
    case MSR_MISC_FEATURES:
        *val = 0;
        return true;
    case MSR_IA32_MISC_ENABLE:
        *val = MISC_ENABLE_PV;
        return true;
    case MSR_IA32_CR_PAT:
        *val = PAT_XEN;
        return true;
    case MSR_EFER:
        *val = EFER_PV32;
        return true;
    default:
        return false;
    }
}

bool pv_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    uint64_t now;
    switch (msr) {
    case MSR_IA32_UCODE_REV:     /* the write that precedes a cpuid of the revision */
        return val == 0;
    case MSR_MISC_FEATURES:      /* CPUID faulting is not offered: only 0 */
    case MSR_IA32_MISC_ENABLE:   /* the value it reads, as Xen allows */
    case MSR_IA32_CR_PAT:
    case MSR_EFER:
        return pv_rdmsr(v, msr, &now) && val == now;
    case MSR_HYPERCALL_PAGE: {
        /* edx:eax = the guest-physical address of the page; bits 0-11
         * the page of the stubs (only 0: one page). */
        struct arch_domain *ad = v->d->arch;
        uint64_t pfn = val >> PAGE_SHIFT;
        if ((val & (PAGE_SIZE - 1)) || pfn >= ad->nr_pages)
            return false;
        uint32_t *w = pgt_word(ad, (uint32_t)pfn);
        if (!pgt_get_writable(w, false))
            return false;             /* a page table, or the hypervisor's */
        pv_fill_hypercall_page(phys_to_virt((uint64_t)ad->p2m[pfn] << PAGE_SHIFT));
        pgt_put_writable(w);
        return true;
    }
    default:
        return false;
    }
}

static bool emulate_msr(struct vcpu *v, const uint8_t *insn)
{
    struct trap_frame *r = vregs(v);
    uint32_t msr = (uint32_t)r->rcx;
    if (insn[1] == 0x32) {
        uint64_t val;
        if (!pv_rdmsr(v, msr, &val))
            return false;
        r->rax = (uint32_t)val;
        r->rdx = (uint32_t)(val >> 32);
    } else if (!pv_wrmsr(v, msr, (uint32_t)r->rax | (uint64_t)(uint32_t)r->rdx << 32)) {
        return false;
    }
    r->rip = (uint32_t)(r->rip + 2);
    return true;
}

/* ---- debug registers ---- */

static bool emulate_dr(struct vcpu *v, const uint8_t *insn)
{
    struct trap_frame *r = vregs(v);
    unsigned dr = (insn[2] >> 3) & 7;
    uint64_t *gpr = pv_gpr(r, insn[2]);  /* mod is ignored: always a register */
    if (dr == 4 || dr == 5)
        dr += 2;
    if (insn[1] == 0x21) {
        *gpr = v->arch->dr[dr];
    } else {
        uint32_t a[2] = { dr, (uint32_t)*gpr };
        if (do_set_debugreg(v, a))
            return false;
    }
    r->rip = (uint32_t)(r->rip + 3);
    return true;
}

bool pv_emulate_priv_insn(struct vcpu *v)
{
    struct trap_frame *r = vregs(v);
    uint8_t insn[3];
    unsigned n = pv_fetch_insn(v, insn, sizeof(insn)); /* fewer at the end of mapped memory */
    if (!n)
        return false;
    if (emulate_io(v, insn, n))
        return true;
    if ((r->cs & 3) != 1 || n < 2 || insn[0] != 0x0f)
        return false;
    if (insn[1] == 0x30 || insn[1] == 0x32)
        return emulate_msr(v, insn);
    if ((insn[1] == 0x21 || insn[1] == 0x23) && n == 3)
        return emulate_dr(v, insn);
    return false;
}
