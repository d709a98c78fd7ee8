/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor's backends of a domain's PV devices, the console ring
 * and the xenstore, and their event channels: each is an interdomain
 * channel whose remote end is the backend (ECS_BACKEND).  The guest's
 * send on it runs the backend at once, on the sending vCPU; console input
 * is polled from the serial port on CPU 0's tick.
 */
#include "domain.h"

int domain_backends_init(struct domain *d, struct xencons_interface *cons, struct xenstore_domain_interface *store,
                         unsigned *cons_port, unsigned *store_port)
{
    int cp = evtchn_bind_backend(&d->evtchn, KMV_BACKEND_CONSOLE, 0);
    int sp = evtchn_bind_backend(&d->evtchn, KMV_BACKEND_STORE, 0);
    if (cp < 0 || sp < 0)
        return cp < 0 ? cp : sp;
    pvcons_init(&d->cons, cons, (unsigned)cp);
    char name[16];
    snprintf(name, sizeof(name), "d%u", d->id);
    xs_init(&d->store, store, (unsigned)sp, d->id, name);
    *cons_port = (unsigned)cp;
    *store_port = (unsigned)sp;
    return 0;
}

static void notify_guest(struct domain *d, unsigned port, unsigned backend)
{
    spin_lock(&d->evtchn_lock);
    int kick = evtchn_notify_from_backend(&d->evtchn, port, backend);
    spin_unlock(&d->evtchn_lock);
    domain_kick(d, kick);
}

void domain_backend_notify(struct domain *d, unsigned backend)
{
    bool notify;
    unsigned port;
    if (backend == KMV_BACKEND_CONSOLE) {
        spin_lock(&d->cons.lock);
        notify = pvcons_kick(&d->cons);
        port = d->cons.port;
        spin_unlock(&d->cons.lock);
    } else if (backend == KMV_BACKEND_STORE) {
        spin_lock(&d->store.lock);
        notify = xs_kick(&d->store);
        port = d->store.port;
        spin_unlock(&d->store.lock);
    } else {
        return;
    }
    if (notify)
        notify_guest(d, port, backend);
}

void console_input_poll(struct domain *d)
{
    if (!d || !platform->console_getc)
        return;
    spin_lock(&d->cons.lock);
    for (size_t room = pvcons_input_room(&d->cons); room; room--) {
        int c = platform->console_getc();
        if (c < 0)
            break;
        char ch = (char)c;
        pvcons_input(&d->cons, &ch, 1);
    }
    bool notify = pvcons_push_input(&d->cons);
    unsigned port = d->cons.port;
    spin_unlock(&d->cons.lock);
    if (notify)
        notify_guest(d, port, KMV_BACKEND_CONSOLE);
}
