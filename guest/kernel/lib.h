/* The mini guest's C library: console output, strings, atomics. */
#ifndef GUEST_LIB_H
#define GUEST_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PAGE_SIZE 4096u
#define PAGE_SHIFT 12
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define barrier() __asm__ volatile("" ::: "memory")

void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
int strcmp(const char *a, const char *b);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void guest_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "key=value" from the command line; NULL when absent. */
const char *cmdline_get(const char *key, char *buf, size_t len);
unsigned long cmdline_uint(const char *key, unsigned long dflt);

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
/* 64-by-32 division without libgcc (whose helpers do not follow our
 * -mregparm calling convention): the quotient, and the remainder in *rem. */
static inline uint64_t div_u64_rem(uint64_t n, uint32_t d, uint32_t *rem)
{
    uint32_t hi = (uint32_t)(n >> 32), lo = (uint32_t)n, qhi = hi / d, r = hi % d, qlo;
    __asm__("divl %4" : "=a"(qlo), "=d"(r) : "a"(lo), "d"(r), "rm"(d));
    if (rem)
        *rem = r;
    return ((uint64_t)qhi << 32) | qlo;
}
static inline uint64_t div_u64(uint64_t n, uint32_t d) { return div_u64_rem(n, d, NULL); }

static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }

#endif
