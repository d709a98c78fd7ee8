/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * insn-split: a QEMU TCG plugin (system mode, x86-64 target) that counts
 * executed instructions by address range, and snapshots the counts every
 * time the guest executes a marker instruction.
 *
 *   -plugin build/insn-split.so,out=FILE,mark=ADDR[,guest=LO-HI][,hv=LO-HI]...
 *
 * Every executed instruction falls into one class by its virtual address:
 *   guest  [LO, HI) of a guest= range (default 0-0x100000000: a 32-bit
 *          PV guest, which runs below 4 GiB)
 *   hv     [LO, HI) of an hv= range (up to 4; e.g. Xen's 0xffff800000000000-
 *          0xffff880000000000, kmapvisor's 0xffffffff80000000-0)
 *          (HI = 0 means the top of the address space)
 *   other  everything else (dom0's kernel and user space under Xen).
 * Beside the counts, per class: invlpg, CR3 writes and CR4 writes executed
 * (the TLB flushes the plugin can see; INVPCID does not occur on
 * -cpu qemu64), and "entries": transitions from a guest instruction to a
 * hypervisor one, which are the guest's traps, hypercalls and the
 * interrupts taken while it runs (the plugin API of QEMU 7.2 has no
 * exception callback, so they cannot be told apart).
 *
 * When the guest executes the instruction at mark= (the first instruction
 * of a function, e.g. the mini guest's plat_counters), the cumulative
 * counters are recorded; at exit the plugin writes one line per snapshot
 * to out=, then a "total" line:
 *   mark N guest G hv H other O entries E invlpg_guest a invlpg_hv b
 *        cr3_guest c cr3_hv d cr4_guest e cr4_hv f
 *
 * It also splits the guest's own timed intervals: every guest `rdtsc`
 * ends an interval that began at the guest's previous `rdtsc` (within one
 * phase between two marks).  Under -icount an interval's instruction
 * count is the TSC delta the guest computes, so the report can pick the
 * interval that the guest's median names and give its exact split.  Per
 * phase and distinct interval length, one line (the first such interval's
 * split; "mixed" counts later ones of that length that split otherwise):
 *   interval PHASE TOTAL N guest G hv H other O entries E invlpg I cr C mixed M
 * (PHASE p: between mark p-1 and mark p; cr: CR3 and CR4 writes.)
 *
 * QEMU 7.2 (Debian bookworm) installs no qemu-plugin.h: the declarations
 * below are written from QEMU's documented plugin API, version 1.
 * Under -icount, TCG runs one vCPU at a time, so the plain counters need
 * no atomics; "entries" keep per-vCPU state, the rdtsc intervals assume
 * one vCPU (the bench runs on one).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- QEMU plugin API, version 1 (QEMU 7.x), the part used here ---- */
typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t; /* not read */
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb,
                                          enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn, enum qemu_plugin_op op,
                                                void *ptr, uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
void qemu_plugin_outs(const char *string);
#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))
QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;
QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv);
/* ---- end of the API ---- */

enum cls { C_GUEST, C_HV, C_OTHER, NR_CLS };
enum ev { EV_INSNS, EV_INVLPG, EV_CR3, EV_CR4, NR_EV };
struct counts {
    uint64_t ev[NR_CLS][NR_EV];
    uint64_t entries;
};
struct range {
    uint64_t lo, hi; /* hi == 0: top of the address space */
};

#define MAX_RANGES 4
#define MAX_VCPUS 64
static struct range guest_r[MAX_RANGES], hv_r[MAX_RANGES];
static unsigned nr_guest, nr_hv;
static uint64_t mark_addr;
static bool have_mark;
static const char *out_path;
static struct counts cnt;
static unsigned char last_cls[MAX_VCPUS];
static struct counts *snaps;
static size_t nr_snaps, cap_snaps;
static bool oom;

/* The guest's rdtsc intervals. */
struct interval {
    size_t phase;
    uint64_t total, n, mixed;
    struct counts split;
};
#define MAX_INTERVALS (1u << 16)
static struct interval *ivs;
static size_t nr_ivs, phase_first; /* this phase's entries: [phase_first, nr_ivs) */
static struct counts last_tsc;
static bool have_last_tsc;
static size_t dropped_ivs;

static bool in(const struct range *r, unsigned n, uint64_t a)
{
    for (unsigned i = 0; i < n; i++)
        if (a >= r[i].lo && (r[i].hi == 0 || a < r[i].hi))
            return true;
    return false;
}

static enum cls classify(uint64_t a)
{
    if (in(hv_r, nr_hv, a))
        return C_HV;
    if (in(guest_r, nr_guest, a))
        return C_GUEST;
    return C_OTHER;
}

/* invlpg (0f 01 /7, memory operand) or a MOV to CR3/CR4 (0f 22 /3, /4)? */
static enum ev decode(const uint8_t *b, size_t n)
{
    size_t i = 0;
    while (i < n && (b[i] == 0x66 || b[i] == 0x67 || b[i] == 0xf2 || b[i] == 0xf3 || b[i] == 0x2e ||
                     b[i] == 0x36 || b[i] == 0x3e || b[i] == 0x26 || b[i] == 0x64 || b[i] == 0x65 ||
                     b[i] == 0xf0))
        i++;
    if (i < n && (b[i] & 0xf0) == 0x40) /* REX */
        i++;
    if (i + 3 > n) /* 0f, opcode, ModRM */
        return EV_INSNS;
    if (b[i] != 0x0f)
        return EV_INSNS;
    uint8_t op = b[i + 1], modrm = b[i + 2], reg = (modrm >> 3) & 7, mod = modrm >> 6;
    if (op == 0x01 && reg == 7 && mod != 3)
        return EV_INVLPG;
    if (op == 0x22 && reg == 3)
        return EV_CR3;
    if (op == 0x22 && reg == 4)
        return EV_CR4;
    return EV_INSNS;
}

static void on_guest_tb(unsigned int vcpu, void *u)
{
    (void)u;
    last_cls[vcpu % MAX_VCPUS] = C_GUEST;
}

static void on_hv_tb(unsigned int vcpu, void *u)
{
    (void)u;
    if (last_cls[vcpu % MAX_VCPUS] == C_GUEST)
        cnt.entries++;
    last_cls[vcpu % MAX_VCPUS] = C_HV;
}

static void on_other_tb(unsigned int vcpu, void *u)
{
    (void)u;
    last_cls[vcpu % MAX_VCPUS] = C_OTHER;
}

static uint64_t insns_of(const struct counts *c)
{
    return c->ev[C_GUEST][EV_INSNS] + c->ev[C_HV][EV_INSNS] + c->ev[C_OTHER][EV_INSNS];
}

static void on_rdtsc(unsigned int vcpu, void *u)
{
    (void)vcpu;
    (void)u;
    struct counts now = cnt, d;
    if (have_last_tsc) {
        for (unsigned c = 0; c < NR_CLS; c++)
            for (unsigned e = 0; e < NR_EV; e++)
                d.ev[c][e] = now.ev[c][e] - last_tsc.ev[c][e];
        d.entries = now.entries - last_tsc.entries;
        uint64_t total = insns_of(&d);
        size_t i;
        for (i = phase_first; i < nr_ivs && ivs[i].total != total; i++)
            ;
        if (i < nr_ivs) {
            ivs[i].n++;
            if (memcmp(&ivs[i].split, &d, sizeof(d)))
                ivs[i].mixed++;
        } else if (ivs && nr_ivs < MAX_INTERVALS) {
            ivs[nr_ivs++] = (struct interval){ nr_snaps, total, 1, 0, d };
        } else {
            dropped_ivs++;
        }
    }
    last_tsc = now;
    have_last_tsc = true;
}

static void on_mark(unsigned int vcpu, void *u)
{
    (void)vcpu;
    (void)u;
    have_last_tsc = false; /* intervals stay within a phase */
    phase_first = nr_ivs;
    if (nr_snaps == cap_snaps) {
        size_t cap = cap_snaps ? 2 * cap_snaps : 256;
        struct counts *s = realloc(snaps, cap * sizeof(*s));
        if (!s) {
            oom = true;
            return;
        }
        snaps = s;
        cap_snaps = cap;
    }
    snaps[nr_snaps++] = cnt;
}

static void on_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    if (!n)
        return;
    enum cls tbc = classify(qemu_plugin_insn_vaddr(qemu_plugin_tb_get_insn(tb, 0)));
    qemu_plugin_register_vcpu_tb_exec_cb(tb, tbc == C_GUEST ? on_guest_tb : tbc == C_HV ? on_hv_tb : on_other_tb,
                                         QEMU_PLUGIN_CB_NO_REGS, NULL);
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint64_t va = qemu_plugin_insn_vaddr(insn);
        enum cls c = classify(va);
        qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &cnt.ev[c][EV_INSNS], 1);
        enum ev e = decode(qemu_plugin_insn_data(insn), qemu_plugin_insn_size(insn));
        if (e != EV_INSNS)
            qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &cnt.ev[c][e], 1);
        if (have_mark && va == mark_addr && c == C_GUEST)
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS, NULL);
        const uint8_t *b = qemu_plugin_insn_data(insn);
        if (c == C_GUEST && qemu_plugin_insn_size(insn) == 2 && b[0] == 0x0f && b[1] == 0x31) /* rdtsc */
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_rdtsc, QEMU_PLUGIN_CB_NO_REGS, NULL);
    }
}

