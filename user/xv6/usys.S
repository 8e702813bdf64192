/*
 * user/xv6/usys.S: system-call entry points by xv6's convention: the number in
 * %eax, `int $64` (xv6's T_SYSCALL), the result in %eax, the arguments
 * left on the user stack where the caller pushed them. The numbers are
 * xv6-public's syscall.h, stated here and not taken from user/syscall.h.
 */
#define SYSCALL(name, number)	\
	.globl name;		\
name:				\
	movl $number, %eax;	\
	int $64;		\
	ret

SYSCALL(fork, 1)
SYSCALL(exit, 2)
SYSCALL(wait, 3)
SYSCALL(pipe, 4)
SYSCALL(read, 5)
SYSCALL(kill, 6)
SYSCALL(exec, 7)
SYSCALL(fstat, 8)
SYSCALL(chdir, 9)
SYSCALL(dup, 10)
SYSCALL(getpid, 11)
SYSCALL(sbrk, 12)
SYSCALL(sleep, 13)
SYSCALL(uptime, 14)
SYSCALL(open, 15)
SYSCALL(write, 16)
SYSCALL(mknod, 17)
SYSCALL(unlink, 18)
SYSCALL(link, 19)
SYSCALL(mkdir, 20)
SYSCALL(close, 21)
