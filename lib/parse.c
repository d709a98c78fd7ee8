/* SPDX-License-Identifier: GPL-2.0-only */
/* Numbers, sizes and "key=value" command lines: one parser for the
 * hypervisor's command line and the guests'. */
#include <kmvlib.h>

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
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            return false;
        /* v * base + d must not wrap (constant divisions only: a 32-bit
         * build has no 64-bit division helper). */
        if (v > (base == 16 ? UINT64_MAX / 16 : UINT64_MAX / 10) || v * base > UINT64_MAX - d)
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

const char *cmdline_get(const char *cmdline, const char *key, char *buf, size_t len)
{
    size_t klen = strlen(key);
    for (const char *p = cmdline; *p;) {
        while (*p == ' ')
            p++;
        const char *end = p;
        while (*end && *end != ' ')
            end++;
        if ((size_t)(end - p) > klen && !strncmp(p, key, klen) && p[klen] == '=') {
            size_t n = MIN((size_t)(end - p) - klen - 1, len - 1);
            memcpy(buf, p + klen + 1, n);
            buf[n] = '\0';
            return buf;
        }
        p = end;
    }
    return NULL;
}
