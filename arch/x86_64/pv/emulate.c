/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What kmapvisor emulates for a PV guest at its #UD: Xen's forced-emulation
 * prefix, `ud2a; .ascii "xen"; cpuid`, with which a PV kernel asks for the
 * hypervisor's view of CPUID (a plain cpuid runs on the real CPU and sees
 * the host).  The view follows Xen's for PV guests, simplified: the Xen
 * leaves at 0x40000000, the hypervisor bit set, and the features a PV
 * guest cannot use hidden (docs/abi.md).
 *
 * And, at a #GP raised by a software interrupt through the IDT (every
 * gate but the hypercall's is DPL 0, so `int $n` from the guest faults):
 * Xen's rule that a trap-table entry whose DPL (flags & 3) admits the
 * caller's ring makes `int $n` a software interrupt to that handler, just
 * past the instruction.  Otherwise the guest gets the #GP, with the error
 * code the hardware and Xen give it: n * 8 + 2.
 */
#include "page_type.h"

static const uint8_t forced_cpuid[7] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };

/* CPUID.1 features a PV guest does not get: edx VME, DE, PSE, MCE, APIC,
 * MTRR, PGE, MCA, PSE36, ACPI, DS; ecx VMX, DS-CPL, OSXSAVE. */
#define HIDDEN_1_EDX ((1u << 1) | (1u << 2) | (1u << 3) | (1u << 7) | (1u << 9) | (1u << 12) | (1u << 13) | \
                      (1u << 14) | (1u << 17) | (1u << 21) | (1u << 22))
#define HIDDEN_1_ECX ((1u << 4) | (1u << 5) | (1u << 27))
#define HYPERVISOR_BIT (1u << 31)

void pv_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    switch (leaf) {
    case 0x40000000: /* "XenVMMXenVMM", and the last Xen leaf */
        r[0] = 0x40000002;
        memcpy(&r[1], "XenV", 4);
        memcpy(&r[2], "MMXe", 4);
        memcpy(&r[3], "nVMM", 4);
        return;
    case 0x40000001: /* Xen's version */
        r[0] = (4 << 16) | 17, r[1] = r[2] = r[3] = 0;
        return;
    case 0x40000002: /* one hypercall page, through MSR 0x40000000 */
        r[0] = 1, r[1] = 0x40000000, r[2] = r[3] = 0;
        return;
    default:
        break;
    }
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
    if (leaf == 1) {
        r[3] &= ~HIDDEN_1_EDX;
        r[2] = (r[2] & ~HIDDEN_1_ECX) | HYPERVISOR_BIT;
    }
}

unsigned pv_fetch_insn(struct vcpu *v, uint8_t *buf, unsigned max)
{
    uint32_t eip = (uint32_t)vregs(v)->rip;
    unsigned first = MIN(max, (unsigned)(PAGE_SIZE - (eip & (PAGE_SIZE - 1))));
    if (copy_from_guest(v, buf, eip, first))
        return 0;
    if (first < max && copy_from_guest(v, buf + first, eip + first, max - first))
        return first; /* the instruction may end on this page */
    return max;
}

/* The vector and length of the software interrupt at eip, or false. */
static bool soft_int_at(struct vcpu *v, unsigned *vector, unsigned *len)
{
    uint8_t insn[2];
    if (copy_from_guest(v, insn, (uint32_t)vregs(v)->rip, 2))
        return false;
    switch (insn[0]) {
    case 0xcd: *vector = insn[1], *len = 2; return true; /* int $n */
    case 0xcc: *vector = 3, *len = 1; return true;       /* int3 */
    case 0xce: *vector = 4, *len = 1; return true;       /* into */
    case 0xf1: *vector = 1, *len = 1; return true;       /* int1 */
    default: return false;
    }
}

