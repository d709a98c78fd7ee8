/* SPDX-License-Identifier: GPL-2.0-only */
/* Spinlocks (part of the arch interface the core may use). */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }

typedef struct {
    volatile int locked;
} spinlock_t;

static inline void spin_lock(spinlock_t *l)
{
    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
        while (l->locked)
            cpu_relax();
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
