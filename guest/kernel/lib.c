/* SPDX-License-Identifier: GPL-2.0-only */
/* Console output, panic and boot arguments of the mini guest. */
#include "lib.h"
#include "kernel.h"

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

const char *boot_arg(const char *key, char *buf, size_t len)
{
    return cmdline_get(boot_cmdline, key, buf, len);
}

unsigned long boot_arg_uint(const char *key, unsigned long dflt)
{
    char buf[24];
    uint64_t v;
    if (!boot_arg(key, buf, sizeof(buf)) || !parse_uint(buf, &v))
        return dflt;
    return (unsigned long)v;
}
