/* Services of the x86-64 host code used by the rest of the hypervisor. */
#ifndef ARCH_ARCH_H
#define ARCH_ARCH_H

#include "cpu.h"
#include "../../hypervisor/frame_alloc.h"

/* serial.c */
void serial_init(void);
_Noreturn void machine_exit(unsigned code);

/* descriptors.c */
void idt_init(void);
void cpu_tables_load(struct pcpu *p);

/* memory.c */
struct boot_module {
    uint64_t start, end;  /* physical */
    char cmdline[256];
};
extern struct frame_allocator host_frames;
extern uint64_t kernel_cr3;
extern char hv_cmdline[512];
extern struct boot_module boot_modules[4];
extern unsigned nr_boot_modules;
void memory_init(uint32_t mb_magic, uint32_t mb_info);
/* A zeroed frame, or panic: used for the hypervisor's own structures. */
uint64_t alloc_zeroed_frame(void);

/* Page-table entry bits. */
#define PTE_P   (1ull << 0)
#define PTE_W   (1ull << 1)
#define PTE_U   (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_A   (1ull << 5)
#define PTE_D   (1ull << 6)
#define PTE_PS  (1ull << 7)
#define PTE_G   (1ull << 8)
#define PTE_NX  (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

/* apic.c */
void lapic_init_bsp(void);
void lapic_init_cpu(void);
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void lapic_send_nmi(uint32_t apic_id);
void lapic_send_init_sipi(uint32_t apic_id, uint8_t page);
void lapic_eoi(void);
uint32_t lapic_id(void);
extern uint64_t tsc_khz;
void time_init(void);
uint64_t now_ns(void);
void udelay(uint64_t us);

/* acpi.c */
unsigned acpi_find_cpus(uint32_t *apic_ids, unsigned max);

/* smp.c */
void smp_boot_aps(void);
void kick_pcpu(struct pcpu *p);

/* traps.c */
void trap_entry(struct trap_frame *f);
_Noreturn void enter_frame(struct trap_frame *f);
_Noreturn void call_on_stack(void *arg, uint64_t sp, void (*fn)(struct pcpu *));
_Noreturn void hypervisor_panic_exit(void);
void dump_frame(const struct trap_frame *f);

/* probe.c */
bool probe_guest_mode(void);
extern volatile bool probe_active;
_Noreturn void probe_resume(void);

/* accel.c */
unsigned detect_accel(void);

#endif
