/* SPDX-License-Identifier: GPL-2.0-only */
/* The PV platform: booting from start_info on kmapvisor (or Xen). */
#include "pv.h"
#include <kmap_backends.h>
#include "rings.h"

start_info_t *start_info;
shared_info_t *shared;
const struct kmv_start_ext *kmv_ext;
uint8_t boot_thread_stack[STACK_SIZE] __attribute__((aligned(STACK_SIZE)));

void local_irq_restore(unsigned long flags)
{
    vcpu_info_t *vi = this_vcpu_info();
    barrier();
    vi->evtchn_upcall_mask = (uint8_t)flags;
    barrier();
    /* An event that arrived while masked is delivered on the next entry
     * to the hypervisor; force one now instead of waiting for a tick. */
    if (!flags && vi->evtchn_upcall_pending)
        hypercall2(__HYPERVISOR_xen_version, XENVER_version, 0);
}

_Noreturn void plat_shutdown(bool success)
{
    HYPERVISOR_shutdown(success ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}

void plat_idle(void)
{
    HYPERVISOR_sched_op(SCHEDOP_block, NULL); /* enables events, sleeps until one */
}

void plat_sstep(unsigned begin)
{
    if (plat.window_flags & KMAP_WIN_SSTEP)
        HYPERVISOR_kmap_op(KMAPOP_sstep, begin, 0, 0, 0);
}

const struct kmap_local_backend *plat_kmap_backend(const char *name)
{
    /* The window backends map into kmapvisor's per-vCPU window only. */
    if (pv_own_slots && (!strcmp(name, "pv") || !strcmp(name, "pv-cached"))) {
        printk("kmap backend %s: no kmapvisor window: use backend=xen\n", name);
        return NULL;
    }
    if (!strcmp(name, "pv"))
        return &kmap_backend_pv;
    if (!strcmp(name, "xen"))
        return &kmap_backend_xen;
    if (!strcmp(name, "pv-cached"))
        return (plat.window_flags & KMAP_WIN_CACHED) ? &kmap_backend_pv_cached : NULL;
    return NULL;
}

void plat_counters(struct plat_counters *c)
{
    static struct kmap_vcpu_stats st[MAX_CPUS];
    struct kmap_vcpu_stats *s = &st[smp_processor_id()];
    HYPERVISOR_kmap_op(KMAPOP_stats, (unsigned long)s, 0, 0, 0);
    *c = (struct plat_counters){ s->traps, s->hv_tsc, s->pte_writes, s->flushes, s->cr3_loads };
}

/* The kmap backends' way to the hypervisor. */
static long kmap_op(unsigned cmd, unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4)
{
    return HYPERVISOR_kmap_op(cmd, a1, a2, a3, a4);
}
static uint32_t pfn_to_mfn(uint32_t pfn) { return ((const uint32_t *)start_info->mfn_list)[pfn]; }
static unsigned this_cpu_id(void) { return smp_processor_id(); }
static const struct kmap_hypercall_ops kmap_hypercalls = {
    .kmap_op = kmap_op,
    .update_va_mapping = HYPERVISOR_update_va_mapping,
    .pfn_to_mfn = pfn_to_mfn,
    .cpu = this_cpu_id,
};

void kernel_main(start_info_t *si);
void kernel_main(start_info_t *si)
{
    start_info = si;
    cpu_set_thread_info(boot_thread_stack, 0); /* entry.S put us on this stack */
    memcpy(boot_cmdline, si->cmd_line, sizeof(boot_cmdline) - 1);
    /* shared_info is given as a machine address (boot_info.c). */
    shared = find_shared_info(si);
    if (!shared)
        HYPERVISOR_shutdown(SHUTDOWN_crash); /* nothing to print with yet */
    if (!plat_info_from_ext(si, &plat))
        plat_info_from_xen(si, &plat);
    pv_own_slots = pv_slots_plan(); /* before mm.c: it may cap lowmem */
    uint32_t slots_l1 = pv_mm_init(pv_own_slots); /* all of lowmem, on our own page tables (mm.c) */
    if (pv_own_slots)
        pv_slots_hook(slots_l1);
    console_ring_init();
    if (pv_own_slots)
        pv_slots_report();
    xenstore_init();
    kmap_backend_pv_register(&kmap_hypercalls);
    plat_traps_init();
    kernel_start();
}
