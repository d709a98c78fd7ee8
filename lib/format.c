/* SPDX-License-Identifier: GPL-2.0-only */
/* snprintf for the freestanding builds (the host uses its libc). */
#include <kmvlib.h>

uint64_t kmv_div_u64(uint64_t n, uint32_t d, uint32_t *rem)
{
#if UINTPTR_MAX > 0xffffffffu
    if (rem)
        *rem = (uint32_t)(n % d);
    return n / d;
#else
    /* Schoolbook: the high word with 32-bit division, then the low word
     * one bit at a time (no __udivdi3 in a 32-bit freestanding build). */
    uint32_t hi = (uint32_t)(n >> 32), lo = (uint32_t)n;
    uint32_t qhi = hi / d, r = hi % d, qlo = 0;
    for (int i = 31; i >= 0; i--) {
        uint64_t cur = ((uint64_t)r << 1) | ((lo >> i) & 1);
        if (cur >= d) {
            cur -= d;
            qlo |= 1u << i;
        }
        r = (uint32_t)cur;
    }
    if (rem)
        *rem = r;
    return ((uint64_t)qhi << 32) | qlo;
#endif
}

/* Ours, under its own name in every build (host tests check it); the
 * freestanding builds also call it vsnprintf. */
struct outbuf {
    char *buf;
    size_t size, len;
};

static void out_char(struct outbuf *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void out_pad(struct outbuf *o, int n, char c)
{
    for (; n > 0; n--)
        out_char(o, c);
}

static void out_num(struct outbuf *o, uint64_t v, unsigned base, int width, bool zero, bool left, bool neg,
                    bool upper)
{
    char tmp[24];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        uint32_t d;
        v = kmv_div_u64(v, base, &d);
        tmp[n++] = digits[d];
    } while (v);
    int pad = width - n - (neg ? 1 : 0);
    if (!left && !zero)
        out_pad(o, pad, ' ');
    if (neg)
        out_char(o, '-');
    if (!left && zero)
        out_pad(o, pad, '0');
    while (n)
        out_char(o, tmp[--n]);
    if (left)
        out_pad(o, pad, ' ');
}

int kmv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct outbuf o = { buf, size, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out_char(&o, *fmt);
            continue;
        }
        fmt++;
        bool zero = false, left = false, alt = false;
        int width = 0, lng = 0;
        for (;; fmt++) {
            if (*fmt == '#')
                alt = true;
            else if (*fmt == '-')
                left = true;
            else if (*fmt == '0')
                zero = true;
            else
                break;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        for (; *fmt == 'l'; fmt++)
            lng++;
        if (*fmt == 'z') {
            lng = sizeof(size_t) == sizeof(long long) ? 2 : 1;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v = lng >= 2 ? va_arg(ap, long long) : lng ? va_arg(ap, long) : va_arg(ap, int);
            out_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, width, zero, left, v < 0, false);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = lng >= 2 ? va_arg(ap, unsigned long long)
                       : lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            if (alt && *fmt != 'u') {
                out_char(&o, '0');
                out_char(&o, 'x');
            }
            out_num(&o, v, *fmt == 'u' ? 10 : 16, width, zero, left, false, *fmt == 'X');
            break;
        }
        case 'p':
            out_char(&o, '0');
            out_char(&o, 'x');
            out_num(&o, (uintptr_t)va_arg(ap, void *), 16, 0, false, false, false, false);
            break;
        case 'c':
            out_char(&o, (char)va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int len = (int)strlen(s);
            if (!left)
                out_pad(&o, width - len, ' ');
            while (*s)
                out_char(&o, *s++);
            if (left)
                out_pad(&o, width - len, ' ');
            break;
        }
        case '%':
            out_char(&o, '%');
            break;
        case '\0':
            fmt--;
            break;
        default:
            out_char(&o, '%');
            out_char(&o, *fmt);
            break;
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int kmv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kmv_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

#ifndef KMV_HOSTED
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    return kmv_vsnprintf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kmv_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
#endif
