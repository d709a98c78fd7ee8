/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writable page tables (arch/x86_64/pv/ptwr.c) on the fake machine: a
 * test L1 hooked into the pae_xen_l2 at 0xf2000000 maps itself read-only
 * at PTVA (its entry 1), the instruction bytes go into guest memory at
 * CODE, EIP and the registers into vCPU 0's frame, and the #PF is handed
 * to pv_ptwr_emulate as exit.c hands it a real one.  Every instruction
 * form, a few addressing modes, every refusal, A/D bits, compare
 * failures, and the references the entries hold.
 */
#include "unit.h"
#include <kmapvisor/x86_pte.h>
#include "pv_tables.h"
#include "arch/x86_64/pv/page_type.h"

#define P X86_PTE_P
#define W X86_PTE_W
#define A X86_PTE_A
#define D X86_PTE_D
#define PF_PW 3u                          /* #PF error code: present, write */
#define SLOT 400u                         /* of the pae_xen_l2: va 0xf2000000 */
#define BASE_VA (0xc0000000u + SLOT * (2u << 20))
#define PTVA (BASE_VA + PAGE_SIZE)        /* the test L1, through its own entry 1 */
#define CODE (SCRATCH + 0x3000)
#define ZF (1u << 6)
#define CF (1u << 0)

static uint32_t t, d1, d2, l3;    /* the test L1, two data frames, the boot L3 */
static uint32_t pt_base;          /* where the boot L3 is mapped (read-only) */
static struct trap_frame *r;

static void setup(void)
{
    build("mem=64M lowmem=32M vcpus=2");
    r = vregs(v0);
    const struct start_info_x86_32 *si = fake_guest_ptr(v0, (uint32_t)r->rsi, false);
    pt_base = si->pt_base;
    l3 = dom.arch->p2m[(pt_base - dom.arch->virt_base) >> PAGE_SHIFT];
    uint32_t xl2 = (uint32_t)((frame(l3)[3] & X86_PTE_ADDR) >> PAGE_SHIFT);
    t = highmem_mfn(10), d1 = highmem_mfn(11), d2 = highmem_mfn(12);
    memset(frame(t), 0, PAGE_SIZE);
    frame(t)[0] = ma(d1) | P | W;
    frame(t)[1] = ma(t) | P;          /* itself, read-only: PTVA */
    ck_assert_int_eq(mmu(ma(xl2) + SLOT * 8, ma(t) | P | W), 0);
    ck_assert_uint_eq(word(t) & PGT_TYPE, PGT_L1);
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_writable_pagetables, 0, 0, 0), 0);
    ck_assert_uint_eq(r->cs & 3, 1);
    ck_assert_ptr_null(fake_guest_ptr(v0, PTVA, true));
    ck_assert_ptr_nonnull(fake_guest_ptr(v0, PTVA, false));
}

/* Run the instruction bytes at CODE as if they faulted writing addr. */
static enum pv_ptwr_result run_err(const char *code, size_t len, uint32_t addr, uint32_t err)
{
    memcpy(g(CODE), code, len);
    r->rip = CODE;
    return pv_ptwr_emulate(v0, addr, err);
}
#define RUN(bytes, addr) run_err(bytes, sizeof(bytes) - 1, addr, PF_PW)
/* Done, and EIP just past the instruction. */
#define DONE(bytes, addr) do { \
        ck_assert_int_eq(RUN(bytes, addr), PTWR_DONE); \
        ck_assert_uint_eq(r->rip, CODE + sizeof(bytes) - 1); \
    } while (0)
#define REFUSED(bytes, addr) do { \
        uint64_t before_[4] = { frame(t)[2], frame(t)[3], frame(t)[4], frame(t)[5] }; \
        ck_assert_int_eq(RUN(bytes, addr), PTWR_REFUSED); \
        ck_assert_uint_eq(r->rip, CODE); \
        ck_assert_uint_eq(frame(t)[2], before_[0]); ck_assert_uint_eq(frame(t)[3], before_[1]); \
        ck_assert_uint_eq(frame(t)[4], before_[2]); ck_assert_uint_eq(frame(t)[5], before_[3]); \
    } while (0)
