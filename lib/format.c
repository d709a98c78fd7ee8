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

/* One integer: prec is the minimum number of digits (C's precision, -1
 * when none was given; 0 with the value 0 prints no digits), and a
 * precision turns the '0' flag off, as in C. */
static void out_num(struct outbuf *o, uint64_t v, unsigned base, int width, int prec, bool zero, bool left,
                    bool neg, bool upper)
{
    char tmp[24];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    if (prec >= 0)
        zero = false;
    if (v || prec != 0) {
        do {
            uint32_t d;
            v = kmv_div_u64(v, base, &d);
            tmp[n++] = digits[d];
        } while (v);
    }
    int lead = prec > n ? prec - n : 0;
    int pad = width - n - lead - (neg ? 1 : 0);
    if (!left && !zero)
        out_pad(o, pad, ' ');
    if (neg)
        out_char(o, '-');
    if (!left && zero)
        out_pad(o, pad, '0');
    out_pad(o, lead, '0');
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
        if (*fmt == '*') {
            /* A negative width from the argument is the '-' flag, as in C. */
            width = va_arg(ap, int);
            if (width < 0) {
                left = true;
                width = width < -0x7fffffff ? 0x7fffffff : -width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        int prec = -1; /* none */
        if (*fmt == '.') {
            fmt++;
            if (*fmt == '*') {
                prec = va_arg(ap, int); /* negative: as if none */
                if (prec < 0)
                    prec = -1;
                fmt++;
            } else {
                prec = 0;
                while (*fmt >= '0' && *fmt <= '9')
                    prec = prec * 10 + (*fmt++ - '0');
            }
        }
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
            out_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, width, prec, zero, left, v < 0, false);
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
            out_num(&o, v, *fmt == 'u' ? 10 : 16, width, prec, zero, left, false, *fmt == 'X');
            break;
        }
        case 'p':
            out_char(&o, '0');
            out_char(&o, 'x');
            out_num(&o, (uintptr_t)va_arg(ap, void *), 16, 0, -1, false, false, false, false);
            break;
        case 'c':
            out_char(&o, (char)va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            /* With a precision, at most that many bytes are read: the
             * string need not be NUL-terminated (C's rule). */
            int len = 0;
            while ((prec < 0 || len < prec) && s[len])
                len++;
            if (!left)
                out_pad(&o, width - len, ' ');
            for (int i = 0; i < len; i++)
                out_char(&o, s[i]);
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
