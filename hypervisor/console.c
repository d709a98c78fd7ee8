/* SPDX-License-Identifier: GPL-2.0-only */
/* printk and panic: formatting here, output and the exit through the platform. */
#include "platform.h"
#include <kmapvisor/limits.h>

const struct hv_platform *platform;

/* Who wrote last, and whether its line is unfinished (packed in one word,
 * updated atomically; a race costs at most a cosmetic line break). */
static int console_state; /* source << 1 | mid_line */

void console_emit(enum console_source src, const char *s, size_t len)
{
    if (!len)
        return;
    int now = (int)src << 1 | (s[len - 1] != '\n');
    int was = __atomic_exchange_n(&console_state, now, __ATOMIC_RELAXED);
    if ((was & 1) && (was >> 1) != (int)src)
        platform->console_write("\n", 1);
    platform->console_write(s, len);
}

void printk(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    console_emit(CONSOLE_HV, buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
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
