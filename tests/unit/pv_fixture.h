/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fixture of the PV-layer unit tests: the real mini guest
 * (build/guest.elf) built by the real domain builder into fake RAM, and a
 * short way to make its hypercalls and reach its memory.
 */
#ifndef TESTS_PV_FIXTURE_H
#define TESTS_PV_FIXTURE_H

#include "tests/host/fake_machine.h"

#define SCRATCH 0xc1000000u   /* guest lowmem, 16 MiB in: free for the tests */
#define HC fake_hypercall

extern struct domain dom;
extern struct vcpu *v0, *v1;

/* A fresh machine and domain, from a hypervisor command line. */
void build(const char *hv_cmdline);
/* vCPU 0's view of guest memory (writable), and the i-th highmem frame. */
void *g(uint32_t gva);
uint32_t highmem_mfn(unsigned i);

#endif
