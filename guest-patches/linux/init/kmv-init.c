// SPDX-License-Identifier: GPL-2.0-only
/*
 * The whole userspace of a linux-check boot: the kmap_local test has run
 * as a late initcall before this starts, so all that is left is to say
 * so and power the machine off.
 *
 * No libc: Debian has no 32-bit SPARC libc, so the init makes its three
 * system calls itself (linux_sys3.h), on every architecture alike.  Built with the
 * arch's cross compiler as -static -nostdlib -ffreestanding.  With
 * -DKMV_RESTART it asks for a restart instead of a power-off, for boards
 * whose power-off QEMU does not model; QEMU's -no-reboot turns the
 * restart into an exit.
 */

#define LINUX_REBOOT_MAGIC1		0xfee1deadUL
#define LINUX_REBOOT_MAGIC2		672274793UL
#define LINUX_REBOOT_CMD_RESTART	0x01234567UL
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321fedcUL

#define NR_write	4
#define NR_sync		36
#if defined(__sparc__)
#define NR_reboot	55
#else
#define NR_reboot	88
#endif

#include "linux_sys3.h"

static const char msg[] = "kmv-init: test done, powering off\n";

void _start(void)
{
	linux_sys3(NR_write, 1, (long)msg, sizeof(msg) - 1);
	linux_sys3(NR_sync, 0, 0, 0);
#ifdef KMV_RESTART
	linux_sys3(NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	     LINUX_REBOOT_CMD_RESTART);
#endif
	linux_sys3(NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	     LINUX_REBOOT_CMD_POWER_OFF);
	/* Only reached if the power-off failed; the runner times out. */
	for (;;)
		;
}
