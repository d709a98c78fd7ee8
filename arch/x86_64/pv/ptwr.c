/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writable page tables (VMASST_TYPE_writable_pagetables), as Xen's
 * arch/x86/pv/ro-page-fault.c emulates them for a 32-bit PAE guest: the
 * guest maps its L1 tables read-only (every page table is) and writes
 * their entries directly; the write faults, and the hypervisor decodes
 * the faulting instruction, computes the new 64-bit entry, validates it
 * exactly as mmu_update does (pv_cmpxchg_entry under the MMU lock) and
 * swaps it in atomically, then steps the guest past the instruction.
 *
 * Emulated: a write fault (#PF, error P=1 W=1, from ring 1, no U/RSVD/I)
 * at the address the instruction writes, when that address maps a frame
 * of the domain's typed L1 with a count, and the domain enabled the
 * assist (vm_assist, or the image required the feature: the builder
 * enables it).  Instructions, 32-bit operands and addresses only, any
 * ModRM/SIB/displacement form, ES/SS/DS overrides (flat, base 0), lock or
 * not:
 *   mov r32,m32 (89); mov eax,moffs32 (a3); mov imm32,m32 (c7 /0);
 *   xchg r32,m32 (87);
 *   and/or r32,m32 (21, 09); and/or imm,m32 (81 /4 /1, 83 /4 /1);
 *   and/or imm8,m8 (80 /4 /1: Linux's clear_bit/set_bit with a constant,
 *   in ptep_set_wrprotect); cmpxchg r32,m32 (0f b1); cmpxchg8b m64
 *   (0f c7 /1); bts/btr r32,m32 (0f ab, 0f b3); bts/btr imm8,m32
 *   (0f ba /5 /6).
 * Refused (the guest gets its #PF, as on Xen): any other instruction or
 * form (a register destination, 0x66 or 0x67, rep, CS/FS/GS overrides),
 * an access not naturally aligned, or not at the faulting address (so a
 * segment base other than 0 is never guessed at), a frame that is no L1
 * in use, and every entry mmu_update refuses.  As Xen, a 4-byte store to
 * the upper half of an entry (not cmpxchg) that leaves it present but
 * invalid is taken with the entry made not present: a guest writing the
 * halves high first (Linux's set_pte) gets there with the low half next.
 * L2 and L3 entries are not emulated (Xen's ptwr handles L1 pages only):
 * their writes go through mmu_update, as a PAE guest's do.
 */
#include "page_type.h"
#include <asm/mmu.h>

/* #PF error code bits. */
#define PF_P    (1u << 0)
#define PF_W    (1u << 1)
#define PF_U    (1u << 2)
#define PF_RSVD (1u << 3)
#define PF_I    (1u << 4)

/* EFLAGS bits the emulated instructions change. */
#define FL_CF (1u << 0)
#define FL_PF (1u << 2)
#define FL_AF (1u << 4)
#define FL_ZF (1u << 6)
#define FL_SF (1u << 7)
#define FL_OF (1u << 11)
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

enum ptwr_op { OP_MOV, OP_XCHG, OP_AND, OP_OR, OP_BTS, OP_BTR, OP_CMPXCHG, OP_CMPXCHG8B };

struct ptwr_insn {
    enum ptwr_op op;
    unsigned size;     /* bytes written: 1, 4 or 8 */
    uint32_t addr;     /* the linear address written */
    unsigned reg;      /* ModRM reg: the register operand */
    uint32_t src;      /* the source value (register or immediate); for bts/btr the bit */
    unsigned len;      /* the instruction's length */
};

/* The effective address of a ModRM memory operand (mod != 3), 32-bit
 * addressing; at is advanced past the SIB byte and displacement. */
static bool modrm_address(struct trap_frame *r, const uint8_t *b, unsigned n, unsigned *at, uint8_t modrm,
                          uint32_t *ea)
{
    unsigned mod = modrm >> 6, rm = modrm & 7;
    uint32_t a = 0;
    bool disp32 = mod == 2;
    if (rm == 4) { /* SIB */
        if (*at >= n)
            return false;
        uint8_t sib = b[(*at)++];
        unsigned scale = sib >> 6, index = (sib >> 3) & 7, base = sib & 7;
        if (index != 4)
            a += (uint32_t)*pv_gpr(r, index) << scale;
        if (base == 5 && mod == 0)
            disp32 = true; /* no base */
        else
            a += (uint32_t)*pv_gpr(r, base);
    } else if (rm == 5 && mod == 0) {
        disp32 = true; /* absolute */
    } else {
        a += (uint32_t)*pv_gpr(r, rm);
    }
    if (mod == 1) {
        if (*at >= n)
            return false;
        a += (uint32_t)(int32_t)(int8_t)b[(*at)++];
    } else if (disp32) {
        if (*at + 4 > n)
            return false;
        uint32_t d;
        memcpy(&d, b + *at, 4);
        *at += 4;
        a += d;
    }
    *ea = a;
    return true;
}

/* Decode the instruction at the guest's EIP: one of the writes above. */
static bool decode(struct vcpu *v, struct ptwr_insn *in)
{
    struct trap_frame *r = vregs(v);
    uint8_t b[15];
    unsigned n = pv_fetch_insn(v, b, sizeof(b)), at = 0;
    uint8_t op;
    for (;;) { /* prefixes: lock, and the flat data segments */
        if (at >= n)
            return false;
        op = b[at++];
        if (op != 0xf0 && op != 0x26 && op != 0x36 && op != 0x3e)
            break;
    }
    if (op == 0xa3) { /* mov %eax,moffs32: no ModRM */
        if (at + 4 > n)
            return false;
        memcpy(&in->addr, b + at, 4);
        in->op = OP_MOV, in->size = 4, in->reg = 0, in->src = (uint32_t)r->rax, in->len = at + 4;
        return true;
    }
    bool twobyte = op == 0x0f;
    if (twobyte) {
        if (at >= n)
            return false;
        op = b[at++];
    }
    if (at >= n)
        return false;
    uint8_t modrm = b[at++];
    if ((modrm >> 6) == 3)
        return false; /* a register destination: no memory write */
    if (!modrm_address(r, b, n, &at, modrm, &in->addr))
        return false;
    in->reg = (modrm >> 3) & 7;
    in->size = 4;
    uint32_t reg = (uint32_t)*pv_gpr(r, in->reg);
    unsigned imm = 0; /* immediate bytes */
    if (!twobyte) {
        switch (op) {
        case 0x89: in->op = OP_MOV; break;
        case 0x87: in->op = OP_XCHG; break;
        case 0x21: in->op = OP_AND; break;
        case 0x09: in->op = OP_OR; break;
        case 0xc7:
            if (in->reg != 0)
                return false;
            in->op = OP_MOV, imm = 4;
            break;
        case 0x80: case 0x81: case 0x83:
            if (in->reg != 1 && in->reg != 4)
                return false;
            in->op = in->reg == 4 ? OP_AND : OP_OR;
            imm = op == 0x81 ? 4 : 1;
            if (op == 0x80)
                in->size = 1;
            break;
        default:
            return false;
        }
    } else {
        switch (op) {
        case 0xb1: in->op = OP_CMPXCHG; break;
        case 0xc7:
            if (in->reg != 1)
                return false;
            in->op = OP_CMPXCHG8B, in->size = 8;
            break;
        case 0xab: case 0xb3: {
            /* The register's bit offset is signed and reaches any dword. */
            int32_t bit = (int32_t)reg;
            in->op = op == 0xab ? OP_BTS : OP_BTR;
            in->addr += (uint32_t)((bit >> 5) * 4);
            reg = (uint32_t)bit & 31;
            break;
        }
        case 0xba:
            if (in->reg != 5 && in->reg != 6)
                return false;
            in->op = in->reg == 5 ? OP_BTS : OP_BTR, imm = 1;
            break;
        default:
            return false;
        }
    }
    in->src = reg;
    if (imm) {
        if (at + imm > n)
            return false;
        if (imm == 4)
            memcpy(&in->src, b + at, 4);
        else if (twobyte) /* bts/btr $imm8: the bit, modulo the operand size */
            in->src = b[at] & 31;
        else if (op == 0x83)
            in->src = (uint32_t)(int32_t)(int8_t)b[at];
        else
            in->src = b[at];
        at += imm;
    }
    in->len = at;
    return true;
}

static uint32_t parity_flag(uint64_t res) { return __builtin_parity((unsigned)(res & 0xff)) ? 0 : FL_PF; }

/* Flags of a logical result of `bits` bits: CF, OF, AF clear. */
static uint32_t logic_flags(uint64_t res, unsigned bits)
{
    return parity_flag(res) | (res ? 0 : FL_ZF) | ((res >> (bits - 1)) & 1 ? FL_SF : 0);
}

/* Flags of cmp a, b (32 bits), as cmpxchg sets them. */
static uint32_t cmp_flags(uint32_t a, uint32_t b)
{
    uint32_t res = a - b;
    return (a < b ? FL_CF : 0) | parity_flag(res) | ((a ^ b ^ res) & 0x10 ? FL_AF : 0) | (res ? 0 : FL_ZF) |
           (res >> 31 ? FL_SF : 0) | (((a ^ b) & (a ^ res)) >> 31 ? FL_OF : 0);
}

/* What the instruction leaves besides memory. */
struct ptwr_out {
    uint32_t flags, flag_mask;      /* EFLAGS bits it sets, and which */
    bool set_reg, set_eax_edx;      /* xchg's register; cmpxchg(8b)'s accumulator */
    uint32_t reg, eax, edx;
};

/* The new operand of the instruction on cur (the entry's bytes it
 * covers); false when it writes nothing (a failed compare). */
static bool compute(struct vcpu *v, const struct ptwr_insn *in, uint64_t cur, uint64_t *res, struct ptwr_out *o)
{
    struct trap_frame *r = vregs(v);
    unsigned bits = in->size * 8;
    uint32_t eax = (uint32_t)r->rax, edx = (uint32_t)r->rdx;
    memset(o, 0, sizeof(*o));
    switch (in->op) {
    case OP_MOV:
        *res = in->src;
        return true;
    case OP_XCHG:
        *res = in->src;
        o->set_reg = true, o->reg = (uint32_t)cur;
        return true;
    case OP_AND:
    case OP_OR:
        *res = in->op == OP_AND ? cur & in->src : cur | in->src;
        *res &= bits == 8 ? 0xff : 0xffffffffu;
        o->flags = logic_flags(*res, bits), o->flag_mask = FL_ARITH;
        return true;
    case OP_BTS:
    case OP_BTR:
        o->flags = (cur >> in->src) & 1 ? FL_CF : 0, o->flag_mask = FL_CF;
        *res = in->op == OP_BTS ? cur | (1ull << in->src) : cur & ~(1ull << in->src);
        return true;
    case OP_CMPXCHG:
        o->flags = cmp_flags(eax, (uint32_t)cur), o->flag_mask = FL_ARITH;
        if ((uint32_t)cur != eax) {
            o->set_eax_edx = true, o->eax = (uint32_t)cur, o->edx = edx;
            return false;
        }
        *res = (uint32_t)*pv_gpr(r, in->reg);
        return true;
    case OP_CMPXCHG8B:
        o->flag_mask = FL_ZF;
        if (cur != ((uint64_t)edx << 32 | eax)) {
            o->set_eax_edx = true, o->eax = (uint32_t)cur, o->edx = (uint32_t)(cur >> 32);
            return false;
        }
        o->flags = FL_ZF;
        *res = (uint32_t)r->rbx | (uint64_t)(uint32_t)r->rcx << 32;
        return true;
    }
    return false;
}

/* Under the lock: the write to the L1 entry, validated.  */
static enum pv_ptwr_result apply(struct vcpu *v, const struct ptwr_insn *in, struct ptwr_out *o)
{
    const struct arch_domain *ad = v->d->arch;
    uint64_t ma = guest_translate(v, in->addr, false);
    if (!ma)
        return PTWR_REFUSED;
    uint32_t pfn = pv_mfn_to_pfn(ad, ma >> PAGE_SHIFT), x;
    if (pfn == M2P_NONE || ((x = *pgt_word(ad, pfn)) & PGT_TYPE) != PGT_L1 || !(x & PGT_COUNT))
        return PTWR_REFUSED; /* not an L1 of the domain's in use */
    unsigned idx = (unsigned)(ma & (PAGE_SIZE - 1)) / 8, shift = (unsigned)(ma & 7) * 8;
    uint64_t mask = in->size == 8 ? ~0ull : ((1ull << (in->size * 8)) - 1) << shift;
    uint64_t old = READ_ONCE(*(uint64_t *)phys_to_virt(ma & ~7ull));
    /* Xen's fix-up of a PAE entry written high half first. */
    bool upper_half = in->size == 4 && shift == 32 && in->op != OP_CMPXCHG;
    for (unsigned tries = 0; tries < 16; tries++) {
        uint64_t res;
        if (!compute(v, in, (old & mask) >> shift, &res, o))
            return PTWR_DONE; /* a failed compare: nothing written */
        uint64_t val = (old & ~mask) | ((res << shift) & mask);
        if (val == old)
            return PTWR_DONE;
        int r = pv_cmpxchg_entry(v, pfn, idx, &old, val);
        if (r && r != -XEN_EAGAIN && upper_half && (val & X86_PTE_P))
            r = pv_cmpxchg_entry(v, pfn, idx, &old, val & ~X86_PTE_P);
        if (!r)
            return PTWR_DONE;
        if (r != -XEN_EAGAIN)
            return PTWR_REFUSED;
        /* The hardware set A or D meanwhile: again, on the entry now. */
    }
    return PTWR_RETRY;
}

enum pv_ptwr_result pv_ptwr_emulate(struct vcpu *v, uint32_t addr, uint32_t error_code)
{
    struct trap_frame *r = vregs(v);
    struct ptwr_insn in;
    struct ptwr_out o;
    if ((error_code & (PF_P | PF_W | PF_U | PF_RSVD | PF_I)) != (PF_P | PF_W) || (r->cs & 3) != 1 ||
        !(__atomic_load_n(&v->d->arch->vm_assist, __ATOMIC_RELAXED) & (1u << VMASST_TYPE_writable_pagetables)))
        return PTWR_REFUSED;
    if (!decode(v, &in) || in.addr != addr || (in.addr & (in.size - 1)))
        return PTWR_REFUSED;
    pv_mmu_lock(v);
    enum pv_ptwr_result res = apply(v, &in, &o);
    pv_mmu_unlock(v);
    if (res != PTWR_DONE)
        return res;
    if (o.set_reg)
        *pv_gpr(r, in.reg) = o.reg;
    if (o.set_eax_edx)
        r->rax = o.eax, r->rdx = o.edx;
    r->rflags = (r->rflags & ~(uint64_t)o.flag_mask) | o.flags;
    r->rip = (uint32_t)(r->rip + in.len);
    return PTWR_DONE;
}
