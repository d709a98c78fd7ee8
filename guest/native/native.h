/* SPDX-License-Identifier: GPL-2.0-only */
/* The native platform's own declarations. */
#ifndef GUEST_NATIVE_H
#define GUEST_NATIVE_H

#include "kernel.h"
#include <kmap_backends.h>

void native_mm_init(void);
extern const struct kmap_native_ops native_kmap_ops;
/* Load this CPU's GDT, IDT and page tables. */
void native_cpu_tables(unsigned cpu);
uint32_t native_cr3(unsigned cpu);

#endif