static void print_counts(FILE *f, const char *label, size_t n, const struct counts *c)
{
    fprintf(f,
            "%s %zu guest %" PRIu64 " hv %" PRIu64 " other %" PRIu64 " entries %" PRIu64 " invlpg_guest %" PRIu64
            " invlpg_hv %" PRIu64 " cr3_guest %" PRIu64 " cr3_hv %" PRIu64 " cr4_guest %" PRIu64 " cr4_hv %" PRIu64
            "\n",
            label, n, c->ev[C_GUEST][EV_INSNS], c->ev[C_HV][EV_INSNS], c->ev[C_OTHER][EV_INSNS], c->entries,
            c->ev[C_GUEST][EV_INVLPG], c->ev[C_HV][EV_INVLPG], c->ev[C_GUEST][EV_CR3], c->ev[C_HV][EV_CR3],
            c->ev[C_GUEST][EV_CR4], c->ev[C_HV][EV_CR4]);
}

static void on_atexit(qemu_plugin_id_t id, void *u)
{
    (void)id;
    (void)u;
    FILE *f = fopen(out_path, "w");
    if (!f) {
        qemu_plugin_outs("insn-split: cannot write the out= file\n");
        return;
    }
    fprintf(f, "insn-split 1 marks %zu%s\n", nr_snaps, oom ? " (out of memory: marks lost)" : "");
    for (size_t i = 0; i < nr_snaps; i++)
        print_counts(f, "mark", i, &snaps[i]);
    print_counts(f, "total", nr_snaps, &cnt);
    for (size_t i = 0; i < nr_ivs; i++) {
        const struct interval *v = &ivs[i];
        const struct counts *c = &v->split;
        fprintf(f,
                "interval %zu %" PRIu64 " %" PRIu64 " guest %" PRIu64 " hv %" PRIu64 " other %" PRIu64
                " entries %" PRIu64 " invlpg %" PRIu64 " cr %" PRIu64 " mixed %" PRIu64 "\n",
                v->phase, v->total, v->n, c->ev[C_GUEST][EV_INSNS], c->ev[C_HV][EV_INSNS], c->ev[C_OTHER][EV_INSNS],
                c->entries, c->ev[C_GUEST][EV_INVLPG] + c->ev[C_HV][EV_INVLPG],
                c->ev[C_GUEST][EV_CR3] + c->ev[C_HV][EV_CR3] + c->ev[C_GUEST][EV_CR4] + c->ev[C_HV][EV_CR4],
                v->mixed);
    }
    if (dropped_ivs)
        fprintf(f, "intervals dropped %zu (more than %u distinct lengths)\n", dropped_ivs, MAX_INTERVALS);
    fclose(f);
}

