/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake x86 machine for host builds of the hypervisor core and the PV
 * layer: fake RAM with a frame allocator over it, a platform table whose
 * machine_exit longjmps back to the test, and a domain built from a real
 * guest ELF image by the real domain builder.
 */
#ifndef TESTS_FAKE_MACHINE_H
#define TESTS_FAKE_MACHINE_H

#include <setjmp.h>
#include <stdbool.h>
#include "hypervisor/domain.h"
#include "arch/x86_64/pv/pv.h"
#include <asm/mmu.h>

/* Where machine_exit (domain shutdown, crash, panic) lands: set with
 * setjmp before a call that may end the domain. */
extern jmp_buf fake_exit_jmp;
extern bool fake_exit_armed;
extern unsigned fake_exit_code;          /* KMV_EXIT_* of the last exit */
extern char fake_console[16384];          /* everything printed, for asserts */
extern size_t fake_console_len;
extern bool fake_console_echo;            /* also to stdout */
extern uint64_t fake_tsc;                 /* the TSC (1 GHz: ns of system time); 1000000 at init */
extern const char *fake_console_input;    /* what console_getc reads (NUL ends it) */

/* Fake RAM of mem_mb MiB (once per process; later calls reset it). */
void fake_machine_init(unsigned mem_mb);
/* A domain from a 32-bit ELF image file, as the hypervisor builds dom0;
 * returns 0, or the builder's error with the reason in why. */
int fake_domain_build(struct domain *d, const char *image_path, const char *hv_cmdline,
                      const char *guest_cmdline, char *why, size_t why_len);
/* With fake_tracking on, every page phys_to_virt hands out is listed
 * (once) until fake_track_reset. */
extern bool fake_tracking;
void fake_track_reset(void);
size_t fake_touched_pages(const uint32_t **pfns);
/* Guest-virtual memory of v, for tests (NULL when unmapped). */
void *fake_guest_ptr(struct vcpu *v, uint32_t gva, bool write);
/* Map all of lowmem as the mini guest's early boot does (guest/pv/mm.c),
 * through the real mmu_update / mmuext_op. */
void fake_map_lowmem(struct vcpu *v);
/* One hypercall of v, with its arguments in the registers as a guest
 * makes it; returns eax.  A domain exit comes back as -1000 - code. */
long fake_hypercall(struct vcpu *v, uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5);

#endif
