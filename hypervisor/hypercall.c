/*
 * Hypercall dispatch for 32-bit PV guests: int $0x82, number in eax,
 * arguments in ebx, ecx, edx, esi, edi, result in eax.  Xen's numbers and
 * structure layouts (32-bit forms); kmap_op is kmapvisor's extension.
 * Every argument is untrusted.
 */
#include "domain.h"
#include "../arch/x86_64/arch.h"
#include "../arch/x86_64/guest.h"
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/event_channel.h>
#include <xen/version.h>
#include <xen/callback.h>

#define NR_HYPERCALLS 56

static bool valid_guest_cs(uint32_t cs)
{
    return (cs & ~3u) == (GUEST_RING1_CS & ~3u);
}

static long do_set_trap_table(struct vcpu *v, uint32_t table)
{
    if (!table) {
        memset(v->traps, 0, sizeof(v->traps));
        return 0;
    }
    for (unsigned i = 0; i < 256; i++) {
        struct trap_info_x86_32 ti;
        if (copy_from_guest(v, &ti, table + i * (uint32_t)sizeof(ti), sizeof(ti)))
            return -XEN_EFAULT;
        if (ti.address == 0)
            return 0;
        if (!valid_guest_cs(ti.cs))
            return -XEN_EPERM;
        v->traps[ti.vector] = (struct trap_entry32){
            .cs = (uint16_t)(ti.cs | 1), .flags = ti.flags, .valid = 1, .eip = ti.address };
    }
    return 0;
}

static long do_set_callbacks(struct vcpu *v, uint32_t ecs, uint32_t eeip, uint32_t fcs, uint32_t feip)
{
    if (!valid_guest_cs(ecs) || !valid_guest_cs(fcs))
        return -XEN_EPERM;
    v->event_cs = ecs | 1;
    v->event_eip = eeip;
    v->failsafe_cs = fcs | 1;
    v->failsafe_eip = feip;
    return 0;
}

static long do_callback_op(struct vcpu *v, uint32_t cmd, uint32_t arg)
{
    struct { uint16_t type, flags; uint32_t cs, eip; } cb;
    if (cmd != CALLBACKOP_register)
        return -XEN_ENOSYS;
    if (copy_from_guest(v, &cb, arg, sizeof(cb)))
        return -XEN_EFAULT;
    if (!valid_guest_cs(cb.cs))
        return -XEN_EPERM;
    switch (cb.type) {
    case CALLBACKTYPE_event:
        v->event_cs = cb.cs | 1;
        v->event_eip = cb.eip;
        return 0;
    case CALLBACKTYPE_failsafe:
        v->failsafe_cs = cb.cs | 1;
        v->failsafe_eip = cb.eip;
        return 0;
    default:
        return -XEN_EINVAL;
    }
}

static long do_shutdown(struct vcpu *v, uint32_t reason)
{
    if (reason > SHUTDOWN_soft_reset)
        return -XEN_EINVAL;
    if (reason == SHUTDOWN_crash)
        printk("kmapvisor: d%uv%u asked to crash (SHUTDOWN_crash)\n", v->d->id, v->id);
    domain_shutdown(v->d, reason);
}

static long do_sched_op(struct vcpu *v, uint32_t cmd, uint32_t arg, bool compat)
{
    switch (cmd) {
    case SCHEDOP_yield:
        vcpu_yield(v);
        return 0;
    case SCHEDOP_block:
        /* Xen's block enables event delivery and sleeps until an event. */
        v->info->evtchn_upcall_mask = 0;
        vcpu_block(v);
        return 0;
    case SCHEDOP_shutdown: {
        if (compat)
            return do_shutdown(v, arg);
        struct sched_shutdown s;
        if (copy_from_guest(v, &s, arg, sizeof(s)))
            return -XEN_EFAULT;
        return do_shutdown(v, s.reason);
    }
    default:
        return -XEN_ENOSYS;
    }
}

static long do_console_io(struct vcpu *v, uint32_t cmd, uint32_t count, uint32_t buf)
{
    char tmp[256];
    if (cmd == CONSOLEIO_read)
        return 0;
    if (cmd != CONSOLEIO_write)
        return -XEN_ENOSYS;
    if (count > (1u << 16))
        return -XEN_EINVAL;
    for (uint32_t done = 0; done < count;) {
        uint32_t n = MIN(count - done, (uint32_t)sizeof(tmp));
        if (copy_from_guest(v, tmp, buf + done, n))
            return -XEN_EFAULT;
        console_write(tmp, n);
        done += n;
    }
    return 0;
}

