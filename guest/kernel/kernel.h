/* The mini 32-bit PV guest kernel: shared declarations. */
#ifndef GUEST_KERNEL_H
#define GUEST_KERNEL_H

#include "lib.h"
#include "hypercall.h"

#define MAX_CPUS 16
#define KMAP_MAX_SLOTS_GUEST 256
#define STACK_SIZE 8192u
#define FLAT_RING1_CS 0xe019
#define FLAT_RING1_DS 0xe021

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

extern start_info_t *start_info;
extern shared_info_t *shared;
extern const struct kmv_start_ext *kmv_ext;
extern char boot_cmdline[1024];
extern unsigned nr_cpus;

/* Virtual interrupt flag: the event mask in this vCPU's vcpu_info. */
static inline vcpu_info_t *this_vcpu_info(void) { return &shared->vcpu_info[smp_processor_id()]; }
static inline unsigned long local_irq_save(void)
{
    vcpu_info_t *vi = this_vcpu_info();
    unsigned long flags = vi->evtchn_upcall_mask;
    vi->evtchn_upcall_mask = 1;
    barrier();
    return flags;
}
void local_irq_restore(unsigned long flags);
static inline void local_irq_disable(void) { this_vcpu_info()->evtchn_upcall_mask = 1; barrier(); }
static inline void local_irq_enable(void) { local_irq_restore(0); }

/* time.c */
uint64_t system_time_ns(void);
void timer_arm_in(uint64_t ns);

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

/* events.c */
typedef void (*event_handler_t)(unsigned port, struct irq_frame *f);
void event_bind(unsigned port, event_handler_t handler);     /* for this vCPU */
void event_bind_cpu(unsigned port, unsigned cpu, event_handler_t handler);
void event_unmask(unsigned port);
unsigned bind_timer_virq(unsigned cpu);
unsigned bind_ipi(unsigned cpu);
void send_event(unsigned port);

/* traps.c */
const void *guest_trap_table(void);
void set_fault_fixup(uint32_t from, uint32_t to);
extern volatile unsigned long page_faults_fixed;
/* Hooks of the kernel proper: a #PF it can resolve, and the end of an
 * event upcall (where preemption happens). */
bool page_fault_hook(struct exc_frame *f);
/* Interrupt context: handlers on the current stack (for kmap_local). */
void irq_enter(void);
void irq_leave(void);
void irq_exit_hook(struct irq_frame *f);

/* smp.c */
void smp_boot_secondaries(void (*fn)(void));
void cpu_set_thread_info(void *stack_base, unsigned cpu);
void traps_init(void);

#endif
