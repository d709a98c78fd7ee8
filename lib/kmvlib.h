/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmvlib: the one small C library of kmapvisor, shared by the hypervisor
 * (64-bit, freestanding), the guest kernels (32-bit, freestanding) and
 * the host tests (KMV_HOSTED: the C library's string and printf functions
 * stand in for ours, everything else is the same code).
 *
 * Nothing here knows about hypervisors or guests: strings, formatting,
 * number and size parsing, and "key=value" command lines.
 */
#ifndef KMVLIB_H
#define KMVLIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define unlikely(x) __builtin_expect(!!(x), 0)
#define likely(x) __builtin_expect(!!(x), 1)
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define barrier() __asm__ volatile("" ::: "memory")
#define container_of(p, type, member) ((type *)((char *)(p) - __builtin_offsetof(type, member)))

#ifdef KMV_HOSTED
#include <stdio.h>
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strstr(const char *s, const char *sub);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif

/* kmvlib's formatter (vsnprintf and snprintf in freestanding builds):
 * %d %i %u %x %X %p %c %s %%, flags 0 # -, a width and a precision
 * (digits or '*', as C: a string's at most N bytes, an integer's at least N
 * digits), and the l, ll and z length modifiers (long is the target's: 32
 * bits in a guest). */
int kmv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int kmv_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* n / d, and n % d in *rem (may be NULL), without the compiler's 64-bit
 * division helpers: 32-bit builds link no libgcc. */
uint64_t kmv_div_u64(uint64_t n, uint32_t d, uint32_t *rem);

/* A whole unsigned number, decimal or 0x-hex. */
bool parse_uint(const char *s, uint64_t *out);
/* A size such as 4096, 16K, 512M or 4G, in bytes. */
bool parse_size(const char *s, uint64_t *out);
/* The value of the first "key=value" word of cmdline, copied to buf
 * (truncated to len - 1); NULL when the key is absent. */
const char *cmdline_get(const char *cmdline, const char *key, char *buf, size_t len);

#endif
