/* COM1 console and the QEMU isa-debug-exit port. */
#include "cpu.h"
#include "arch.h"

#define COM1 0x3f8
#define DEBUG_EXIT_PORT 0xf4

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

void console_write(const char *s, size_t len)
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

void printk(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = kmv_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

_Noreturn void machine_exit(unsigned code)
{
    outl(DEBUG_EXIT_PORT, code);
    /* Not under QEMU with isa-debug-exit: stop here. */
    for (;;) {
        irq_disable();
        halt();
    }
}