static bool parse_u64(const char *s, const char **end, uint64_t *v)
{
    char *e;
    if (!*s || *s == '-')
        return false;
    unsigned long long x = strtoull(s, &e, 0);
    if (e == s)
        return false;
    *v = x;
    *end = e;
    return true;
}

static bool parse_range(const char *s, struct range *r)
{
    const char *e;
    if (!parse_u64(s, &e, &r->lo) || *e != '-' || !parse_u64(e + 1, &e, &r->hi) || *e)
        return false;
    return r->hi == 0 || r->hi > r->lo;
}

static void complain(const char *what, const char *arg)
{
    char msg[256];
    snprintf(msg, sizeof(msg), "insn-split: %s: '%s'\n", what, arg);
    qemu_plugin_outs(msg);
    fputs(msg, stderr);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    (void)info;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *e;
        if (!strncmp(a, "out=", 4) && a[4]) {
            out_path = a + 4;
        } else if (!strncmp(a, "mark=", 5)) {
            if (!parse_u64(a + 5, &e, &mark_addr) || *e) {
                complain("mark= wants an address", a);
                return -1;
            }
            have_mark = true;
        } else if (!strncmp(a, "guest=", 6) || !strncmp(a, "hv=", 3)) {
            bool g = a[0] == 'g';
            unsigned *n = g ? &nr_guest : &nr_hv;
            if (*n == MAX_RANGES) {
                complain("too many ranges (4 of each)", a);
                return -1;
            }
            if (!parse_range(a + (g ? 6 : 3), g ? &guest_r[*n] : &hv_r[*n])) {
                complain("a range is LO-HI with LO < HI (HI 0: the top)", a);
                return -1;
            }
            ++*n;
        } else {
            complain("unknown argument (out=FILE, mark=ADDR, guest=LO-HI, hv=LO-HI)", a);
            return -1;
        }
    }
    if (!out_path) {
        complain("out=FILE is required", "");
        return -1;
    }
    if (!nr_guest) {
        guest_r[0] = (struct range){ 0, 0x100000000ull };
        nr_guest = 1;
    }
    ivs = calloc(MAX_INTERVALS, sizeof(*ivs));
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_trans);
    qemu_plugin_register_atexit_cb(id, on_atexit, NULL);
    return 0;
}
