/* SPDX-License-Identifier: GPL-2.0-only */
/* The native platform's own declarations. */
#ifndef GUEST_NATIVE_H
#define GUEST_NATIVE_H

#include "kernel.h"
#include <kmap_backends.h>

void native_mm_init(void);
extern const struct kmap_native_ops native_kmap_ops;
/* The bench's counters of the native window (one instruction each; not
 * per CPU: the bench measures on one CPU). */
extern uint32_t native_pte_writes, native_flushes, native_cr3_loads;
/* Load this CPU's GDT, IDT and page tables. */
void native_cpu_tables(unsigned cpu);
uint32_t native_cr3(unsigned cpu);

#endif