static long do_xen_version(struct vcpu *v, uint32_t cmd, uint32_t arg)
{
    switch (cmd) {
    case XENVER_version:
        return (4 << 16) | 17;
    case XENVER_extraversion: {
        char s[16] = "-kmapvisor";
        return copy_to_guest(v, arg, s, sizeof(s)) ? -XEN_EFAULT : 0;
    }
    case XENVER_capabilities: {
        char s[1024] = "xen-3.0-x86_32p";
        return copy_to_guest(v, arg, s, sizeof(s)) ? -XEN_EFAULT : 0;
    }
    case XENVER_get_features: {
        uint32_t f[2];
        if (copy_from_guest(v, f, arg, 4))
            return -XEN_EFAULT;
        f[1] = 0;
        return copy_to_guest(v, arg + 4, &f[1], 4) ? -XEN_EFAULT : 0;
    }
    case XENVER_pagesize:
        return PAGE_SIZE;
    default:
        return -XEN_ENOSYS;
    }
}

static void set_timer(struct vcpu *v, uint64_t deadline)
{
    if (deadline && deadline <= now_ns()) {
        WRITE_ONCE(v->timer_deadline, 0);
        vcpu_send_virq(v, VIRQ_TIMER);
        return;
    }
    WRITE_ONCE(v->timer_deadline, deadline);
}

