/* SPDX-License-Identifier: GPL-2.0-only */
/* The mini guest's own helpers on top of kmvlib: console, panic, boot arguments. */
#ifndef GUEST_LIB_H
#define GUEST_LIB_H

#include <kmvlib.h>

#define PAGE_SIZE 4096u
#define PAGE_SHIFT 12

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void guest_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "key=value" from the boot command line; NULL when absent. */
const char *boot_arg(const char *key, char *buf, size_t len);
unsigned long boot_arg_uint(const char *key, unsigned long dflt);

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
static inline uint64_t div_u64_rem(uint64_t n, uint32_t d, uint32_t *rem) { return kmv_div_u64(n, d, rem); }
static inline uint64_t div_u64(uint64_t n, uint32_t d) { return kmv_div_u64(n, d, NULL); }

static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }

#endif
