/* SPDX-License-Identifier: GPL-2.0-only */
/* The x86-64 host: what its files give each other and the PV layer. */
#ifndef ARCH_ARCH_H
#define ARCH_ARCH_H

#include "cpu.h"
#include "hypervisor/frame_alloc.h"
#include "hypervisor/platform.h"

/* serial.c */
void serial_init(void);
void serial_write(const char *s, size_t len);
int serial_getc(void);
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
/* System time (now_ns's clock) at a TSC value of this machine. */
uint64_t tsc_to_ns(uint64_t tsc);
void udelay(uint64_t us);

/* acpi.c */
unsigned acpi_find_cpus(uint32_t *apic_ids, unsigned max);

/* smp.c */
void smp_boot_aps(void);
void kick_pcpu(struct pcpu *p);

/* traps.c */
void trap_entry(struct trap_frame *f);
/* entry.S: the exit path's data-segment loads, under its fixup table. */
void load_guest_data_segments(uint32_t ds, uint32_t es, uint32_t fs, uint32_t gs);
const char *exception_name(unsigned vec);
_Noreturn void enter_frame(struct trap_frame *f);
_Noreturn void call_on_stack(void *arg, uint64_t sp, void (*fn)(struct pcpu *));
_Noreturn void hypervisor_panic_exit(void);
void stop_other_cpus(void);
void dump_frame(const struct trap_frame *f);

/* probe.c */
bool probe_guest_mode(void);
extern volatile bool probe_active;
_Noreturn void probe_resume(void);

/* accel.c */
unsigned detect_accel(void);

/* main.c: the platform table the core calls through. */
extern const struct hv_platform x86_platform;

/* pv/exit.c: the PV personality's side of traps and the idle loop. */
struct vcpu *pv_enter_from_guest(struct pcpu *p, const struct trap_frame *f);
void pv_guest_exception(struct vcpu *v, const struct trap_frame *f);
/* A #DB in ring 0: the guest's breakpoints; recorded for it, then resumed. */
void pv_debug_in_hypervisor(struct pcpu *p, struct trap_frame *f);
void pv_exit_to_guest(struct pcpu *p, struct trap_frame *f);
void pv_hypercall_entry(struct trap_frame *f);
/* trap_entry with the TSC (low half) its caller read on entry. */
void trap_dispatch(struct trap_frame *f, uint32_t t0);
_Noreturn void pv_idle_loop(struct pcpu *p);
void hypercall_dispatch(struct vcpu *v);

#endif
