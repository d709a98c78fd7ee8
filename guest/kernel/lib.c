#include "lib.h"
#include "kernel.h"

void *memcpy(void *d, const void *s, size_t n)
{
    void *ret = d;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return ret;
}

void *memset(void *d, int c, size_t n)
{
    void *ret = d;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return ret;
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

static void out(char *buf, size_t size, size_t *len, char c)
{
    if (*len + 1 < size)
        buf[*len] = c;
    (*len)++;
}

static void out_num(char *buf, size_t size, size_t *len, uint64_t v, unsigned base, int width, bool zero)
{
    char tmp[24];
    int n = 0;
    do {
        uint32_t d;
        if (base == 16) {
            d = (uint32_t)(v & 15);
            v >>= 4;
        } else {
            v = div_u64_rem(v, 10, &d);
        }
        tmp[n++] = "0123456789abcdef"[d];
    } while (v);
    for (; width > n; width--)
        out(buf, size, len, zero ? '0' : ' ');
    while (n)
        out(buf, size, len, tmp[--n]);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    size_t len = 0;
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out(buf, size, &len, *fmt);
            continue;
        }
        fmt++;
        bool zero = false, alt = false;
        int width = 0, lng = 0;
        while (*fmt == '#' || *fmt == '-') {
            alt |= *fmt == '#';
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
        switch (*fmt) {
        case 'd': {
            int64_t v = lng >= 2 ? va_arg(ap, int64_t) : lng ? va_arg(ap, long) : va_arg(ap, int);
            if (v < 0) {
                out(buf, size, &len, '-');
                v = -v;
            }
            out_num(buf, size, &len, (uint64_t)v, 10, width, zero);
            break;
        }
        case 'u':
        case 'x': {
            uint64_t v = lng >= 2 ? va_arg(ap, uint64_t) : lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            if (alt && *fmt == 'x') {
                out(buf, size, &len, '0');
                out(buf, size, &len, 'x');
            }
            out_num(buf, size, &len, v, *fmt == 'x' ? 16 : 10, width, zero);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            while (s && *s)
                out(buf, size, &len, *s++);
            break;
        }
        case 'c':
            out(buf, size, &len, (char)va_arg(ap, int));
            break;
        default:
            out(buf, size, &len, *fmt);
            break;
        }
    }
    if (size)
        buf[len < size ? len : size - 1] = '\0';
    return (int)len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void printk(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    plat_console_write(buf, n < (int)sizeof(buf) ? (unsigned)n : sizeof(buf) - 1);
}

_Noreturn void guest_panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk("guest: PANIC on vcpu %u: %s\n", smp_processor_id(), buf);
    plat_shutdown(false);
}

const char *cmdline_get(const char *key, char *buf, size_t len)
{
    size_t klen = strlen(key);
    for (const char *p = boot_cmdline; *p;) {
        while (*p == ' ')
            p++;
        const char *end = p;
        while (*end && *end != ' ')
            end++;
        if ((size_t)(end - p) > klen && !strncmp(p, key, klen) && p[klen] == '=') {
            size_t n = (size_t)(end - p) - klen - 1;
            if (n >= len)
                n = len - 1;
            memcpy(buf, p + klen + 1, n);
            buf[n] = '\0';
            return buf;
        }
        p = end;
    }
    return NULL;
}

unsigned long cmdline_uint(const char *key, unsigned long dflt)
{
    char buf[24];
    if (!cmdline_get(key, buf, sizeof(buf)))
        return dflt;
    unsigned long v = 0;
    for (const char *p = buf; *p >= '0' && *p <= '9'; p++)
        v = v * 10 + (unsigned long)(*p - '0');
    return v;
}
