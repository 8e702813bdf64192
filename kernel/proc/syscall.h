/*
 * kernel/proc/syscall.h: the system-call entry (int $64, number in %eax,
 * arguments on the user stack as xv6 passes them, result in %eax) and the
 * helpers that fetch arguments safely. A bad argument is -1 for the
 * caller, never a fault in the kernel.
 */
#ifndef KERNEL_PROC_SYSCALL_H
#define KERNEL_PROC_SYSCALL_H

#include <stddef.h>
#include <stdint.h>
#include "user/syscall.h"

struct trapframe;

/* Run the system call tf->eax names (interrupts on) and put its result in tf->eax. */
void syscall(struct trapframe *tf);
/* The n-th word argument; 0 or -EFAULT. */
int argint(int n, int *v);
/* The n-th argument as a user pointer to size bytes inside user space. */
int argptr(int n, uint32_t *p, uint32_t size);
/* The n-th argument as a string copied into buf (size bytes); its length or -E. */
int argstr(int n, char *buf, size_t size);
/* Copy a NUL-terminated user string at uaddr into buf; its length or -E. */
int fetchstr(uint32_t uaddr, char *buf, size_t size);

/*
 * The system calls, one per number in user/syscall.h: each fetches its
 * own arguments with the helpers above and returns its result, or a
 * negative error number that syscall() turns into -1. docs/syscalls.md
 * says what each one does.
 */
int sys_fork(void), sys_exit(void), sys_wait(void), sys_kill(void), sys_getpid(void);
int sys_sbrk(void), sys_sleep(void), sys_uptime(void), sys_getppid(void);
int sys_waitpid(void), sys_exit2(void), sys_mmap(void), sys_munmap(void);
int sys_sysinfo(void);
int sys_pipe(void), sys_read(void), sys_write(void), sys_close(void), sys_exec(void);
int sys_fstat(void), sys_chdir(void), sys_dup(void), sys_open(void), sys_mknod(void);
int sys_unlink(void), sys_link(void), sys_mkdir(void), sys_lseek(void);
int sys_getdents(void), sys_rename(void), sys_sync(void), sys_faultinj(void);
int sys_poweroff(void);
#endif
