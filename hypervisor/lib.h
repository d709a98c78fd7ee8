/* Small freestanding C library for the hypervisor core and arch code. */
#ifndef HV_LIB_H
#define HV_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define PAGE_SHIFT 12
#define PAGE_SIZE 4096ul
#define unlikely(x) __builtin_expect(!!(x), 0)
#define likely(x) __builtin_expect(!!(x), 1)
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#ifndef KMV_HOSTED
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
#else
#include <string.h>
#endif

int kmv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int kmv_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Parse a size such as "512M", "1G", "4096" or "16K" into bytes.
 * Returns false on a malformed string. */
bool parse_size(const char *s, uint64_t *out);
/* Parse an unsigned decimal or 0x-hex number (whole string). */
bool parse_uint(const char *s, uint64_t *out);

/* Console output: provided by the arch (serial) or by the host test. */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_write(const char *s, size_t len);
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
