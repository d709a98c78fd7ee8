/*
 * Bounce frames: delivering exceptions and event upcalls to the 32-bit
 * guest the way Xen does, and the iret hypercall that returns from them.
 *
 * Frame on the guest kernel stack: [error code,] EIP, CS, EFLAGS and,
 * when the guest was in ring 3, ESP, SS.  The event mask in force before
 * delivery travels in bits 16-23 of the CS slot, and EFLAGS.IF in the
 * frame is synthesised from it (the real IF is always 1 in the guest).
 */
#include "guest.h"
#include "arch.h"

#define EFLAGS_TF  (1u << 8)
#define EFLAGS_IF  (1u << 9)
#define EFLAGS_IOPL (3u << 12)
#define EFLAGS_NT  (1u << 14)
#define EFLAGS_RF  (1u << 16)
#define EFLAGS_VM  (1u << 17)
#define EFLAGS_AC  (1u << 18)
#define EFLAGS_GUEST_MASK (0x3fffffu & ~(EFLAGS_IOPL | EFLAGS_NT | EFLAGS_VM | EFLAGS_RF))

static bool push_frame(struct vcpu *v, uint32_t cs, uint32_t eip, bool has_error, uint32_t error_code)
{
    struct trap_frame *r = &v->regs;
    uint8_t mask = v->info->evtchn_upcall_mask;
    uint32_t frame[7], n = 0;
    bool from_user = (r->cs & 3) == 3;
    uint32_t eflags = ((uint32_t)r->rflags & ~EFLAGS_IF) | (mask ? 0 : EFLAGS_IF);
    uint32_t sp = from_user ? v->kernel_sp : (uint32_t)r->rsp;
    if (has_error)
        frame[n++] = error_code;
    frame[n++] = (uint32_t)r->rip;
    frame[n++] = ((uint32_t)r->cs & 0xffff) | ((uint32_t)mask << 16);
    frame[n++] = eflags;
    if (from_user) {
        frame[n++] = (uint32_t)r->rsp;
        frame[n++] = (uint32_t)r->ss;
    }
    sp -= n * 4;
    if (copy_to_guest(v, sp, frame, n * 4))
        return false;
    r->rsp = sp;
    if (from_user)
        r->ss = v->kernel_ss;
    r->cs = cs;
    r->rip = eip;
    r->rflags = (r->rflags & ~(uint64_t)(EFLAGS_TF | EFLAGS_NT | EFLAGS_RF | EFLAGS_VM)) | EFLAGS_IF;
    return true;
}

bool guest_bounce(struct vcpu *v, unsigned vector, bool has_error, uint32_t error_code)
{
    const struct trap_entry32 *t = &v->traps[vector];
    if (!t->valid)
        return false;
    uint32_t saved_sp = (uint32_t)v->regs.rsp;
    if (!push_frame(v, t->cs, t->eip, has_error, error_code))
        domain_crash(v, "fault while delivering vector %u to the guest (guest stack %#x)",
                     vector, saved_sp);
    if (t->flags & 4)
        v->info->evtchn_upcall_mask = 1;
    return true;
}

void guest_deliver_upcall(struct vcpu *v)
{
    if (!v->event_eip)
        return;
    uint32_t saved_sp = (uint32_t)v->regs.rsp;
    if (!push_frame(v, v->event_cs, v->event_eip, false, 0))
        domain_crash(v, "fault while delivering an event upcall (guest stack %#x)", saved_sp);
    v->info->evtchn_upcall_mask = 1;
}

static bool guest_cs_ok(uint32_t cs)
{
    return (cs | 3) == (GUEST_RING3_CS | 3) || (cs & ~3u) == (GUEST_RING1_CS & ~3u);
}

/* HYPERVISOR_iret: the hypercall page's stub pushed eax; the stack holds
 * eax, eip, cs, eflags [, esp, ss]. */
long guest_iret(struct vcpu *v)
{
    struct trap_frame *r = &v->regs;
    uint32_t f[6];
    uint32_t sp = (uint32_t)r->rsp;
    if (copy_from_guest(v, f, sp, 16))
        domain_crash(v, "iret: unreadable frame at %#x", sp);
    uint32_t cs = f[2] & 0xffff;
    if (!guest_cs_ok(cs))
        domain_crash(v, "iret: bad code selector %#x", cs);
    if ((cs & 3) == 0)
        cs |= 1; /* ring 0 is the hypervisor's: a ring-0 selector means ring 1 */
    r->rax = f[0];
    r->rip = f[1];
    r->cs = cs;
    r->rflags = (f[3] & EFLAGS_GUEST_MASK) | EFLAGS_IF | 2;
    if ((cs & 3) == 3) {
        if (copy_from_guest(v, f + 4, sp + 16, 8))
            domain_crash(v, "iret: unreadable ring-3 frame at %#x", sp + 16);
        r->rsp = f[4];
        r->ss = f[5] | 3;
    } else {
        r->rsp = sp + 16;
    }
    /* The frame's IF says whether events were enabled where we return to. */
    v->info->evtchn_upcall_mask = (f[3] & EFLAGS_IF) ? 0 : 1;
    return (long)r->rax;
}

static uint16_t read_seg(int which)
{
    uint16_t s = 0;
    switch (which) {
    case 0: __asm__ volatile("mov %%ds, %0" : "=r"(s)); break;
    case 1: __asm__ volatile("mov %%es, %0" : "=r"(s)); break;
    case 2: __asm__ volatile("mov %%fs, %0" : "=r"(s)); break;
    default: __asm__ volatile("mov %%gs, %0" : "=r"(s)); break;
    }
    return s;
}

void vcpu_save(struct pcpu *p, struct vcpu *v)
{
    (void)p;
    v->ds = read_seg(0);
    v->es = read_seg(1);
    v->fs = read_seg(2);
    v->gs = read_seg(3);
}

/*
 * Make v's address space current on p.  Loading CR3 flushes all of this
 * CPU's non-global TLB entries, which is what a window needs when the
 * vCPU arrives from another CPU (or another vCPU ran here meanwhile):
 * entries cached here before it left may be stale.  When v is still the
 * last vCPU loaded here and has not run elsewhere, the TLB is exact and
 * we keep it.
 */
void vcpu_load(struct pcpu *p, struct vcpu *v)
{
    if (p->last_loaded != v || v->last_pcpu != p)
        write_cr3(v->cr3);
    __asm__ volatile("mov %0, %%ds; mov %1, %%es; mov %2, %%fs; mov %3, %%gs"
                     : : "r"((uint32_t)v->ds), "r"((uint32_t)v->es), "r"((uint32_t)v->fs),
                         "r"((uint32_t)v->gs));
    v->last_pcpu = p;
    p->last_loaded = v;
}
