/* test=hostile: shared pieces of the hostile guest suite. */
#ifndef GUEST_TEST_HOSTILE_H
#define GUEST_TEST_HOSTILE_H

#include "pv.h"
#include <xen/errno.h>
#include <xen/callback.h>

#define E(x) (-XEN_##x)
/* Results that are not a hypercall's return value. */
#define CAUGHT(vec) (0x10000L | (vec)) /* a trap came back to our catcher */
#define LANDED 0x20000L                /* a forged iret returned to ring 1 */
#define STOP 0x7fff0000L               /* the domain must be stopped */

#define FLAT_RING1_CS 0xe019
#define FLAT_RING1_DS 0xe021
#define FLAT_RING3_CS 0xe02b
#define FLAT_RING3_DS 0xe033

/* One attack: its name, what it got, what a correct hypervisor returns.
 * Checks the live kmap mapping after it, and puts the window back. */
void hostile_report(const char *name, long got, long want);
void hostile_reportf(long got, long want, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Put back the trap table, callbacks and kernel stack of the suite. */
void hostile_restore(void);
extern uint32_t hostile_kstack_top;

/* Selectors of every ring, RPL, table and kind. */
extern const uint16_t hostile_sels[];
extern const unsigned hostile_nr_sels;
/* Xen's 32-bit PV rules, for kmapvisor (no guest GDT or LDT entries):
 * RPL 0 is normalised to 1 (the guest kernel's ring); then a code
 * selector of the guest kernel must be the flat ring-1 code selector,
 * a kernel stack selector the flat ring-1 data selector.  Anything else
 * names the hypervisor's descriptors, ring 3's, an empty or LDT slot, or
 * an RPL the descriptor does not allow: refused. */
bool hostile_code_ok(uint16_t sel);
bool hostile_stack_ok(uint16_t sel);
bool hostile_data_ok(uint16_t sel);

void hostile_ud2(void);

/* test_hostile_asm.S */
long hostile_try(void (*fn)(void));
void hostile_ring3(void);
_Noreturn void hostile_iret_frame(uint32_t *frame);
extern char hostile_catch_3[], hostile_catch_6[], hostile_catch_13[], hostile_catch_14[];
extern char hostile_iret_landing[], hostile_db_handler[];
extern volatile uint32_t hostile_db_count; /* #DBs that reached hostile_db_handler */
extern volatile uint32_t hostile_caught_ss, hostile_caught_cs;

static inline uint32_t hostile_mfn(uint32_t pfn) { return ((const uint32_t *)start_info->mfn_list)[pfn]; }

#endif
