/* SPDX-License-Identifier: GPL-2.0-only */
/* The mini 32-bit kernel: what the common code sees of the platform.
 *
 * The same kernel runs paravirtualised on kmapvisor (guest/pv/) and
 * natively on the machine (guest/native/); each platform implements the
 * plat_* functions below and provides "irqflags.h" (the interrupt flag:
 * the event mask in vcpu_info on PV, EFLAGS.IF natively). */
#ifndef GUEST_KERNEL_H
#define GUEST_KERNEL_H

#include "lib.h"

#define MAX_CPUS 16
#define STACK_SIZE 8192u

/* At the base of every stack (8 KiB aligned): who runs on it. */
struct thread_info {
    unsigned cpu;
    struct task *task;
};

static inline struct thread_info *current_thread_info(void)
{
    uint32_t sp;
    __asm__ volatile("mov %%esp, %0" : "=r"(sp));
    return (struct thread_info *)(sp & ~(STACK_SIZE - 1));
}
static inline unsigned smp_processor_id(void) { return current_thread_info()->cpu; }

/* What the platform found at boot. */
struct platform_info {
    const char *name;            /* "pv" or "native" */
    unsigned nr_cpus;
    uint32_t virt_base;          /* lowmem is mapped here */
    uint32_t lowmem_pages;       /* pfns [0, lowmem_pages) are lowmem */
    uint32_t first_highmem_pfn;
    uint32_t nr_usable_pages;    /* pfns below this are RAM we may use */
    uint32_t window_base, window_stride, window_slots, window_flags;
    /* 0: kmapvisor's per-vCPU window (or native's own).  Else the guest's
     * own slot area, one range shared by every vCPU, each in its slice of
     * this many bytes (guest/pv/slots.c). */
    uint32_t window_cpu_span;
    uint32_t tsc_khz;
};
extern struct platform_info plat;
extern char boot_cmdline[1024];


#include "irqflags.h"  /* local_irq_save / restore / disable / enable */

/* The frame our entry stubs build: pusha, [vector, error,] eip, cs, eflags. */
struct pusha_regs {
    uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;
};
struct exc_frame {
    struct pusha_regs r;
    uint32_t vector, error, eip, cs, eflags;
};
struct irq_frame {
    struct pusha_regs r;
    uint32_t eip, cs, eflags;
};

/* ---- the platform ---- */
void plat_console_write(const char *s, unsigned len);
_Noreturn void plat_shutdown(bool success);
uint64_t system_time_ns(void);
void timer_arm_in(uint64_t ns);
/* Wait for an interrupt with interrupts enabled (called masked). */
void plat_idle(void);
/* Interrupt sources of this CPU, delivered to handler with the frame. */
typedef void (*irq_handler_t)(struct irq_frame *f);
void plat_bind_timer(irq_handler_t handler);             /* this CPU's timer */
void plat_bind_ipi(unsigned cpu, irq_handler_t handler); /* before the CPU starts */
void plat_send_ipi(unsigned cpu);
/* Start every other CPU at fn, on its own stack. */
void plat_start_secondaries(void (*fn)(void));
void plat_traps_init(void);
uint32_t plat_fault_address(void);
/* Switch-path single-step test mode (PV only; a no-op elsewhere). */
void plat_sstep(unsigned begin);
/* What this CPU has cost so far, for the bench: traps into a hypervisor
 * (0 natively), TSC ticks spent in it (instructions under QEMU -icount),
 * window PTE writes, single-page flushes and CR3 loads (natively: the
 * kernel's own, counted by the native platform). */
struct plat_counters {
    uint64_t traps, hv_tsc, pte_writes, flushes, cr3_loads;
};
void plat_counters(struct plat_counters *c);
/* Pick the kmap_local backend by name ("pv", "xen", "native"). */
const struct kmap_local_backend *plat_kmap_backend(const char *name);

/* ---- the common kernel ---- */
_Noreturn void kernel_start(void);           /* after the platform's boot */
_Noreturn void guest_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void irq_enter(void);
void irq_leave(void);
void irq_exit_hook(struct irq_frame *f);      /* the preemption point */
bool page_fault_hook(struct exc_frame *f);
void cpu_set_thread_info(void *stack_base, unsigned cpu);
/* Tests of a platform, tried by name before the workloads (NULL: none). */
_Noreturn void plat_run_test(const char *name);

#endif
