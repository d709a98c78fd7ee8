// SPDX-License-Identifier: GPL-2.0-only
/*
 * The whole userspace of a linux-check boot: the kmap_local test has run
 * as a late initcall before this starts, so all that is left is to say
 * so and power the machine off.  Built static with the cross compiler.
 */
#include <stdio.h>
#include <unistd.h>
#include <sys/reboot.h>

int main(void)
{
	printf("kmv-init: test done, powering off\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	/* Only reached if the power-off failed; the runner times out. */
	for (;;)
		pause();
	return 0;
}