#define E(i) (PTVA + (i) * 8)

START_TEST(mov_forms_and_addressing)
{
    setup();
    /* mov %ecx,(%eax): the low half of entry 2, a writable mapping. */
    r->rax = E(2), r->rcx = (uint32_t)(ma(d2) | P | W);
    DONE("\x89\x08", E(2));
    ck_assert_uint_eq(frame(t)[2], ma(d2) | P | W);
    ck_assert_uint_eq(word(d2) & PGT_TYPE, PGT_WRITABLE);
    ck_assert_uint_eq(count(d2), 1);
    /* mov %edx,4(%eax): the high half (NX), the low half kept. */
    r->rdx = 0x80000000u;
    DONE("\x89\x50\x04", E(2) + 4);
    ck_assert_uint_eq(frame(t)[2], ma(d2) | P | W | X86_PTE_NX);
    ck_assert_uint_eq(count(d2), 1);
    /* movl $imm32,0x10(%eax): entry 4, read-only. */
    char movimm[] = "\xc7\x40\x10\0\0\0\0";
    uint32_t imm = (uint32_t)(ma(d1) | P);
    memcpy(movimm + 3, &imm, 4);
    DONE(movimm, E(4));
    ck_assert_uint_eq(frame(t)[4], ma(d1) | P);
    /* SIB: mov %ecx,(%eax,%ebx,8), base + index * 8. */
    r->rax = PTVA, r->rbx = 3, r->rcx = (uint32_t)(ma(d1) | P);
    DONE("\x89\x0c\xd8", E(3));
    ck_assert_uint_eq(frame(t)[3], ma(d1) | P);
    /* disp32 absolute, with a DS override: mov %ecx,E(5). */
    uint32_t a = E(5);
    char abs_ds[] = "\x3e\x89\x0d\0\0\0\0";
    memcpy(abs_ds + 3, &a, 4);
    r->rcx = (uint32_t)(ma(d2) | P);
    DONE(abs_ds, E(5));
    ck_assert_uint_eq(frame(t)[5], ma(d2) | P);
    ck_assert_uint_eq(count(d2), 1); /* read-only: no reference */
    /* SIB without a base (disp32 + ebx * 4), ES override: entry 0 cleared. */
    char sib_nobase[] = "\x26\x89\x0c\x9d\0\0\0\0";
    a = PTVA - 8;
    memcpy(sib_nobase + 4, &a, 4);
    r->rbx = 2, r->rcx = 0;
    DONE(sib_nobase, E(0));
    ck_assert_uint_eq(frame(t)[0], 0);
    ck_assert_uint_eq(count(d1), 0); /* entry 0's writable mapping of d1 went */
    /* mov %eax,moffs32 (a3). */
    char moffs[] = "\xa3\0\0\0\0";
    a = E(5);
    memcpy(moffs + 1, &a, 4);
    r->rax = (uint32_t)(ma(d1) | P);
    DONE(moffs, E(5));
    ck_assert_uint_eq(frame(t)[5], ma(d1) | P);
    /* %esp-based with disp8, SS override: mov %ecx,8(%esp). */
    r->rsp = E(4), r->rcx = 0;
    DONE("\x36\x89\x4c\x24\x08", E(5));
    ck_assert_uint_eq(frame(t)[5], 0);
    /* %ebp-based with disp32: mov %ecx,0x100(%ebp). */
    r->rbp = E(4) - 0x100, r->rcx = 0;
    DONE("\x89\x8d\x00\x01\x00\x00", E(4));
    ck_assert_uint_eq(frame(t)[4], 0);
    /* lock xchg %ecx,(%ebx): the old value comes back. */
    r->rbx = E(2), r->rcx = (uint32_t)(ma(d1) | P | W | A);
    DONE("\x87\x0b", E(2));
    ck_assert_uint_eq(r->rcx, (uint32_t)(ma(d2) | P | W));
    ck_assert_uint_eq(frame(t)[2], ma(d1) | P | W | A | X86_PTE_NX);
    ck_assert_uint_eq(count(d1), 1);
    ck_assert_uint_eq(count(d2), 0);
}
END_TEST

