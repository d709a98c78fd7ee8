/* SPDX-License-Identifier: GPL-2.0-only */
/* printk and panic: formatting here, output and the exit through the platform. */
#include "platform.h"
#include <kmapvisor/limits.h>

const struct hv_platform *platform;

void printk(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    platform->console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

_Noreturn void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk("\n*** kmapvisor PANIC on CPU %u: %s\n", platform->this_cpu(), buf);
    platform->stop_other_cpus();
    platform->machine_exit(KMV_EXIT_PANIC);
}
