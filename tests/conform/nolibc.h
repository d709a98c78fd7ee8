/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KMV_NOLIBC_H
#define KMV_NOLIBC_H
#include <stdarg.h>
#include <stddef.h>

void nl_write(const char *s, size_t n);
void nl_exit(int code) __attribute__((noreturn));
void nl_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int strcmp(const char *a, const char *b);
size_t strlen(const char *s);
char *strstr(const char *h, const char *n);
#endif
