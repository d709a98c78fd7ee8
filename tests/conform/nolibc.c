/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the kmap_local conformance suite needs of a C library, without
 * one: Debian has a 32-bit libc for i386, ARM, MIPS and PowerPC but not
 * for SPARC32, so every target is built -nostdlib with this file: the
 * entry point, and write() and exit() as system calls.  The string
 * functions and vsnprintf() are the project's own (lib/string.c,
 * lib/format.c: no 64-bit division helper, so none is needed from a
 * libgcc the sparc64 compiler lacks for 32-bit code).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "nolibc.h"

#include <linux_sys3.h>

#if defined(__arc__)
#define NR_exit  93 /* asm-generic numbers */
#define NR_write 64
#else
#define NR_exit  1
#define NR_write 4
#endif

void nl_write(const char *s, size_t n)
{
    while (n) {
        long r = linux_sys3(NR_write, 1, (long)s, (long)n);
        if (r <= 0)
            return;
        s += r;
        n -= (size_t)r;
    }
}

void nl_exit(int code)
{
    linux_sys3(NR_exit, code, 0, 0);
    for (;;)
        ;
}

void nl_printf(const char *fmt, ...)
{
    char b[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b, sizeof(b), fmt, ap);
    va_end(ap);
    nl_write(b, n < (int)sizeof(b) ? (size_t)n : sizeof(b) - 1);
}

#ifdef __arm__
/* libgcc's division by zero handler on ARM raises SIGFPE. */
int raise(int sig);
int raise(int sig)
{
    nl_exit(128 + sig);
}
#endif

int main(void);

void _start(void)
{
    nl_exit(main());
}
