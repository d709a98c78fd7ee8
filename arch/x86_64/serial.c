/* SPDX-License-Identifier: GPL-2.0-only */
/* COM1 console and the QEMU isa-debug-exit port. */
#include "cpu.h"
#include "arch.h"

#define COM1 0x3f8

static volatile int console_lock_word;

void serial_init(void)
{
    outb(COM1 + 1, 0x00); /* no interrupts */
    outb(COM1 + 3, 0x80); /* DLAB */
    outb(COM1 + 0, 0x01); /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03); /* 8N1 */
    outb(COM1 + 2, 0xc7); /* FIFO */
    outb(COM1 + 4, 0x03);
}

static void serial_putc(char c)
{
    for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
        cpu_relax();
    outb(COM1, (uint8_t)c);
}

void serial_write(const char *s, size_t len)
{
    /* One line at a time per CPU: several CPUs print concurrently. */
    while (__atomic_exchange_n(&console_lock_word, 1, __ATOMIC_ACQUIRE))
        cpu_relax();
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
    }
    __atomic_store_n(&console_lock_word, 0, __ATOMIC_RELEASE);
}

/* Console input, polled: a byte the UART has received, or -1. */
int serial_getc(void)
{
    if (!(inb(COM1 + 5) & 0x01))
        return -1;
    return inb(COM1);
}

_Noreturn void machine_exit(unsigned code)
{
    outl(KMV_DEBUG_EXIT_PORT, code);
    /* Not under QEMU with isa-debug-exit: stop here. */
    for (;;) {
        irq_disable();
        halt();
    }
}
