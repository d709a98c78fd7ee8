/* The native platform's own declarations. */
#ifndef GUEST_NATIVE_H
#define GUEST_NATIVE_H

#include "../kernel/kernel.h"

void native_mm_init(void);
/* Load this CPU's GDT, IDT and page tables. */
void native_cpu_tables(unsigned cpu);
uint32_t native_cr3(unsigned cpu);

#endif
