// SPDX-License-Identifier: GPL-2.0-only
/*
 * The whole userspace of a linux-check boot: the kmap_local test has run
 * as a late initcall before this starts, so all that is left is to say
 * so and power the machine off.
 *
 * No libc: Debian has no 32-bit SPARC libc, so the init makes its three
 * system calls itself, on every architecture alike.  Built with the
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

static long sys3(long nr, long a, long b, long c)
{
#if defined(__i386__)
	long ret;

	asm volatile("int $0x80"
		     : "=a" (ret)
		     : "0" (nr), "b" (a), "c" (b), "d" (c)
		     : "memory");
	return ret;
#elif defined(__arm__)
	register long r7 asm("r7") = nr;
	register long r0 asm("r0") = a;
	register long r1 asm("r1") = b;
	register long r2 asm("r2") = c;

	asm volatile("svc #0"
		     : "+r" (r0)
		     : "r" (r7), "r" (r1), "r" (r2)
		     : "memory");
	return r0;
#elif defined(__mips__)
	register long v0 asm("$2") = nr + 4000;	/* o32 */
	register long a0 asm("$4") = a;
	register long a1 asm("$5") = b;
	register long a2 asm("$6") = c;
	register long a3 asm("$7");

	asm volatile("syscall"
		     : "+r" (v0), "=r" (a3)
		     : "r" (a0), "r" (a1), "r" (a2)
		     : "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13",
		       "$14", "$15", "$24", "$25", "hi", "lo", "memory");
	return a3 ? -v0 : v0;
#elif defined(__powerpc__)
	register long r0 asm("r0") = nr;
	register long r3 asm("r3") = a;
	register long r4 asm("r4") = b;
	register long r5 asm("r5") = c;

	asm volatile("sc"
		     : "+r" (r0), "+r" (r3), "+r" (r4), "+r" (r5)
		     :
		     : "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0",
		       "ctr", "xer", "memory");
	return r3;
#elif defined(__sparc__)
	register long g1 asm("g1") = nr;
	register long o0 asm("o0") = a;
	register long o1 asm("o1") = b;
	register long o2 asm("o2") = c;

	asm volatile("ta 0x10"
		     : "+r" (o0), "+r" (o1), "+r" (o2)
		     : "r" (g1)
		     : "cc", "memory");
	return o0;
#else
#error "kmv-init: no system call sequence for this architecture"
#endif
}

static const char msg[] = "kmv-init: test done, powering off\n";

void _start(void)
{
	sys3(NR_write, 1, (long)msg, sizeof(msg) - 1);
	sys3(NR_sync, 0, 0, 0);
#ifdef KMV_RESTART
	sys3(NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	     LINUX_REBOOT_CMD_RESTART);
#endif
	sys3(NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	     LINUX_REBOOT_CMD_POWER_OFF);
	/* Only reached if the power-off failed; the runner times out. */
	for (;;)
		;
}