START_TEST(and_or_bt_forms)
{
    setup();
    frame(t)[2] = 0;
    r->rax = E(2), r->rcx = (uint32_t)(ma(d2) | P | W | A | D);
    DONE("\x89\x08", E(2));
    /* lock andb $0xfd,(%eax): Linux's ptep_set_wrprotect. */
    r->rflags = 0x202 | ZF | CF;
    DONE("\xf0\x80\x20\xfd", E(2));
    ck_assert_uint_eq(frame(t)[2], ma(d2) | P | A | D);
    ck_assert_uint_eq(count(d2), 0);
    ck_assert_uint_eq(r->rflags & (ZF | CF), 0);
    /* lock orb $2,(%eax): writable again. */
    DONE("\xf0\x80\x08\x02", E(2));
    ck_assert_uint_eq(count(d2), 1);
    /* lock and %ecx,(%eax) with ecx = ~A. */
    r->rcx = ~(uint32_t)A;
    DONE("\xf0\x21\x08", E(2));
    ck_assert_uint_eq(frame(t)[2], ma(d2) | P | W | D);
    /* or %ecx,(%eax) without lock. */
    r->rcx = (uint32_t)A;
    DONE("\x09\x08", E(2));
    ck_assert_uint_eq(frame(t)[2], ma(d2) | P | W | A | D);
    /* lock andl $imm32, lock orl $imm8 (sign-extended), on the high half. */
    DONE("\xf0\x83\x48\x04\x80", E(2) + 4);   /* orl $-128,4(%eax) */
    /* Bits 52-62 and a frame beyond RAM: refused for a present entry, so
     * (a high-half store, Xen's fix-up) it is made not present. */
    ck_assert_uint_eq(frame(t)[2], (ma(d2) | W | A | D | 0xffffff8000000000ull));
    ck_assert_uint_eq(count(d2), 0);
    DONE("\xf0\x81\x60\x04\x00\x00\x00\x00", E(2) + 4); /* andl $0,4(%eax) */
    ck_assert_uint_eq(frame(t)[2], ma(d2) | W | A | D);
    ck_assert_uint_ne(r->rflags & ZF, 0);
    /* bts/btr with an immediate: P back on, then A off with CF = 1. */
    r->rflags = 0x202 | CF;
    DONE("\xf0\x0f\xba\x28\x00", E(2));          /* lock btsl $0,(%eax) */
    ck_assert_uint_eq(r->rflags & CF, 0);
    ck_assert_uint_eq(frame(t)[2], ma(d2) | P | W | A | D);
    ck_assert_uint_eq(count(d2), 1);
    DONE("\xf0\x0f\xba\x30\x05", E(2));          /* lock btrl $5,(%eax) */
    ck_assert_uint_ne(r->rflags & CF, 0);
    ck_assert_uint_eq(frame(t)[2], ma(d2) | P | W | D);
    DONE("\x0f\xba\x30\x25", E(2));              /* btrl $37,(%eax): bit 37 mod 32 = 5, already clear */
    ck_assert_uint_eq(r->rflags & CF, 0);
    /* bts/btr with a register: bit 1 (W), then bit 63 = the high half's bit 31. */
    r->rcx = 1;
    DONE("\xf0\x0f\xb3\x08", E(2));              /* lock btr %ecx,(%eax) */
    ck_assert_uint_ne(r->rflags & CF, 0);
    ck_assert_uint_eq(count(d2), 0);
    r->rcx = 63;
    DONE("\x0f\xab\x08", E(2) + 4);              /* bts %ecx,(%eax): the dword at eax + 4 */
    ck_assert_uint_eq(frame(t)[2], ma(d2) | P | D | X86_PTE_NX);
    ck_assert_int_eq(RUN("\x0f\xab\x08", E(2)), PTWR_REFUSED); /* not where it writes */
    r->rcx = (uint32_t)-31;                      /* the dword before: entry 1's high half, bit 1 */
    r->rax = E(2);
    ck_assert_int_eq(RUN("\x0f\xb3\x08", E(1) + 4), PTWR_DONE);
    ck_assert_uint_eq(r->rflags & CF, 0);
}
END_TEST

