/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's console: the PV console ring of start_info.console.domU
 * (Xen's struct xencons_interface), with its event channel; console_io
 * before the ring is set up (and if the backend stops taking output),
 * which a release Xen refuses from a domU but kmapvisor takes.
 */
#include "pv.h"
#include "rings.h"
#include <xen/io/console.h>

static struct xencons_interface *cons;
static unsigned cons_port;
static volatile int cons_lock;

/* A frame the builder gave by machine number, through the M2P, in lowmem. */
void *ring_page(uint32_t mfn)
{
    extern char GUEST_BASE[];
    uint32_t pfn = ((const uint32_t *)MACH2PHYS_VIRT_START)[mfn];
    if (pfn >= plat.lowmem_pages)
        return NULL;
    return (void *)((uint32_t)GUEST_BASE + pfn * PAGE_SIZE);
}

void console_ring_init(void)
{
    if (!start_info->console.domU.mfn || boot_arg_uint("console_io", 0))
        return;
    cons_port = start_info->console.domU.evtchn;
    cons = ring_page(start_info->console.domU.mfn);
    /* Polled: the port stays masked (its events would be upcalls for nothing). */
    __atomic_fetch_or(&shared->evtchn_mask[cons_port / 32], 1u << (cons_port % 32), __ATOMIC_SEQ_CST);
}

bool console_ring_active(void) { return cons != NULL; }

/* Write all of s into the out ring, telling the backend as it fills.
 * False when the backend stopped taking it (the caller falls back). */
static bool ring_write(const char *s, unsigned len)
{
    unsigned stuck = 0;
    while (len) {
        uint32_t c = READ_ONCE(cons->out_cons), p = cons->out_prod;
        uint32_t room = sizeof(cons->out) - (p - c);
        if (!room) {
            send_event(cons_port);
            if (++stuck > 1000)
                return false;
            continue;
        }
        uint32_t n = MIN(room, len);
        for (uint32_t i = 0; i < n; i++)
            cons->out[MASK_XENCONS_IDX(p + i, cons->out)] = s[i];
        __atomic_store_n(&cons->out_prod, p + n, __ATOMIC_RELEASE);
        s += n, len -= n;
        stuck = 0;
    }
    send_event(cons_port);
    return true;
}

void plat_console_write(const char *s, unsigned len)
{
    if (!cons) {
        HYPERVISOR_console_write(s, len);
        return;
    }
    unsigned long flags = local_irq_save();
    while (__atomic_exchange_n(&cons_lock, 1, __ATOMIC_ACQUIRE))
        cpu_relax();
    bool ok = ring_write(s, len);
    __atomic_store_n(&cons_lock, 0, __ATOMIC_RELEASE);
    local_irq_restore(flags);
    if (!ok) {
        cons = NULL;
        HYPERVISOR_console_write(s, len);
    }
}

unsigned console_ring_read(char *buf, unsigned len)
{
    if (!cons)
        return 0;
    uint32_t c = cons->in_cons, p = __atomic_load_n(&cons->in_prod, __ATOMIC_ACQUIRE);
    unsigned n = 0;
    while (c != p && n < len)
        buf[n++] = cons->in[MASK_XENCONS_IDX(c++, cons->in)];
    __atomic_store_n(&cons->in_cons, c, __ATOMIC_RELEASE);
    if (n)
        send_event(cons_port);
    return n;
}

unsigned console_ring_port(void) { return cons_port; }
