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

#define NR_exit  1
#define NR_write 4

static long sys3(long nr, long a, long b, long c)
{
#if defined(__i386__)
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "0"(nr), "b"(a), "c"(b), "d"(c) : "memory");
    return ret;
#elif defined(__arm__)
    register long r7 __asm__("r7") = nr;
    register long r0 __asm__("r0") = a;
    register long r1 __asm__("r1") = b;
    register long r2 __asm__("r2") = c;
    __asm__ volatile("svc #0" : "+r"(r0) : "r"(r7), "r"(r1), "r"(r2) : "memory");
    return r0;
#elif defined(__mips__)
    register long v0 __asm__("$2") = nr + 4000; /* o32 */
    register long a0 __asm__("$4") = a;
    register long a1 __asm__("$5") = b;
    register long a2 __asm__("$6") = c;
    register long a3 __asm__("$7");
    __asm__ volatile("syscall"
                     : "+r"(v0), "=r"(a3)
                     : "r"(a0), "r"(a1), "r"(a2)
                     : "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15", "$24", "$25", "hi", "lo",
                       "memory");
    return a3 ? -v0 : v0;
#elif defined(__powerpc__)
    register long r0 __asm__("r0") = nr;
    register long r3 __asm__("r3") = a;
    register long r4 __asm__("r4") = b;
    register long r5 __asm__("r5") = c;
    __asm__ volatile("sc"
                     : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5)
                     :
                     : "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "ctr", "xer", "memory");
    return r3;
#elif defined(__sparc__)
    register long g1 __asm__("g1") = nr;
    register long o0 __asm__("o0") = a;
    register long o1 __asm__("o1") = b;
    register long o2 __asm__("o2") = c;
    __asm__ volatile("ta 0x10" : "+r"(o0), "+r"(o1), "+r"(o2) : "r"(g1) : "cc", "memory");
    return o0;
#elif defined(__arc__)
    register long r8 __asm__("r8") = nr == NR_exit ? 93 : 64; /* asm-generic numbers */
    register long r0 __asm__("r0") = a;
    register long r1 __asm__("r1") = b;
    register long r2 __asm__("r2") = c;
    __asm__ volatile("trap_s 0" : "+r"(r0) : "r"(r8), "r"(r1), "r"(r2) : "memory");
    return r0;
#else
#error "nolibc: no system call sequence for this architecture"
#endif
}

void nl_write(const char *s, size_t n)
{
    while (n) {
        long r = sys3(NR_write, 1, (long)s, (long)n);
        if (r <= 0)
            return;
        s += r;
        n -= (size_t)r;
    }
}

void nl_exit(int code)
{
    sys3(NR_exit, code, 0, 0);
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