START_TEST(cmpxchg_forms)
{
    setup();
    frame(t)[2] = 0;
    uint32_t lo = (uint32_t)(ma(d2) | P | W);
    /* lock cmpxchg %ecx,(%eax): eax matches the entry's 0. */
    r->rax = 0, r->rcx = lo, r->rbx = E(2);
    DONE("\xf0\x0f\xb1\x0b", E(2));             /* lock cmpxchg %ecx,(%ebx) */
    ck_assert_uint_ne(r->rflags & ZF, 0);
    ck_assert_uint_eq(frame(t)[2], ma(d2) | P | W);
    ck_assert_uint_eq(count(d2), 1);
    /* Again with eax 0: the compare fails, eax gets the entry, nothing written. */
    r->rax = 0, r->rcx = 0;
    DONE("\x0f\xb1\x0b", E(2));                 /* cmpxchg without lock */
    ck_assert_uint_eq(r->rflags & ZF, 0);
    ck_assert_uint_eq(r->rax, lo);
    ck_assert_uint_eq(frame(t)[2], ma(d2) | P | W);
    ck_assert_uint_eq(count(d2), 1);
    /* lock cmpxchg8b (%esi): edx:eax against the entry; ecx:ebx in. */
    r->rsi = E(2), r->rax = lo, r->rdx = 0, r->rbx = (uint32_t)(ma(d1) | P), r->rcx = 0x80000000u;
    DONE("\xf0\x0f\xc7\x0e", E(2));
    ck_assert_uint_ne(r->rflags & ZF, 0);
    ck_assert_uint_eq(frame(t)[2], ma(d1) | P | X86_PTE_NX);
    ck_assert_uint_eq(count(d2), 0);
    /* Failing: edx:eax loaded with the entry, nothing written. */
    r->rax = 0, r->rdx = 0, r->rbx = 0, r->rcx = 0;
    DONE("\x0f\xc7\x0e", E(2));                 /* cmpxchg8b without lock */
    ck_assert_uint_eq(r->rflags & ZF, 0);
    ck_assert_uint_eq(r->rax, (uint32_t)(ma(d1) | P));
    ck_assert_uint_eq(r->rdx, 0x80000000u);
    ck_assert_uint_eq(frame(t)[2], ma(d1) | P | X86_PTE_NX);
    /* Linux's ptep_get_and_clear: the whole entry to 0. */
    r->rax = (uint32_t)(ma(d1) | P), r->rdx = 0x80000000u, r->rbx = 0, r->rcx = 0;
    DONE("\xf0\x0f\xc7\x0e", E(2));
    ck_assert_uint_eq(frame(t)[2], 0);
    /* cmpxchg8b refuses a bad entry: no upper-half fix-up for it. */
    r->rax = 0, r->rdx = 0, r->rbx = (uint32_t)(ma(d1) | P), r->rcx = 1u << 20; /* bit 52 */
    REFUSED("\xf0\x0f\xc7\x0e", E(2));
    ck_assert_uint_eq(r->rax, 0);
    /* Nor cmpxchg on the high half. */
    frame(t)[2] = 0;
    r->rax = (uint32_t)(ma(d1) | P), r->rbx = E(2);
    DONE("\x89\x03", E(2));                     /* mov %eax,(%ebx) */
    r->rax = 0, r->rcx = 1u << 20;
    REFUSED("\xf0\x0f\xb1\x4b\x04", E(2) + 4);  /* lock cmpxchg %ecx,4(%ebx) */
}
END_TEST

