/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KMV_NOLIBC_H
#define KMV_NOLIBC_H
#include <kmvlib.h>   /* strings and vsnprintf: lib/string.c, lib/format.c */

void nl_write(const char *s, size_t n);
void nl_exit(int code) __attribute__((noreturn));
void nl_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
