/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the kmap_local conformance suite needs of a C library, without
 * one: Debian has a 32-bit libc for i386, ARM, MIPS and PowerPC but not
 * for SPARC32, so every target is built -nostdlib with this file.  The
 * entry point, write() and exit() as system calls, the string functions
 * the compiler and the library call, and a vsnprintf() with the
 * conversions the library's reports use (%d %u %x %lx %llx %s %c %p, the
 * '#' flag, no widths).
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

void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

char *strstr(const char *h, const char *n)
{
    size_t ln = strlen(n);
    for (; *h; h++) {
        size_t i = 0;
        while (i < ln && h[i] == n[i])
            i++;
        if (i == ln)
            return (char *)h;
    }
    return ln ? NULL : (char *)h;
}

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

/* Unsigned 64-bit to text by repeated subtraction-free 32-bit steps, so
 * that no libgcc division helper is needed (none exists for SPARC32). */
static void put_num(struct out *o, uint64_t v, unsigned base, int neg, int alt)
{
    char tmp[24];
    int n = 0;
    if (neg)
        put(o, '-');
    if (alt && base == 16)
        put(o, '0'), put(o, 'x');
    if (base == 16) {
        do {
            tmp[n++] = "0123456789abcdef"[v & 15];
            v >>= 4;
        } while (v);
    } else {
        uint32_t hi = (uint32_t)(v >> 32), lo = (uint32_t)v;
        do { /* divide hi:lo by 10 with 32-bit operations */
            uint32_t qh = hi / 10, rh = hi % 10;
            uint32_t mid = (rh << 16) | (lo >> 16);
            uint32_t qm = mid / 10, rm = mid % 10;
            uint32_t low = (rm << 16) | (lo & 0xffff);
            uint32_t ql = low / 10, rl = low % 10;
            tmp[n++] = (char)('0' + rl);
            hi = qh;
            lo = (qm << 16) | ql;
        } while (hi || lo);
    }
    while (n)
        put(o, tmp[--n]);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        int alt = 0, lng = 0;
        fmt++;
        if (*fmt == '#')
            alt = 1, fmt++;
        while (*fmt == 'l')
            lng++, fmt++;
        switch (*fmt) {
        case 'd': {
            int64_t v = lng == 2 ? va_arg(ap, long long) : lng ? va_arg(ap, long) : va_arg(ap, int);
            put_num(&o, (uint64_t)(v < 0 ? -v : v), 10, v < 0, 0);
            break;
        }
        case 'u':
        case 'x': {
            uint64_t v = lng == 2 ? va_arg(ap, unsigned long long)
                         : lng    ? va_arg(ap, unsigned long)
                                  : va_arg(ap, unsigned);
            put_num(&o, v, *fmt == 'x' ? 16 : 10, 0, alt);
            break;
        }
        case 'p':
            put_num(&o, (uintptr_t)va_arg(ap, void *), 16, 0, 1);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            while (*s)
                put(&o, *s++);
            break;
        }
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        default:
            put(&o, '%');
            if (*fmt)
                put(&o, *fmt);
            else
                fmt--;
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = 0;
    return (int)o.len;
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