START_TEST(refusals)
{
    setup();
    frame(t)[2] = 0;
    r->rax = E(2);
    uint32_t good = (uint32_t)(ma(d2) | P | W);
    /* Entries mmu_update refuses. */
    static const uint64_t bits[] = { X86_PTE_PWT, X86_PTE_PCD, X86_PTE_PS };
    for (unsigned i = 0; i < ARRAY_SIZE(bits); i++) {
        r->rcx = good | (uint32_t)bits[i];
        REFUSED("\x89\x08", E(2));
    }
    r->rcx = (uint32_t)(ma(0x100) | P);                 /* hypervisor text: not the domain's */
    REFUSED("\x89\x08", E(2));
    r->rcx = (uint32_t)(ma(1) | P | W);                 /* another's RAM */
    REFUSED("\x89\x08", E(2));
    r->rcx = (uint32_t)(ma(l3) | P | W);                /* a page table, writable */
    REFUSED("\x89\x08", E(2));
    r->rcx = (uint32_t)(ma(t) | P | W);                 /* itself, writable */
    REFUSED("\x89\x08", E(2));
    r->rcx = (uint32_t)((v0->arch->cr3 >> PAGE_SHIFT) << PAGE_SHIFT) | P; /* the hypervisor's PML4, even read-only */
    REFUSED("\x89\x08", E(2));
    r->rcx = (uint32_t)(ma(l3) | P);                    /* a page table read-only: fine */
    DONE("\x89\x08", E(2));
    r->rcx = good;
    REFUSED("\x66\x89\x08", E(2));                      /* 16-bit operand */
    REFUSED("\x67\x89\x08", E(2));                      /* 16-bit address */
    REFUSED("\x64\x89\x08", E(2));                      /* FS */
    REFUSED("\x65\x89\x08", E(2));                      /* GS */
    REFUSED("\x2e\x89\x08", E(2));                      /* CS */
    REFUSED("\xf3\x89\x08", E(2));                      /* rep */
    REFUSED("\x8b\x08", E(2));                          /* a load */
    REFUSED("\x89\xc8", E(2));                          /* mov %ecx,%eax: a register */
    REFUSED("\x88\x08", E(2));                          /* mov %cl,(%eax): a byte mov */
    REFUSED("\x01\x08", E(2));                          /* add: not emulated */
    REFUSED("\xc7\x48\x00\0\0\0\0", E(2));              /* c7 /1: not a mov */
    REFUSED("\x0f\xc7\x10", E(2));                      /* 0f c7 /2 */
    REFUSED("\x0f\xc7\xc8", E(2));                      /* cmpxchg8b with a register */
    REFUSED("\x0f\xba\x20\x01", E(2));                  /* bt (a read) */
    REFUSED("\x89", E(2));                              /* cut short */
    REFUSED("\x89\x08", E(3));                          /* not where the fault was */
    frame(t)[2] = 0;                                    /* (read-only before: no reference) */
    r->rax = E(2) + 2, r->rcx = 0;                      /* would change nothing if it were taken */
    REFUSED("\x89\x08", E(2) + 2);                      /* misaligned */
    r->rax = E(2);
    REFUSED("\xf0\x0f\xc7\x08", E(2) + 4);              /* cmpxchg8b at eax, fault at eax + 4 */
    /* Faults that are no direct write to an L1 in use. */
    ck_assert_int_eq(run_err("\x89\x08", 2, E(2), 2), PTWR_REFUSED);     /* not present */
    ck_assert_int_eq(run_err("\x89\x08", 2, E(2), 1), PTWR_REFUSED);     /* a read */
    ck_assert_int_eq(run_err("\x89\x08", 2, E(2), 7), PTWR_REFUSED);     /* user */
    ck_assert_int_eq(run_err("\x89\x08", 2, E(2), 0xb), PTWR_REFUSED);   /* reserved bit */
    r->cs = 0xe02b;
    REFUSED("\x89\x08", E(2));                          /* ring 3 */
    r->cs = 0xe019;
    ck_assert_ptr_nonnull(fake_guest_ptr(v0, pt_base + 8, false));
    r->rcx = 0;                                          /* a store each level would take */
    r->rax = pt_base + 8;                                /* the boot L3's slot 1: not emulated */
    REFUSED("\x89\x08", pt_base + 8);
    ck_assert_uint_eq(frame(l3)[1], 0);
    frame(t)[3] = ma(d2) | P;                            /* d2, mapped read-only: data */
    r->rax = BASE_VA + 3 * PAGE_SIZE;
    REFUSED("\x89\x08", BASE_VA + 3 * PAGE_SIZE);
    r->rax = 0x1000;                                     /* unmapped */
    REFUSED("\x89\x08", 0x1000);
    /* Without the assist nothing is emulated. */
    ck_assert_int_eq(HC(v0, __HYPERVISOR_vm_assist, VMASST_CMD_disable, VMASST_TYPE_writable_pagetables, 0, 0, 0), 0);
    r->rax = E(2);
    REFUSED("\x89\x08", E(2));
}
END_TEST

