/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A Linux system call with up to three arguments, without a libc, for the
 * 32-bit targets of the series: the linux-check init (kmv-init.c) and the
 * portable library's conformance runtime under qemu-user
 * (tests/conform/nolibc.c).  The caller gives the arch's own number
 * (o32 numbers are offset by 4000 here; ARC uses the asm-generic table).
 * Returns the kernel's value: a negative errno on failure.
 */
#ifndef KMV_LINUX_SYS3_H
#define KMV_LINUX_SYS3_H

static inline long linux_sys3(long nr, long a, long b, long c)
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
#elif defined(__arc__)
	register long r8 asm("r8") = nr;
	register long r0 asm("r0") = a;
	register long r1 asm("r1") = b;
	register long r2 asm("r2") = c;

	asm volatile("trap_s 0"
		     : "+r" (r0)
		     : "r" (r8), "r" (r1), "r" (r2)
		     : "memory");
	return r0;
#else
#error "linux_sys3.h: no system call sequence for this architecture"
#endif
}

#endif
