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
/* boot_info.c: the platform from kmapvisor's extension, or from Xen's
 * standard sources when it is absent; shared_info found or mapped. */
bool plat_info_from_ext(const start_info_t *si, struct platform_info *p);
void plat_info_from_xen(const start_info_t *si, struct platform_info *p);
shared_info_t *find_shared_info(const start_info_t *si);
/* mm.c: lowmem on our own tables; with spare_table, one more table frame
 * (cleared, mapped read-only), whose MFN it returns. */
uint32_t pv_mm_init(bool spare_table);
/* slots.c: the own kmap slot area where there is no kmapvisor window. */
extern bool pv_own_slots;
bool pv_slots_plan(void);           /* decide, set plat's window, cap lowmem */
void pv_slots_hook(uint32_t l1_mfn); /* hook its L1 in */
void pv_slots_report(void);

#endif
