/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The backend of a domain's PV console ring (Xen's struct
 * xencons_interface, <xen/io/console.h>): the guest's output goes to the
 * hypervisor's console, input from it reaches the guest's in ring.  Every
 * index the guest writes is untrusted: the backend keeps its own out_cons
 * and in_prod (never read back), checks the guest's out_prod and in_cons
 * against them, and disconnects on a bogus one.  Pure: the caller sends
 * the event when a function says so, and holds the lock.
 */
#ifndef HV_PVCONSOLE_H
#define HV_PVCONSOLE_H

#include <kmvlib.h>
#include <asm/spinlock.h>
#include <xen/io/console.h>

#define PVCONS_INBUF 512   /* input waiting for room in the guest's ring */

struct pvconsole {
    struct xencons_interface *ring;   /* NULL: no console ring */
    unsigned port;                    /* the guest's end of the channel */
    uint32_t out_cons, in_prod;       /* ours */
    uint8_t inbuf[PVCONS_INBUF];
    unsigned in_head, in_len;
    bool broken;                      /* bogus guest index seen: disconnected */
    uint64_t out_bytes, in_bytes;     /* carried, for tests and the report */
    spinlock_t lock;
};

void pvcons_init(struct pvconsole *c, struct xencons_interface *ring, unsigned port);
/* The guest notified: write what its out ring holds to the console and
 * move waiting input in.  True when the guest should get an event. */
bool pvcons_kick(struct pvconsole *c);
/* Bytes from the console's input: buffered; returns how many it took. */
size_t pvcons_input(struct pvconsole *c, const char *s, size_t n);
/* Room for more input (the caller reads the serial port only then). */
size_t pvcons_input_room(const struct pvconsole *c);
/* Move buffered input into the guest's in ring; true: send the event. */
bool pvcons_push_input(struct pvconsole *c);

#endif