static long do_vcpu_op(struct vcpu *v, uint32_t cmd, uint32_t id, uint32_t arg)
{
    struct domain *d = v->d;
    if (id >= d->nr_vcpus)
        return -XEN_ENOENT;
    struct vcpu *t = &d->vcpu[id];
    switch (cmd) {
    case VCPUOP_initialise: {
        static struct vcpu_guest_context_x86_32 ctx; /* 5 KiB: not on the stack */
        static spinlock_t ctx_lock;
        if (t->initialised)
            return -XEN_EEXIST;
        spin_lock(&ctx_lock);
        long r = copy_from_guest(v, &ctx, arg, sizeof(ctx)) ? -XEN_EFAULT : 0;
        if (!r && !valid_guest_cs(ctx.user_regs.cs))
            r = -XEN_EINVAL;
        if (!r) {
            vcpu_reset_regs(t);
            t->regs.rip = ctx.user_regs.eip;
            t->regs.rsp = ctx.user_regs.esp;
            t->regs.rax = ctx.user_regs.eax;
            t->regs.rbx = ctx.user_regs.ebx;
            t->regs.rcx = ctx.user_regs.ecx;
            t->regs.rdx = ctx.user_regs.edx;
            t->regs.rsi = ctx.user_regs.esi;
            t->regs.rdi = ctx.user_regs.edi;
            t->regs.rbp = ctx.user_regs.ebp;
            for (unsigned i = 0; i < 256; i++) {
                const struct trap_info_x86_32 *ti = &ctx.trap_ctxt[i];
                if (ti->address && valid_guest_cs(ti->cs))
                    t->traps[ti->vector] = (struct trap_entry32){
                        .cs = (uint16_t)(ti->cs | 1), .flags = ti->flags, .valid = 1, .eip = ti->address };
            }
            if (valid_guest_cs(ctx.event_callback_cs)) {
                t->event_cs = ctx.event_callback_cs | 1;
                t->event_eip = ctx.event_callback_eip;
            }
            t->kernel_ss = ctx.kernel_ss;
            t->kernel_sp = ctx.kernel_sp;
            t->initialised = true;
        }
        spin_unlock(&ctx_lock);
        return r;
    }
    case VCPUOP_up:
        if (!t->initialised)
            return -XEN_EINVAL;
        vcpu_up(t);
        return 0;
    case VCPUOP_down:
        if (t != v)
            return -XEN_EINVAL; /* only a vCPU can take itself down */
        vcpu_sleep(v);
        return 0;
    case VCPUOP_is_up:
        return READ_ONCE(t->state) != VCPU_DOWN || t->want_up;
    case VCPUOP_set_singleshot_timer: {
        uint32_t raw[3]; /* uint64_t timeout, uint32_t flags: 12 bytes in the 32-bit ABI */
        if (t != v)
            return -XEN_EINVAL;
        if (copy_from_guest(v, raw, arg, sizeof(raw)))
            return -XEN_EFAULT;
        set_timer(v, raw[0] | (uint64_t)raw[1] << 32);
        return 0;
    }
    case VCPUOP_stop_singleshot_timer:
        if (t != v)
            return -XEN_EINVAL;
        WRITE_ONCE(v->timer_deadline, 0);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

static long evtchn_op_locked(struct vcpu *v, uint32_t cmd, uint32_t arg);

static long do_event_channel_op(struct vcpu *v, uint32_t cmd, uint32_t arg)
{
    /* Guest memory is read and written inside the lock: it is all
     * lowmem, mapped by the hypervisor, so nothing here can fault. */
    spin_lock(&v->d->evtchn_lock);
    long r = evtchn_op_locked(v, cmd, arg);
    spin_unlock(&v->d->evtchn_lock);
    if (cmd != EVTCHNOP_send && cmd != EVTCHNOP_unmask)
        return r;
    if (r < -1)
        return r;          /* a bad port */
    domain_kick_result(v->d, (int)r);
    return 0;
}

static long evtchn_op_locked(struct vcpu *v, uint32_t cmd, uint32_t arg)
{
    struct domain *d = v->d;
    uint32_t a[3];
    long r;
    switch (cmd) {
    case EVTCHNOP_bind_virq: /* { virq, vcpu, port (out) } */
        if (copy_from_guest(v, a, arg, 12))
            return -XEN_EFAULT;
        if (a[0] != VIRQ_TIMER)
            return -XEN_EINVAL; /* the only per-vCPU VIRQ kmapvisor raises */
        r = evtchn_bind_virq(&d->evtchn, a[0], a[1]);
        if (r < 0)
            return r;
        a[2] = (uint32_t)r;
        return copy_to_guest(v, arg + 8, &a[2], 4) ? -XEN_EFAULT : 0;
    case EVTCHNOP_bind_ipi: /* { vcpu, port (out) } */
        if (copy_from_guest(v, a, arg, 8))
            return -XEN_EFAULT;
        r = evtchn_bind_ipi(&d->evtchn, a[0]);
        if (r < 0)
            return r;
        a[1] = (uint32_t)r;
        return copy_to_guest(v, arg + 4, &a[1], 4) ? -XEN_EFAULT : 0;
    case EVTCHNOP_send:
    case EVTCHNOP_unmask:
    case EVTCHNOP_close:
        if (copy_from_guest(v, a, arg, 4))
            return -XEN_EFAULT;
        if (cmd == EVTCHNOP_close)
            return evtchn_close(&d->evtchn, a[0]);
        /* >= 0: the vCPU to kick (done after unlocking), -1: nothing. */
        return cmd == EVTCHNOP_send ? evtchn_send(&d->evtchn, a[0]) : evtchn_unmask(&d->evtchn, a[0]);
    default:
        return -XEN_ENOSYS;
    }
}

/* A rejected window call stops the domain when its policy says so. */
static long kmap_policy(struct vcpu *v, long r, const char *path)
{
    if (r < 0 && r > -4096 && (v->win.flags & KMAP_WIN_STOP)) {
        char why[160];
        kmap_describe_error(&v->win, why, sizeof(why));
        domain_crash(v, "kmap%s: %s", path, why);
    }
    return r;
}

static long do_kmap_op(struct vcpu *v, uint32_t cmd, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4)
{
    const struct kmap_env *env = &v->kenv;
    long r;
    switch (cmd) {
    case KMAPOP_push:
        r = kmap_push(&v->win, env, a1, a2);
        break;
    case KMAPOP_pop:
        r = kmap_pop(&v->win, env, a1);
        break;
    case KMAPOP_switch:
        r = kmap_switch(&v->win, env, a1, a2, a3, a4);
        break;
    case KMAPOP_query:
        return kmap_query(&v->win, env, a1, v->id);
    case KMAPOP_stats:
        v->win.stats.traps = 0;
        for (unsigned i = 0; i < NR_HYPERCALLS; i++)
            v->win.stats.traps += v->hypercalls[i];
        return kmap_get_stats(&v->win, env, a1);
    case KMAPOP_sstep:
        return sstep_op(v, a1);
    case KMAPOP_install:
        r = kmap_install(&v->win, env, a1, a2, a3);
        break;
    case KMAPOP_install_list:
        r = kmap_install_list(&v->win, env, a1, a2, a3);
        break;
    case KMAPOP_reset_stats:
        memset(&v->win.stats, 0, sizeof(v->win.stats));
        v->win.stats.nr_err_kinds = KMAP_ERR_KINDS;
        return 0;
    default:
        v->win.stats.errors[KMAP_ERR_BAD_CMD]++;
        return -XEN_ENOSYS;
    }
    return kmap_policy(v, r, "");
}

static long do_update_va_mapping(struct vcpu *v, uint32_t va, uint32_t lo, uint32_t hi, uint32_t flags)
{
    (void)flags; /* the window flushes what it must; see docs/abi.md */
    if (!kmap_va_in_window(&v->win, va))
        return -XEN_EINVAL; /* only the window is guest-updatable */
    return kmap_policy(v, kmap_update_va_mapping(&v->win, &v->kenv, va, lo | (uint64_t)hi << 32), " (update_va_mapping)");
}

static long do_hypercall(struct vcpu *v, uint32_t nr, const uint32_t *a, bool nested);

static long do_multicall(struct vcpu *v, uint32_t list, uint32_t count)
{
    if (count > 1024)
        return -XEN_EINVAL;
    for (uint32_t i = 0; i < count; i++) {
        struct kmv_multicall_entry32 e;
        uint32_t at = list + i * (uint32_t)sizeof(e);
        if (copy_from_guest(v, &e, at, sizeof(e)))
            return -XEN_EFAULT;
        e.result = (uint32_t)do_hypercall(v, e.op, e.args, true);
        if (copy_to_guest(v, at + 4, &e.result, 4))
            return -XEN_EFAULT;
    }
    return 0;
}

static long do_hypercall(struct vcpu *v, uint32_t nr, const uint32_t *a, bool nested)
{
    if (nr < NR_HYPERCALLS)
        v->hypercalls[nr]++;
    switch (nr) {
    case __HYPERVISOR_set_trap_table: return do_set_trap_table(v, a[0]);
    case __HYPERVISOR_set_callbacks: return do_set_callbacks(v, a[0], a[1], a[2], a[3]);
    case __HYPERVISOR_stack_switch:
        v->kernel_ss = a[0];
        v->kernel_sp = a[1];
        return 0;
    case __HYPERVISOR_fpu_taskswitch: return 0; /* no lazy FPU: nothing to do */
    case __HYPERVISOR_sched_op_compat: return do_sched_op(v, a[0], a[1], true);
    case __HYPERVISOR_sched_op: return do_sched_op(v, a[0], a[1], false);
    case __HYPERVISOR_multicall:
        return nested ? -XEN_EINVAL : do_multicall(v, a[0], a[1]);
    case __HYPERVISOR_update_va_mapping: return do_update_va_mapping(v, a[0], a[1], a[2], a[3]);
    case __HYPERVISOR_set_timer_op:
        set_timer(v, a[0] | (uint64_t)a[1] << 32);
        return 0;
    case __HYPERVISOR_xen_version: return do_xen_version(v, a[0], a[1]);
    case __HYPERVISOR_console_io: return do_console_io(v, a[0], a[1], a[2]);
    case __HYPERVISOR_vcpu_op: return do_vcpu_op(v, a[0], a[1], a[2]);
    case __HYPERVISOR_event_channel_op: return do_event_channel_op(v, a[0], a[1]);
    case __HYPERVISOR_callback_op: return do_callback_op(v, a[0], a[1]);
    case KMV_HYPERVISOR_kmap_op: return do_kmap_op(v, a[0], a[1], a[2], a[3], a[4]);
    default: return -XEN_ENOSYS;
    }
}

void hypercall_dispatch(struct vcpu *v)
{
    struct trap_frame *r = &v->regs;
    uint32_t nr = (uint32_t)r->rax;
    if (nr == __HYPERVISOR_iret) {
        v->hypercalls[nr]++;
        guest_iret(v); /* sets every register itself */
        return;
    }
    uint32_t args[5] = { (uint32_t)r->rbx, (uint32_t)r->rcx, (uint32_t)r->rdx,
                         (uint32_t)r->rsi, (uint32_t)r->rdi };
    r->rax = (uint32_t)do_hypercall(v, nr, args, false);
}
