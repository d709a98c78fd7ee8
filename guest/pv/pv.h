/* SPDX-License-Identifier: GPL-2.0-only */
/* The PV platform's own declarations. */
#ifndef GUEST_PV_H
#define GUEST_PV_H

#include "kernel.h"
#include "hypercall.h"

extern start_info_t *start_info;
extern const struct kmv_start_ext *kmv_ext;

void event_bind(unsigned port, irq_handler_t handler);     /* for this vCPU */
void event_bind_cpu(unsigned port, unsigned cpu, irq_handler_t handler);
void event_unmask(unsigned port);
unsigned bind_timer_virq(unsigned cpu);
unsigned bind_ipi(unsigned cpu);
void send_event(unsigned port);
void set_fault_fixup(uint32_t from, uint32_t to);
void pv_mm_init(void);                                       /* mm.c */

#endif