bool pv_soft_interrupt(struct vcpu *v, uint32_t *error_code)
{
    struct trap_frame *r = vregs(v);
    unsigned n, len;
    if ((*error_code & 3) != 2 || !soft_int_at(v, &n, &len)) /* not an IDT fault of an int instruction */
        return false;
    /* The CPU names the gate by its vector; TCG's long mode by vector * 2
     * (16-byte gates).  Either way the guest is told Xen's n * 8 + 2. */
    if ((*error_code >> 3) != n && (*error_code >> 4) != n)
        return false;
    *error_code = (n << 3) | 2;
    const struct trap_entry32 *t = &v->arch->traps[n];
    if (!t->valid || (t->flags & 3) < (r->cs & 3))
        return false;
    r->rip = (uint32_t)(r->rip + len);
    return guest_bounce(v, n, false, 0);
}

/* The control registers as a PV guest sees them (Xen's view, simplified):
 * CR0 with the guest's virtual TS, CR2 its last fault address, CR3 its
 * guest L3 (as xen_pfn_to_cr3 encodes it), CR4 the paging features it
 * runs with.  A CR3 write is Xen's new_guest_cr3 (NEW_BASEPTR). */
#define GUEST_CR0 (X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_AM | X86_CR0_PG)
#define GUEST_CR4 (X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)

static uint32_t read_cr(struct vcpu *v, unsigned cr)
{
    switch (cr) {
    case 0: return GUEST_CR0 | (v->arch->virtual_ts ? X86_CR0_TS : 0);
    case 2: return v->info->arch.cr2;
    case 3: return pv_mfn_to_cr3(v->arch->base_mfn); /* its guest L3, Xen's compat encoding */
    default: return GUEST_CR4;
    }
}

bool pv_emulate_privileged(struct vcpu *v)
{
    struct trap_frame *r = vregs(v);
    uint8_t insn[3];
    if (pv_emulate_priv_insn(v))
        return true; /* port I/O, MSRs, debug registers (priv_insn.c) */
    if ((r->cs & 3) != 1 || copy_from_guest(v, insn, (uint32_t)r->rip, 2))
        return false; /* only the guest kernel's ring may touch control registers */
    if (insn[0] == 0x0f && insn[1] == 0x06) { /* clts */
        v->arch->virtual_ts = false;
        r->rip = (uint32_t)(r->rip + 2);
        return true;
    }
    if (insn[0] != 0x0f || (insn[1] != 0x20 && insn[1] != 0x22) || copy_from_guest(v, insn, (uint32_t)r->rip, 3))
        return false;
    unsigned modrm = insn[2], cr = (modrm >> 3) & 7;
    if ((modrm >> 6) != 3 || (cr != 0 && cr != 2 && cr != 3 && cr != 4))
        return false;
    uint64_t *reg = pv_gpr(r, modrm);
    if (insn[1] == 0x20) {                    /* mov %crN, %reg */
        *reg = read_cr(v, cr);
    } else {                                  /* mov %reg, %crN: what Xen permits */
        uint32_t val = (uint32_t)*reg;
        if (cr == 0 && (val & ~X86_CR0_TS) == GUEST_CR0)
            v->arch->virtual_ts = val & X86_CR0_TS;
        else if (cr == 2)
            v->info->arch.cr2 = val;
        else if (cr == 3) {
            /* Xen's new_guest_cr3: an L3 (compat encoding), as NEW_BASEPTR;
             * one that is not is the guest's #GP. */
            pv_mmu_lock(v);
            long e = pv_new_baseptr(v, pv_cr3_to_mfn(val));
            pv_mmu_unlock(v);
            if (e)
                return false;
        }
        else if (!(cr == 4 && val == GUEST_CR4))
            return false;                     /* other bits are not the guest's */
    }
    r->rip = (uint32_t)(r->rip + 3);
    return true;
}

bool pv_emulate_ud(struct vcpu *v)
{
    struct trap_frame *r = vregs(v);
    uint8_t insn[sizeof(forced_cpuid)];
    if (copy_from_guest(v, insn, (uint32_t)r->rip, sizeof(insn)) || memcmp(insn, forced_cpuid, sizeof(insn)))
        return false;
    uint32_t out[4];
    pv_cpuid((uint32_t)r->rax, (uint32_t)r->rcx, out);
    r->rax = out[0], r->rbx = out[1], r->rcx = out[2], r->rdx = out[3];
    r->rip = (uint32_t)(r->rip + sizeof(insn));
    return true;
}
