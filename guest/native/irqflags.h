/* SPDX-License-Identifier: GPL-2.0-only */
/* Native: the interrupt flag is EFLAGS.IF. */
#ifndef GUEST_IRQFLAGS_H
#define GUEST_IRQFLAGS_H

/* Returns 1 if interrupts were off (the same convention as PV). */
static inline unsigned long local_irq_save(void)
{
    uint32_t fl;
    __asm__ volatile("pushf; pop %0; cli" : "=r"(fl) : : "memory");
    return !(fl & (1u << 9));
}
static inline void local_irq_restore(unsigned long flags)
{
    if (flags)
        __asm__ volatile("cli" ::: "memory");
    else
        __asm__ volatile("sti" ::: "memory");
}
static inline void local_irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void local_irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }

#endif
