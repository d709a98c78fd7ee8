/* SPDX-License-Identifier: GPL-2.0-only */
/* The console ring and the xenstore client of the PV guest. */
#ifndef GUEST_PV_RINGS_H
#define GUEST_PV_RINGS_H

#include "kernel.h"

void *ring_page(uint32_t mfn);            /* a builder-given frame, mapped in lowmem */
void console_ring_init(void);
bool console_ring_active(void);
unsigned console_ring_read(char *buf, unsigned len);
unsigned console_ring_port(void);

/* One xenstore request: its reply's type (XS_ERROR for an error, whose
 * text is in reply), or a negative number when the store did not answer. */
long xs_request(uint32_t type, uint32_t tx, const void *body, uint32_t len, char *reply, uint32_t *rlen);
/* A watch event waiting in the ring (path and token in reply), or -1. */
long xs_next_event(char *reply, uint32_t *rlen);
void xenstore_init(void);

#endif
