/* String, formatting and parsing helpers (freestanding). */
#include "lib.h"

#ifndef KMV_HOSTED
void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            return 0;
    }
    return 0;
}

char *strstr(const char *s, const char *sub)
{
    size_t n = strlen(sub);
    for (; *s; s++)
        if (!strncmp(s, sub, n))
            return (char *)s;
    return n ? NULL : (char *)s;
}

char *strchr(const char *s, int c)
{
    for (; *s; s++)
        if (*s == (char)c)
            return (char *)s;
    return c ? NULL : (char *)s;
}
#endif

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

static void out_num(struct outbuf *o, uint64_t v, unsigned base, int width,
                    bool zero, bool neg, bool upper)
{
    char tmp[24];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    if (neg)
        width--;
    if (neg && zero)
        out_char(o, '-');
    for (; width > n; width--)
        out_char(o, zero ? '0' : ' ');
    if (neg && !zero)
        out_char(o, '-');
    while (n)
        out_char(o, tmp[--n]);
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
        if (*fmt == '#') {
            alt = true;
            fmt++;
        }
        if (*fmt == '-') {
            left = true;
            fmt++;
        }
        if (*fmt == '0') {
            zero = true;
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            lng++;
            fmt++;
        }
        if (*fmt == 'z') {
            lng = 2;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            out_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, width, zero, v < 0, false);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
            if (alt && *fmt != 'u') {
                out_char(&o, '0');
                out_char(&o, 'x');
            }
            out_num(&o, v, *fmt == 'u' ? 10 : 16, width, zero, false, *fmt == 'X');
            break;
        }
        case 'p':
            out_char(&o, '0');
            out_char(&o, 'x');
            out_num(&o, (uintptr_t)va_arg(ap, void *), 16, 0, false, false, false);
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
                for (; width > len; width--)
                    out_char(&o, ' ');
            while (*s)
                out_char(&o, *s++);
            if (left)
                for (; width > len; width--)
                    out_char(&o, ' ');
            break;
        }
        case '%':
            out_char(&o, '%');
            break;
        default:
            out_char(&o, '%');
            out_char(&o, *fmt);
            break;
        }
        if (!*fmt)
            break;
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

bool parse_uint(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    unsigned base = 10;
    if (!s || !*s)
        return false;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        if (!*s)
            return false;
    }
    for (; *s; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = *s - 'A' + 10;
        else
            return false;
        if (v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    *out = v;
    return true;
}

bool parse_size(const char *s, uint64_t *out)
{
    char num[24];
    size_t n = s ? strlen(s) : 0;
    unsigned shift = 0;
    if (n == 0 || n >= sizeof(num))
        return false;
    memcpy(num, s, n + 1);
    switch (num[n - 1]) {
    case 'k': case 'K': shift = 10; break;
    case 'm': case 'M': shift = 20; break;
    case 'g': case 'G': shift = 30; break;
    default: break;
    }
    if (shift)
        num[--n] = '\0';
    uint64_t v;
    if (!parse_uint(num, &v) || v > (UINT64_MAX >> shift))
        return false;
    *out = v << shift;
    return true;
}