START_TEST(ad_bits_and_races)
{
    setup();
    /* The high half written: the low half's A and D (the hardware's) stay. */
    frame(t)[2] = 0;
    r->rax = E(2), r->rcx = (uint32_t)(ma(d2) | P | W);
    DONE("\x89\x08", E(2));
    frame(t)[2] |= A | D; /* as the hardware sets them */
    r->rcx = 0x80000000u;
    DONE("\x89\x48\x04", E(2) + 4);
    ck_assert_uint_eq(frame(t)[2], ma(d2) | P | W | A | D | X86_PTE_NX);
    /* A compare-and-swap against a stale entry changes nothing. */
    uint32_t pfn = pv_mfn_to_pfn(dom.arch, t);
    uint64_t old = ma(d2) | P | W | X86_PTE_NX; /* without A and D */
    pv_mmu_lock(v0);
    ck_assert_int_eq(pv_cmpxchg_entry(v0, pfn, 2, &old, ma(d1) | P | W), -XEN_EAGAIN);
    pv_mmu_unlock(v0);
    ck_assert_uint_eq(old, ma(d2) | P | W | A | D | X86_PTE_NX);
    ck_assert_uint_eq(frame(t)[2], old);
    ck_assert_uint_eq(count(d1), 1); /* entry 0's: the failed swap's reference was dropped */
    ck_assert_uint_eq(count(d2), 1);
    pv_mmu_lock(v0);
    ck_assert_int_eq(pv_cmpxchg_entry(v0, pfn, 2, &old, ma(d1) | P | W), 0);
    pv_mmu_unlock(v0);
    ck_assert_uint_eq(count(d1), 2);
    ck_assert_uint_eq(count(d2), 0);
    /* The upper-half fix-up (Xen's): an entry left present but invalid
     * by a high-half store is made not present. */
    r->rcx = 1u << 20; /* bit 52 */
    DONE("\x89\x48\x04", E(2) + 4);
    ck_assert_uint_eq(frame(t)[2], (ma(d1) | W) | (1ull << 52));
    ck_assert_uint_eq(count(d1), 1);
    /* ... and the low half written next validates the whole entry. */
    r->rcx = (uint32_t)(ma(d1) | P | W);
    REFUSED("\x89\x08", E(2));
    r->rcx = 0;
    DONE("\x89\x48\x04", E(2) + 4);
    r->rcx = (uint32_t)(ma(d1) | P | W);
    DONE("\x89\x08", E(2));
    ck_assert_uint_eq(count(d1), 2);
    /* Its mapping gone (through mmu_update): nothing to write. */
    ck_assert_int_eq(mmu(ma(t) + 8, 0), 0); /* its self-mapping goes */
    ck_assert_ptr_null(fake_guest_ptr(v0, PTVA, false));
    REFUSED("\x89\x08", E(2));
}
END_TEST

Suite *pv_ptwr_suite(void)
{
    Suite *s = suite_create("pv-ptwr");
    TCase *tc = tcase_create("pv-ptwr");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, mov_forms_and_addressing);
    tcase_add_test(tc, and_or_bt_forms);
    tcase_add_test(tc, cmpxchg_forms);
    tcase_add_test(tc, refusals);
    tcase_add_test(tc, ad_bits_and_races);
    suite_add_tcase(s, tc);
    return s;
}
