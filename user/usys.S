/*
 * user/usys.S: one stub per system call: number in %eax, int $64, result
 * in %eax; the arguments are already on the stack where the kernel looks.
 */
#include "user/syscall.h"

#define SYSCALL(name)		\
	.globl name;		\
name:				\
	movl $SYS_ ## name, %eax; \
	int $64;		\
	ret

SYSCALL(fork)
SYSCALL(exit)
SYSCALL(wait)
SYSCALL(pipe)
SYSCALL(read)
SYSCALL(write)
SYSCALL(close)
SYSCALL(kill)
SYSCALL(exec)
SYSCALL(open)
SYSCALL(mknod)
SYSCALL(unlink)
SYSCALL(fstat)
SYSCALL(link)
SYSCALL(mkdir)
SYSCALL(chdir)
SYSCALL(dup)
SYSCALL(getpid)
SYSCALL(sbrk)
SYSCALL(sleep)
SYSCALL(uptime)
SYSCALL(getppid)
SYSCALL(waitpid)
SYSCALL(exit2)
SYSCALL(mmap)
SYSCALL(munmap)
SYSCALL(lseek)
SYSCALL(getdents)
SYSCALL(rename)
SYSCALL(sysinfo)
SYSCALL(sync)
SYSCALL(faultinj)
SYSCALL(poweroff)

	.section .note.GNU-stack, "", @progbits
