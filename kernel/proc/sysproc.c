/*
 * kernel/proc/sysproc.c: system calls about processes, memory and time.
 */
#include "kernel/dev/timer.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/faultinj.h"
#include "kernel/lib/x86.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/syscall.h"
#include "mm/uaccess.h"
#include "mm/vm.h"

#define MMAP_BASE	0x40000000u	/* mmap looks for room from here up */
#define MMAP_TOP	0x80000000u

/* fork(): the child's pid to the parent, 0 to the child. */
int sys_fork(void)
{
	return proc_fork();
}

/* exit(): end the process with status 0 (xv6 has no status). */
int sys_exit(void)
{
	proc_exit(0);
}

/* exit2(status): end the process with status & 0xff. */
int sys_exit2(void)
{
	int status;

	if (argint(0, &status) < 0)
		status = -1;
	proc_exit(status & 0xff);
}

/* wait(): the pid of a child that exited (waiting for one), or -1 if none. */
int sys_wait(void)
{
	return proc_wait(-1, NULL, false);
}

/* waitpid(pid, status, options): reap pid (or any, pid <= 0); WNOHANG is 1. */
int sys_waitpid(void)
{
	int pid, status = 0, options, r;
	uint32_t ustatus;

	if (argint(0, &pid) < 0 || argptr(1, &ustatus, 4) < 0 || argint(2, &options) < 0)
		return -EFAULT;
	if (ustatus && copy_to_user(ustatus, &status, 4) < 0)
		return -EFAULT;		/* check before reaping: a status is never lost */
	if ((r = proc_wait(pid, &status, options & 1)) <= 0)	/* 1: WNOHANG */
		return r;
	if (ustatus && copy_to_user(ustatus, &status, 4) < 0)
		return -EFAULT;
	return r;
}

/* kill(pid): make the process exit (at its next return to user mode). */
int sys_kill(void)
{
	int pid;

	if (argint(0, &pid) < 0)
		return -EFAULT;
	return proc_kill(pid);
}

/* getpid(): the caller's pid. */
int sys_getpid(void)
{
	return current->pid;
}

/* getppid(): the parent's pid. */
int sys_getppid(void)
{
	return current->parent ? current->parent->pid : 0;
}

/* Grow or shrink the heap by n bytes; the old break, or -ENOMEM. */
int sys_sbrk(void)
{
	int n;
	uint32_t old = current->brk, new, a, b;
	int64_t want;

	if (argint(0, &n) < 0)
		return -EFAULT;
	want = (int64_t)old + n;		/* 64 bits: no wrap either way */
	if (want < current->heap_start || want > MMAP_BASE)
		return -ENOMEM;
	new = want;
	a = PGROUNDUP(old);
	b = PGROUNDUP(new);
	if (b > a && mm_map(current->mm, a, b - a, VM_READ | VM_WRITE, VMA_ANON) < 0)
		return -ENOMEM;
	if (b < a && mm_unmap(current->mm, b, a - b) < 0)
		return -ENOMEM;
	current->brk = new;
	return old;
}

/* sleep(n): wait n timer ticks; -1 if killed first. */
int sys_sleep(void)
{
	int n, r;
	uint32_t t0 = timer_ticks();

	if (argint(0, &n) < 0 || n < 0)
		return -EINVAL;
	cli();				/* check and sleep with no tick in between */
	r = sleep_until(t0 + n);
	sti();
	return r;
}

/* uptime(): timer ticks since boot. */
int sys_uptime(void)
{
	return timer_ticks();
}

/* mmap(addr, len, prot, flags): a new anonymous region (MAP_SHARED, MAP_PRIVATE); where. */
int sys_mmap(void)
{
	int addr, len, prot, flags;
	uint32_t at, size;

	if (argint(0, &addr) < 0 || argint(1, &len) < 0 || argint(2, &prot) < 0 ||
	    argint(3, &flags) < 0)
		return -EFAULT;
	if (len <= 0 || !(flags & (MAP_SHARED | MAP_PRIVATE)) ||
	    (flags & MAP_SHARED && flags & MAP_PRIVATE))
		return -EINVAL;
	size = PGROUNDUP((uint32_t)len);
	/* shared regions start on a page-table boundary: fork shares their tables */
	at = vma_find_gap(current->mm, MMAP_BASE, MMAP_TOP, size,
			  (flags & MAP_SHARED) ? PDSIZE : PGSIZE);
	if (!at || mm_map(current->mm, at, size, (prot & PROT_READ ? VM_READ : 0) |
			  (prot & PROT_WRITE ? VM_WRITE : 0),
			  (flags & MAP_SHARED) ? VMA_SHARED : VMA_ANON) < 0)
		return -ENOMEM;
	return at;
}

/*
 * faultinj(point, nth, permille): arm fault point `point` (page, slab,
 * block, disk) to fail its nth call from now and permille calls in 1000;
 * 0, 0 disarms. Returns the failures it made since it was last armed.
 * Only if the kernel was booted with fault_inject (-EPERM otherwise).
 */
int sys_faultinj(void)
{
	struct fault_point *fp;
	char name[16];
	int nth, permille, failed;

	if (!fault_user_allowed())
		return -EPERM;
	if (argstr(0, name, sizeof(name)) < 0 || argint(1, &nth) < 0 || argint(2, &permille) < 0)
		return -EFAULT;
	if (!(fp = fault_find(name)) || nth < 0 || permille < 0)
		return -EINVAL;
	failed = fp->failed;
	fault_arm(fp, nth, permille);
	return failed;
}

/* munmap(addr, len): remove pages of regions. */
int sys_munmap(void)
{
	int addr, len;

	if (argint(0, &addr) < 0 || argint(1, &len) < 0 || len <= 0)
		return -EINVAL;
	return mm_unmap(current->mm, addr, PGROUNDUP((uint32_t)len));
}
