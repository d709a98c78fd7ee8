/* What the hypervisor core expects from the arch, for host unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include "../../hypervisor/lib.h"

void console_write(const char *s, size_t len)
{
    fwrite(s, 1, len, stdout);
}

void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    abort();
}
