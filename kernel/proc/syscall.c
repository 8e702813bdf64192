/*
 * kernel/proc/syscall.c: dispatch by number, and argument fetching.
 *
 * xv6 passes arguments on the user stack: at entry %esp points at the
 * return address of the stub's caller, so argument n is at esp + 4 + 4n.
 * Every fetch goes through copy_from_user, so a bad stack or pointer is
 * an error for the call. Results: a handler returns a negative error number on failure; the
 * caller sees -1, as xv6's programs expect.
 */
#include "kernel/proc/syscall.h"
#include "kernel/arch/mmu.h"
#include "kernel/arch/trap.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/x86.h"
#include "kernel/proc/proc.h"
#include "mm/uaccess.h"

static int (*const handlers[NSYSCALL])(void) = {
	[SYS_fork] = sys_fork, [SYS_exit] = sys_exit, [SYS_wait] = sys_wait,
	[SYS_pipe] = sys_pipe, [SYS_read] = sys_read, [SYS_kill] = sys_kill,
	[SYS_exec] = sys_exec, [SYS_fstat] = sys_fstat, [SYS_chdir] = sys_chdir,
	[SYS_dup] = sys_dup, [SYS_getpid] = sys_getpid, [SYS_sbrk] = sys_sbrk,
	[SYS_sleep] = sys_sleep, [SYS_uptime] = sys_uptime, [SYS_open] = sys_open,
	[SYS_write] = sys_write, [SYS_mknod] = sys_mknod, [SYS_unlink] = sys_unlink,
	[SYS_link] = sys_link, [SYS_mkdir] = sys_mkdir, [SYS_close] = sys_close,
	[SYS_getppid] = sys_getppid, [SYS_waitpid] = sys_waitpid, [SYS_exit2] = sys_exit2,
	[SYS_mmap] = sys_mmap, [SYS_munmap] = sys_munmap, [SYS_lseek] = sys_lseek,
	[SYS_getdents] = sys_getdents, [SYS_rename] = sys_rename, [SYS_sysinfo] = sys_sysinfo,
	[SYS_sync] = sys_sync, [SYS_faultinj] = sys_faultinj,
	[SYS_poweroff] = sys_poweroff,
};

int argint(int n, int *v)
{
	return copy_from_user(v, current->tf->esp + 4 + 4 * n, 4);
}

int argptr(int n, uint32_t *p, uint32_t size)
{
	int v;

	if (argint(n, &v) < 0)
		return -EFAULT;
	if ((uint32_t)v >= USER_TOP || size > USER_TOP - (uint32_t)v)
		return -EFAULT;
	*p = v;
	return 0;
}

int fetchstr(uint32_t uaddr, char *buf, size_t size)
{
	size_t got = 0;

	while (got < size) {	/* a page at a time: the next may not exist */
		uint32_t a = uaddr + got;
		size_t chunk = MIN(size - got, (size_t)(PGSIZE - (a & (PGSIZE - 1))));
		if (a >= USER_TOP || copy_from_user(buf + got, a, chunk) < 0)
			return -EFAULT;
		for (size_t i = 0; i < chunk; i++)
			if (buf[got + i] == '\0')
				return got + i;
		got += chunk;
	}
	return -ENAMETOOLONG;
}

int argstr(int n, char *buf, size_t size)
{
	int v;

	if (argint(n, &v) < 0)
		return -EFAULT;
	return fetchstr(v, buf, size);
}

void syscall(struct trapframe *tf)
{
	uint32_t num = tf->eax;
	int r;

	sti();				/* system calls run with interrupts on */
	if (num < NSYSCALL && handlers[num]) {
		r = handlers[num]();
	} else {
		static uint32_t unknown;	/* a fuzzer makes millions: say the first few */
		if (unknown++ < 10)
			printk(KERN_WARNING "pid %d (%s): unknown system call %u%s\n", current->pid,
			       current->name, num, unknown == 10 ? " (no more of these)" : "");
		r = -ENOSYS;
	}
	tf->eax = (r < 0 && r >= -MAX_ERRNO) ? -1 : r;	/* addresses may look negative */
}
